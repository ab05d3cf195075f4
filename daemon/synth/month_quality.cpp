// The parts of the expected report that are not about probes: backscatter
// and other traffic by kind, and the data-quality table (sensors missing or
// partial on some days, drops and malformed packets by sensor). Split from
// month_report.cpp to keep files small; same class, same rules.
#include <map>

#include "daemon/synth/local_calendar.h"
#include "daemon/synth/month_report.h"

namespace teiten::synth {
namespace {

using json = nlohmann::ordered_json;

// A day a sensor covered for less than this share counts as partial.
constexpr double kPartialCoverage = 0.9;

}  // namespace

json MonthReport::kind_summary(Kind kind) const {
  Totals by_label;
  Counts all;
  std::map<int32_t, uint64_t> daily;
  each_total(first_, last_, [&](const auto& key, const Counts& c) {
    const auto& [day, sensor, port, k] = key;
    if (k != kind) return;
    by_label[report_label(port.proto, port.port)] += c;
    all += c;
    daily[day] += c.accesses;
  });
  json ports = json::array(), days = json::array();
  int rank = 0;
  for (const auto& label : top(by_label, false)) {
    const PortKey& p = types_.at(label);
    ports.push_back({{"label", label},
                     {"proto", proto_name(p.proto)},
                     {"port", p.port},
                     {"accesses", by_label.at(label).accesses},
                     {"sources", by_label.at(label).sources},
                     {"rank", ++rank}});
  }
  for (int32_t d = first_; d <= last_; ++d)
    days.push_back({{"day", day_text(d)}, {"accesses", daily[d]}});
  return {{"accesses", all.accesses}, {"sources", all.sources}, {"ports", ports}, {"daily", days}};
}

json MonthReport::quality() const {
  json out = json::array();
  const int32_t before_first = previous_ ? previous_->month : 0;
  const int32_t before_last = previous_ ? next_month(previous_->month) - 1 : -1;
  std::vector<Counts> probe_by_sensor(t_.names_.size());
  each_total(first_, last_, [&](const auto& key, const Counts& c) {
    if (std::get<3>(key) == Kind::probe) probe_by_sensor[std::get<1>(key)] += c;
  });
  for (size_t s = 0; s < t_.names_.size(); ++s) {
    bool now = false, then = false;
    for (int32_t d = first_; d <= last_; ++d) now = now || observed(s, d);
    for (int32_t d = before_first; d <= before_last; ++d) then = then || observed(s, d);
    if (!now && !then) continue;
    json missing = json::array(), partial = json::array(), reasons = json::object();
    uint64_t packets = 0, malformed = 0, non_ip = 0, ignored = 0;
    std::map<std::string, uint64_t> by_reason;
    int days_observed = 0;
    for (int32_t d = first_; d <= last_; ++d) {
      const auto it = t_.days_[s].find(d);
      if (it == t_.days_[s].end()) {
        missing.push_back(day_text(d));
        continue;
      }
      ++days_observed;
      const DayCounts& c = it->second;
      packets += c.packets;
      malformed += c.verdicts[static_cast<size_t>(Verdict::malformed)];
      non_ip += c.verdicts[static_cast<size_t>(Verdict::non_ip)];
      ignored += ignored_of(c);
      for (size_t r = 1; r < std::size(defect_names); ++r)
        if (c.defects[r]) by_reason[defect_names[r]] += c.defects[r];
      if (static_cast<double>(c.last - c.first) < kPartialCoverage * 86400.0)
        partial.push_back(day_text(d));
    }
    for (const auto& [reason, n] : by_reason) reasons[reason] = n;
    const Counts probe = probe_by_sensor[s];
    out.push_back({{"sensor", t_.names_[s]},
                   {"days_observed", days_observed},
                   {"missing_days", missing},
                   {"partial_days", partial},
                   {"packets", packets},
                   {"accesses", probe.accesses},
                   {"sources", probe.sources},
                   {"kernel_drops", nullptr},
                   {"if_drops", nullptr},
                   {"malformed", malformed},
                   {"malformed_by_reason", reasons},
                   {"non_ip", non_ip},
                   {"ignored", ignored}});
  }
  return out;
}

}  // namespace teiten::synth
