#include "daemon/synth/report_truth.h"

#include <algorithm>

#include "common/packet/port_label.h"
#include "daemon/synth/month_report.h"

namespace teiten::synth {

std::string report_label(Proto proto, uint16_t port) {
  // The one label rule every program shows (docs/report.md): a convention
  // to match, not a number to recompute.
  return packet::port_label(*packet::parse_proto(proto_name(proto)), port);
}

ReportTruth::ReportTruth(const Profile& profile, PlaceLookup lookup)
    : profile_(profile), lookup_(std::move(lookup)) {
  for (const auto& s : profile.sensors) names_.push_back(s.id);
  std::sort(names_.begin(), names_.end());
  for (const auto& s : profile.sensors)
    rank_of_sensor_.push_back(
        static_cast<size_t>(std::lower_bound(names_.begin(), names_.end(), s.id) - names_.begin()));
  days_.resize(names_.size());
}

uint32_t ReportTruth::locate(const base::IpAddress& src) {
  const auto [it, fresh] = source_index_.try_emplace(src, static_cast<uint32_t>(places_.size()));
  if (!fresh) return it->second;
  const SourcePlace where = lookup_(src);
  const std::string code = where.country.empty() ? "ZZ" : where.country;
  const auto [c, new_country] =
      country_index_.try_emplace(code, static_cast<uint16_t>(countries_.size()));
  if (new_country) countries_.push_back(code);
  const auto [a, new_asn] = asn_index_.try_emplace(where.asn, static_cast<uint32_t>(asns_.size()));
  if (new_asn) asns_.emplace_back(where.asn, where.as_name);
  places_.push_back({c->second, a->second});
  return it->second;
}

void ReportTruth::add(size_t sensor, const GroundTruth& truth) {
  const size_t at = rank_of_sensor_[sensor];
  for (const auto& [day, counts] : truth.days()) days_[at][day] = counts;
  truth.for_each_row([&](int32_t day, Classification c, const base::IpAddress& src,
                         uint64_t accesses) {
    const PortKey port{c.proto, c.port};
    totals_[{day, at, port, c.kind}] += Counts{accesses, 1};
    if (c.kind != Kind::probe) return;
    const uint32_t source = locate(src);
    const Place& place = places_[source];
    day_country_[{day, place.country}] += Counts{accesses, 1};
    day_asn_[{day, place.asn}] += Counts{accesses, 1};
    ++port_day_country_[{port, day, place.country}];
    month_sources_[month_first_day(day)].insert(source);
  });
}

nlohmann::ordered_json ReportTruth::month(size_t month) const {
  return MonthReport(*this, profile_.months[month].first_day).document();
}

}  // namespace teiten::synth
