// teiten::synth::ReportTruth — what teiten-report must show for each month
// of a generated fleet, in report.json's own shape (docs/report.md), so a
// test can compare the two files key by key.
//
// It is computed from what the generator planted: each sensor-month's
// GroundTruth (the rows and per-day counts the generator decided, never
// decoded bytes), with each source placed by a geolocation lookup of the
// drawn address (not by the country it was drawn for). It shares no code
// with common/report: the rules (ranking and ties, the six months, surge,
// single_sensor and new_entry, shares and trends, data quality) are
// written again here from docs/report.md, so a mistake on either side
// shows as a difference. Only the port-type labels come from the one
// function every program uses for them (common/packet's port_label). Keys that describe the environment rather than
// the data (database, geo, parameters) are left out.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "daemon/synth/ground_truth.h"
#include "daemon/synth/profile.h"

namespace teiten::synth {

/// Where a source is, as the report's geolocation answers.
struct SourcePlace {
  std::string country;  ///< ISO code or "ZZ"
  uint32_t asn = 0;     ///< 0: unknown
  std::string as_name;
};
using PlaceLookup = std::function<SourcePlace(const base::IpAddress&)>;

/// The report's label of a port type: common/packet's port_label, the one
/// rule for labels (docs/report.md, "Port-type labels").
std::string report_label(Proto proto, uint16_t port);

class ReportTruth {
 public:
  ReportTruth(const Profile& profile, PlaceLookup lookup);

  /// Takes in one sensor-month (after GroundTruth::finish()).
  void add(size_t sensor, const GroundTruth& truth);
  /// The expected report.json of profile month `month`; every month up to
  /// it must have been added.
  nlohmann::ordered_json month(size_t month) const;

  struct Counts {
    uint64_t accesses = 0, sources = 0;
    Counts& operator+=(const Counts& o) {
      accesses += o.accesses, sources += o.sources;
      return *this;
    }
  };
  struct PortKey {
    Proto proto;
    uint16_t port;
    auto operator<=>(const PortKey&) const = default;
  };

 private:
  struct Place {
    uint16_t country;
    uint32_t asn;  ///< index into asns_
  };
  uint32_t locate(const base::IpAddress& src);

  const Profile& profile_;
  PlaceLookup lookup_;
  std::vector<std::string> names_;           ///< sensor names, sorted (the report's order)
  std::vector<size_t> rank_of_sensor_;       ///< profile index -> position in names_

  // (day, sensor position, port type, kind) -> accesses and summed sources
  std::map<std::tuple<int32_t, size_t, PortKey, Kind>, Counts> totals_;
  // sensor position -> day -> what the coverage view holds
  std::vector<std::map<int32_t, DayCounts>> days_;
  // sources and where they are
  std::map<base::IpAddress, uint32_t> source_index_;
  std::vector<Place> places_;
  std::vector<std::string> countries_;
  std::map<std::string, uint16_t> country_index_;
  std::vector<std::pair<uint32_t, std::string>> asns_;
  std::map<uint32_t, uint32_t> asn_index_;
  // probe rows by place
  std::map<std::pair<int32_t, uint16_t>, Counts> day_country_;
  std::map<std::pair<int32_t, uint32_t>, Counts> day_asn_;
  std::map<std::tuple<PortKey, int32_t, uint16_t>, uint64_t> port_day_country_;
  std::map<int32_t, std::set<uint32_t>> month_sources_;  ///< month's first day -> sources

  friend class MonthReport;
};

}  // namespace teiten::synth
