// teiten::report — the monthly report as plain data: every number, series
// and finding the pages, figures and report.json show, computed once
// (report_builder.h) and rendered in each language without recomputation,
// so both languages carry the same numbers. No I/O here.
//
// "sources" is always the summed count (延べ発信元数): a source counts once
// per day, sensor, port type and kind, and totals add those up.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/base/day_clock.h"
#include "common/packet/access.h"
#include "common/report/month.h"
#include "common/report/rules.h"

namespace teiten::report {

struct Counts {
  uint64_t accesses = 0;
  uint64_t sources = 0;
  Counts& operator+=(const Counts& o) {
    accesses += o.accesses;
    sources += o.sources;
    return *this;
  }
  bool operator==(const Counts&) const = default;
};

struct PortType {
  packet::Proto proto = packet::Proto::tcp;
  uint16_t port = 0;
  auto operator<=>(const PortType&) const = default;
};

/// One port type of the month, ranked by accesses and by sources.
struct PortRank {
  PortType type;
  std::string label;
  Counts counts;
  Counts previous;  ///< last month (zero when absent)
  int rank = 0;     ///< by accesses; ties: more sources, then label
  std::optional<int> prev_rank;
  int rank_by_sources = 0;  ///< by sources; ties: more accesses, then label
  std::optional<int> prev_rank_by_sources;
};

/// One month of the six-month series (figure 1-1).
struct MonthFigures {
  Month month;
  uint32_t sensors = 0;
  int days = 0;  ///< days of the month within the database's span
  uint64_t sensor_days_observed = 0;
  uint64_t sensor_days_possible = 0;
  Counts probe;
  double per_sensor_day_accesses = 0;  ///< divided by the observed sensor-days
  double per_sensor_day_sources = 0;
};

/// Daily values of the top keys (port labels or country codes) and "other",
/// for a stacked figure: values[key][i] belongs to days[i].
struct DaySeries {
  std::vector<std::string> keys;
  std::vector<base::Day> days;
  std::vector<std::vector<uint64_t>> values;
};

/// A key's part of a month's total (figures 2-3, 2-4, 2-6, 2-8).
struct Share {
  std::string key;
  uint64_t value = 0;
  double share = 0;  ///< value / total
};

/// Monthly shares of keys over the six months (figures 3-1 .. 3-4):
/// shares[key][i] belongs to months[i]; the last key is "other".
struct TrendSeries {
  std::vector<Month> months;
  std::vector<std::string> keys;
  std::vector<std::vector<uint64_t>> values;
  std::vector<std::vector<double>> shares;
};

struct RegionRank {
  std::string code;  ///< ISO 3166 alpha-2; ZZ unknown or special-purpose
  Counts counts;
  Counts previous;
  int rank = 0;  ///< by accesses; ties: more sources, then code
  std::optional<int> prev_rank;
};

struct AsnRank {
  uint32_t asn = 0;  ///< 0: unknown
  std::string name;
  Counts counts;
  int rank = 0;  ///< by accesses; ties: more sources, then number
};

struct DayTotals {
  base::Day day = 0;
  Counts probe, backscatter, other;
  uint32_t sensors_observed = 0;
};

enum class FindingType { surge, single_sensor, new_entry };

struct Finding {
  FindingType type = FindingType::surge;
  PortType port;
  std::string label;
  // surge
  base::Day start = 0, end = 0, peak_day = 0;
  uint64_t start_sources = 0, peak_sources = 0;
  double baseline_median = 0, baseline_iqr = 0, baseline_mean = 0, baseline_sd = 0;
  int baseline_days = 0;
  int sensors = 0;          ///< sensors that saw the port type on the start day
  std::string top_country;  ///< most sources on the start day (surge)
  // single_sensor
  std::string sensor;
  double share = 0;
  uint64_t accesses = 0, sensor_accesses = 0;
  // new_entry
  int rank = 0;
  std::optional<int> prev_rank;
};

/// The daily sources of a port type named by a finding, by source country
/// and by sensor (figure 1-3).
struct FindingChart {
  PortType port;
  std::string label;
  DaySeries by_country;
  DaySeries by_sensor;
};

/// Backscatter or other traffic: kept apart from the accesses.
struct KindSummary {
  Counts counts;
  std::vector<PortRank> top;      ///< by accesses (ranks only; no previous month)
  std::vector<uint64_t> daily;    ///< accesses per day of the month
};

struct SensorQuality {
  std::string name;
  int observed = 0;  ///< days with coverage
  std::vector<base::Day> missing_days, partial_days;
  uint64_t packets = 0;
  std::optional<uint64_t> kernel_drops, if_drops;  ///< nullopt: never measured
  uint64_t malformed = 0, non_ip = 0, ignored = 0;
  std::vector<std::pair<std::string, uint64_t>> malformed_by_reason;
  Counts probe;
};

struct Report {
  Month month;
  Rules rules;
  std::string database_kind;  ///< "collector" or "sensor"
  std::string geo_source;
  base::Day db_first = 0, db_last = 0;

  std::vector<std::string> sensor_names;  ///< sensors with data this month
  int days = 0;                           ///< days of the month within the database's span
  base::Day first_day = 0, last_day = 0;  ///< those days
  Counts probe, backscatter, other;
  uint64_t distinct_sources = 0;  ///< true distinct probe sources of the month (an extra)
  uint64_t sensor_days_observed = 0, sensor_days_possible = 0;
  double per_sensor_day_accesses = 0, per_sensor_day_sources = 0;  ///< by observed
  double nominal_accesses = 0, nominal_sources = 0;                ///< by possible
  std::optional<MonthFigures> previous;  ///< last month, when the database holds it

  std::vector<MonthFigures> months;  ///< up to six, oldest first, this month last
  std::vector<PortRank> ports;       ///< every probe port type, by rank
  std::vector<DayTotals> daily;
  DaySeries port_accesses, port_sources, region_accesses, region_sources;
  std::vector<Share> port_access_shares, port_source_shares;
  std::vector<Share> region_access_shares, region_source_shares;
  TrendSeries port_access_trend, port_source_trend, region_access_trend, region_source_trend;
  std::vector<RegionRank> regions;
  std::vector<AsnRank> asns;
  std::vector<Finding> findings;
  std::vector<FindingChart> finding_charts;
  KindSummary backscatter_summary, other_summary;
  std::vector<SensorQuality> quality;

  bool coverage_complete() const { return sensor_days_observed == sensor_days_possible; }
};

/// Key of the remainder in series and shares.
inline const std::string kOtherKey = "other";

}  // namespace teiten::report
