// teiten::report::Rules — every parameter of the report's findings and
// figures, with its default. teiten-report exposes each as a flag; the
// README and docs/report.md give the reasoning. report.json repeats the
// values used, so a finding can always be traced to its rule.
#pragma once

#include <cstdint>

namespace teiten::report {

struct Rules {
  /// Port types and countries drawn one by one in the figures (the rest is
  /// "other"); new_entry: in this month's top `top` by accesses, not last month's.
  int top = 10;

  /// surge: a day's fleet-wide summed sources of a port type exceed both
  /// median + surge_iqr * IQR and mean + surge_sd * standard deviation of
  /// the surge_window days before it, and are at least surge_min_sources.
  int surge_window = 28;
  double surge_iqr = 3.0;
  double surge_sd = 3.0;
  uint64_t surge_min_sources = 20;
  /// A day is tested only when at least this many baseline days exist (days
  /// before the database's first day and days without coverage don't count).
  int surge_min_baseline = 7;

  /// single_sensor: at least this many accesses in the month ...
  uint64_t single_min_accesses = 100;
  /// ... and at least this share of them at one sensor (fleets of 2+ sensors).
  double single_min_share = 0.8;

  /// A sensor-day with coverage below this share of 24 hours is "partial".
  double partial_coverage = 0.9;
  /// Rows of the top-ASN table on the page (report.json lists every ASN).
  int top_asns = 20;
};

}  // namespace teiten::report
