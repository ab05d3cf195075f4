// teiten-report's work between flag parsing and exit: open the database
// read-only, locate, build the Report, and write report.json, the figures
// (CSV, gnuplot scripts, SVG, PNG) and one page per language into the
// output folder. Nothing is written unless the month has data.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "common/report/rules.h"
#include "daemon/report/language.h"

namespace teiten::report_cli {

/// Exit codes (README "teiten-report"): 0 written, 1 runtime error, 2 bad
/// arguments, 5 no data for the month.
enum Exit { kWritten = 0, kRuntimeError = 1, kBadArguments = 2, kNoData = 5 };

struct Options {
  std::string db;
  std::string month;  ///< YYYY-MM
  std::string out;
  std::vector<Lang> langs{Lang::ja};
  std::vector<std::string> geo;  ///< MMDB files; empty: libloc
  std::string ports;             ///< ports.yaml
  report::Rules rules;
};

/// Messages go to `err` as "teiten-report: ...". Never throws.
int run(const Options& options, std::ostream& err);

}  // namespace teiten::report_cli
