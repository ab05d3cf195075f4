// teiten-report's pages: one HTML file per language, rendered from a
// Mustache template (daemon/report/templates/report.LANG.html.mustache,
// embedded in the program at build time) and a view of the Report with
// every number already formatted. The page refers only to files in its own
// folder (figures/...), so the folder can be copied and read offline.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/geo/country_names.h"
#include "common/report/report_data.h"
#include "daemon/report/commentary.h"
#include "daemon/report/language.h"

namespace teiten::report_cli {

/// Everything the template shows, formatted for `lang`.
nlohmann::json page_view(const report::Report& report, const geo::CountryNames& names,
                         const CommentaryTable& commentary, Lang lang);

/// The page: the template of `lang` rendered with `view`.
std::string render_page(const nlohmann::json& view, Lang lang);

}  // namespace teiten::report_cli
