#include "common/report/surge.h"

#include <algorithm>
#include <cmath>

namespace teiten::report {

double quantile(const std::vector<double>& sorted, double p) {
  double h = static_cast<double>(sorted.size() - 1) * p;
  auto lo = static_cast<size_t>(std::floor(h));
  size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

Baseline baseline_of(std::vector<double> values) {
  Baseline b;
  b.days = static_cast<int>(values.size());
  if (values.empty()) return b;
  std::sort(values.begin(), values.end());
  b.median = quantile(values, 0.5);
  b.iqr = quantile(values, 0.75) - quantile(values, 0.25);
  double sum = 0;
  for (double v : values) sum += v;
  b.mean = sum / static_cast<double>(values.size());
  double sq = 0;
  for (double v : values) sq += (v - b.mean) * (v - b.mean);
  b.sd = std::sqrt(sq / static_cast<double>(values.size()));
  return b;
}

std::vector<SurgeRun> find_surges(const DailySeries& series, base::Day from, base::Day to,
                                  const Rules& rules) {
  std::vector<SurgeRun> runs;
  auto n = static_cast<base::Day>(series.values.size());
  bool open = false;
  for (base::Day day = from; day <= to; ++day) {
    base::Day i = day - series.first;
    bool flagged = false;
    Baseline b;
    uint64_t v = 0;
    if (i >= 0 && i < n) {
      v = series.values[static_cast<size_t>(i)];
      if (v >= rules.surge_min_sources) {
        std::vector<double> window;
        for (base::Day j = std::max<base::Day>(0, i - rules.surge_window); j < i; ++j)
          if (series.counted[static_cast<size_t>(j)])
            window.push_back(static_cast<double>(series.values[static_cast<size_t>(j)]));
        b = baseline_of(std::move(window));
        auto x = static_cast<double>(v);
        flagged = b.days >= rules.surge_min_baseline && b.days > 0 &&
                  x > b.median + rules.surge_iqr * b.iqr && x > b.mean + rules.surge_sd * b.sd;
      }
    }
    if (!flagged) {
      open = false;
      continue;
    }
    if (!open) {
      runs.push_back({day, day, day, v, v, b});
      open = true;
    } else {
      auto& r = runs.back();
      r.end = day;
      if (v > r.peak_value) {
        r.peak_value = v;
        r.peak_day = day;
      }
    }
  }
  return runs;
}

}  // namespace teiten::report
