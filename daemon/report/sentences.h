// teiten-report's sentences: the headline paragraph (in the manner of the
// reference's first paragraph), the change against last month, and one
// sentence per finding, in Japanese and English, from the Report's numbers.
#pragma once

#include <string>
#include <vector>

#include "common/geo/country_names.h"
#include "common/report/report_data.h"
#include "daemon/report/language.h"

namespace teiten::report_cli {

struct Headline {
  std::string summary;   ///< totals and per-sensor-per-day averages
  std::string coverage;  ///< empty when every sensor observed every day
  std::string change;    ///< against last month; empty without one
  std::string entries;   ///< new top ports, as the reference's 図1-2 paragraph
};

Headline headline(const report::Report& report, Lang lang);

/// One finding as a sentence; `figure` is the id of its chart ("1-3-1").
std::string finding_sentence(const report::Finding& finding, const report::Report& report,
                             const geo::CountryNames& names, const std::string& figure,
                             Lang lang);

}  // namespace teiten::report_cli
