// teiten::report::build_report — reads one month (and the months and days
// before it that the figures and findings need) through a ReportSource,
// locates every probe source through a geo::Locator, and returns the
// Report. It is the only place that computes the report's numbers; the
// renderers (daemon/report) only format them. No files, no printing.
//
// What it reads: the totals per day, sensor, port type and kind of the six
// months ending with the report's month and of the surge window before it;
// the probe rows (with their sources) of the six months, once; coverage and
// counters. The database's own days decide everything: a month is the days
// whose date falls in it, and days outside the database's span count for
// nothing.
#pragma once

#include <stdexcept>

#include "common/geo/locator.h"
#include "common/report/report_data.h"
#include "common/store/report_source.h"

namespace teiten::report {

/// The database holds nothing (no rows, no coverage) for the month.
class NoData : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Throws NoData, or store errors from the source.
Report build_report(store::ReportSource& source, const geo::Locator& locator, Month month,
                    const Rules& rules);

}  // namespace teiten::report
