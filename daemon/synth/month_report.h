// teiten::synth::MonthReport — one month's expected report.json from a
// ReportTruth's tallies: the headline, the six months, the port types, the
// daily series, countries and ASes, findings, shares and trends, the
// backscatter and other summaries, data quality. Each rule follows
// docs/report.md; internal to ReportTruth.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "daemon/synth/report_truth.h"

namespace teiten::synth {

class MonthReport {
 public:
  using Counts = ReportTruth::Counts;
  using PortKey = ReportTruth::PortKey;
  using Totals = std::map<std::string, Counts>;  ///< by label or country code

  /// `month`: the first day of the month.
  MonthReport(const ReportTruth& truth, int32_t month);
  nlohmann::ordered_json document() const;

 private:
  struct MonthFigures {
    int32_t month = 0;  ///< first day
    int days = 0;
    uint32_t sensors = 0;
    uint64_t observed = 0, possible = 0;
    Counts probe;
    double per_day_accesses = 0, per_day_sources = 0;
  };

  /// Calls f(key, counts) for the totals of the days [first, last].
  template <class F>
  void each_total(int32_t first, int32_t last, F&& f) const {
    for (auto it = t_.totals_.lower_bound({first, 0, PortKey{Proto::tcp, 0}, Kind::probe});
         it != t_.totals_.end() && std::get<0>(it->first) <= last; ++it)
      f(it->first, it->second);
  }
  bool observed(size_t sensor, int32_t day) const;
  uint32_t sensors_on(int32_t day) const;
  MonthFigures figures(int32_t month) const;
  /// Probe totals of a month by port label (all its days within the span).
  Totals port_totals(int32_t month) const;
  Totals country_totals(int32_t month) const;

  nlohmann::ordered_json headline() const;
  nlohmann::ordered_json ports() const;
  nlohmann::ordered_json daily() const;
  nlohmann::ordered_json regions() const;
  nlohmann::ordered_json asns() const;
  nlohmann::ordered_json findings() const;
  nlohmann::ordered_json surges() const;
  nlohmann::ordered_json single_sensor() const;
  nlohmann::ordered_json new_entries() const;
  nlohmann::ordered_json shares_and_trends() const;
  nlohmann::ordered_json kind_summary(Kind kind) const;
  nlohmann::ordered_json quality() const;

  const ReportTruth& t_;
  int32_t month_;
  int32_t db_first_ = 0, db_last_ = 0;
  int32_t first_ = 0, last_ = 0;      ///< the month's days within the span
  std::vector<MonthFigures> months_;  ///< up to six with observed days, this one last
  std::optional<MonthFigures> previous_;
  std::vector<std::string> sensor_names_;  ///< sensors with data this month
  std::map<std::string, PortKey> types_;   ///< label -> port type
};

/// Keys by a count, ties by the other count, then by key (docs/report.md).
std::vector<std::string> ranked(const MonthReport::Totals& totals, bool by_sources);
// The first ten of ranked().
std::vector<std::string> top(const MonthReport::Totals& totals, bool by_sources);

}  // namespace teiten::synth
