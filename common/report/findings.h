// teiten::report findings — the three rules that name a port type in the
// findings section (docs/report.md gives them with their reasoning):
//   surge          fleet-wide daily summed sources far above the baseline
//                  (surge.h), consecutive days one finding;
//   single_sensor  >= single_min_accesses accesses in the month, at least
//                  single_min_share of them at one sensor (2+ sensors);
//   new_entry      in this month's top `top` by accesses, not in last
//                  month's (only when the database holds last month).
// Pure functions over the per-port totals the builder collects.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/report/figures.h"
#include "common/report/report_data.h"

namespace teiten::report {

/// One probe port type over the report's span of days (index: day - first).
struct PortHistory {
  std::vector<uint64_t> sources;          ///< fleet-wide summed sources per day
  std::vector<uint32_t> sensors;          ///< sensors with rows per day
  std::vector<uint64_t> sensor_accesses;  ///< this month's accesses by sensor index
};

struct FindingInputs {
  Rules rules;
  base::Day span_first = 0;
  std::vector<bool> counted;  ///< per span day: may serve as a baseline day
  base::Day month_first = 0, month_last = 0;
  std::map<std::string, PortHistory> history;  ///< by label
  std::map<std::string, PortType> types;       ///< by label
  std::vector<std::string> sensor_names;       ///< SensorIndex -> name
  size_t sensors_in_month = 0;
  bool has_previous = false;
  KeyTotals now, previous;  ///< probe totals by label
};

/// Surges by start day, then single-sensor ports by share, then new entries by rank.
std::vector<Finding> find_findings(const FindingInputs& in);

}  // namespace teiten::report
