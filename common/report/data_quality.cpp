#include "common/report/data_quality.h"

#include <algorithm>
#include <map>

namespace teiten::report {

std::vector<SensorQuality> data_quality(const Report& rep, const QualityInputs& in) {
  std::vector<SensorQuality> out;
  const auto& names = *in.sensors;
  std::map<std::string, size_t> row_of;
  for (store::SensorIndex s = 0; s < names.size(); ++s) {
    bool present = false;
    for (const auto& n : rep.sensor_names) present = present || n == names[s];
    if (!present && !in.in_previous_month[s]) continue;
    SensorQuality q;
    q.name = names[s];
    q.probe = in.probe[s];
    for (base::Day d = rep.first_day; d <= rep.last_day; ++d) {
      if (in.observed(d, s))
        ++q.observed;
      else
        q.missing_days.push_back(d);
    }
    row_of[q.name] = out.size();
    out.push_back(std::move(q));
  }
  const double partial = rep.rules.partial_coverage * 86400.0;
  auto add_optional = [](std::optional<uint64_t>& sum, const std::optional<uint64_t>& v) {
    if (v) sum = sum.value_or(0) + *v;
  };
  for (const auto& c : in.coverage) {
    if (c.day < rep.first_day || c.day > rep.last_day) continue;
    auto it = row_of.find(names[c.sensor]);
    if (it == row_of.end()) continue;
    auto& q = out[it->second];
    q.packets += c.packets;
    add_optional(q.kernel_drops, c.kernel_drops);
    add_optional(q.if_drops, c.if_drops);
    q.malformed += c.malformed;
    q.non_ip += c.non_ip;
    q.ignored += c.ignored;
    if (in.observed(c.day, c.sensor) && static_cast<double>(c.coverage_seconds) < partial)
      q.partial_days.push_back(c.day);
  }
  std::vector<std::map<std::string, uint64_t>> reasons(out.size());
  for (const auto& c : in.counters) {
    if (c.day < rep.first_day || c.day > rep.last_day) continue;
    if (c.name.rfind("malformed.", 0) != 0) continue;
    auto it = row_of.find(names[c.sensor]);
    if (it != row_of.end()) reasons[it->second][c.name.substr(10)] += c.value;
  }
  for (size_t i = 0; i < out.size(); ++i) {
    out[i].malformed_by_reason.assign(reasons[i].begin(), reasons[i].end());
    std::sort(out[i].partial_days.begin(), out[i].partial_days.end());
  }
  return out;
}

}  // namespace teiten::report
