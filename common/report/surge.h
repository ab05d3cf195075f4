// teiten::report surge test — the spike rule of the `surge` finding over
// one port type's fleet-wide daily summed sources (docs/report.md): a day
// is flagged when its value exceeds both median + k1 * IQR and
// mean + k2 * standard deviation of the baseline days before it, and is at
// least a floor. Two tests must agree: the median/IQR one ignores a few
// spikes already in the baseline, the mean/sd one keeps a noisy port quiet.
// Quartiles interpolate linearly (numpy's default, Python's
// statistics.quantiles(method="inclusive")); the standard deviation is the
// population one (statistics.pstdev). Pure functions.
#pragma once

#include <cstdint>
#include <vector>

#include "common/base/day_clock.h"
#include "common/report/rules.h"

namespace teiten::report {

struct Baseline {
  int days = 0;
  double median = 0, iqr = 0, mean = 0, sd = 0;
};

/// Quantile p (0..1) of sorted values by linear interpolation; values non-empty.
double quantile(const std::vector<double>& sorted, double p);
Baseline baseline_of(std::vector<double> values);

/// One port type's daily series: values[i] and counted[i] belong to day
/// first + i; counted says whether the day may serve as a baseline day
/// (within the database's span and observed by some sensor).
struct DailySeries {
  base::Day first = 0;
  std::vector<uint64_t> values;
  std::vector<bool> counted;
};

struct SurgeRun {
  base::Day start = 0, end = 0, peak_day = 0;
  uint64_t start_value = 0, peak_value = 0;
  Baseline baseline;  ///< of the start day
};

/// Flags the days in [from, to] by the rule, and joins consecutive flagged
/// days into one run each.
std::vector<SurgeRun> find_surges(const DailySeries& series, base::Day from, base::Day to,
                                  const Rules& rules);

}  // namespace teiten::report
