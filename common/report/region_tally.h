// teiten::report::RegionTally — the country and ASN figures: every probe
// row of the six months passes through add() once; each distinct source is
// located once (the Locator is the slow part) and its rows are summed per
// month and country, per day and country, per ASN, and per day and country
// for the port types the findings name. finish() writes the region parts
// of the Report.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <array>
#include <map>
#include <string>
#include <vector>

#include "common/geo/locator.h"
#include "common/report/report_data.h"
#include "common/store/report_source.h"

namespace teiten::report {

class RegionTally {
 public:
  /// months: the report's months (this one last); charts: the finding charts
  /// whose by_country series finish() fills.
  RegionTally(const geo::Locator& locator, std::vector<Month> months, base::Day first_day,
              base::Day last_day, const std::vector<FindingChart>& charts);

  void add(const store::SourceRow& row);

  /// Fills regions, asns, region series, shares and trends, distinct
  /// sources, the finding charts' by_country series and the surges' top
  /// country.
  void finish(Report& report) const;

 private:
  struct Source {
    uint16_t country;
    uint32_t asn;  ///< index into asns_
    bool in_month;
  };
  uint32_t locate(const base::IpAddress& src);
  uint16_t country_index(const std::string& code);

  const geo::Locator& locator_;
  std::vector<Month> months_;
  base::Day first_day_, last_day_;
  size_t days_;
  std::map<PortType, size_t> chart_of_;

  absl::flat_hash_map<uint32_t, uint32_t> v4_;
  absl::flat_hash_map<std::array<uint8_t, 16>, uint32_t> v6_;
  std::vector<Source> sources_;
  std::vector<std::string> countries_;
  std::map<std::string, uint16_t> country_index_;
  std::vector<std::pair<uint32_t, std::string>> asns_;  ///< number, name
  absl::flat_hash_map<uint32_t, uint32_t> asn_index_;

  std::vector<std::vector<Counts>> month_country_;  ///< [country][month]
  std::vector<std::vector<Counts>> day_country_;    ///< [country][day]
  std::vector<Counts> asn_counts_;                  ///< [asn index]
  std::vector<std::vector<std::vector<uint64_t>>> chart_;  ///< [chart][country][day] sources
};

}  // namespace teiten::report
