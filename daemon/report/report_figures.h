// teiten-report's figures, numbered as in the reference report:
//   1-1 per-sensor-per-day averages, six months    1-2 top ports vs last month
//   1-2s the same by sources                       1-3-N finding N's port type
//   2-1/2-2 daily accesses/sources by port type    2-3/2-4 their shares
//   2-5/2-7 daily accesses/sources by country      2-6/2-8 their shares
//   3-1/3-2 six-month shares by port type          3-3/3-4 by country
//   4-1 backscatter and other traffic per day
#pragma once

#include <string>

#include "common/geo/country_names.h"
#include "common/report/report_data.h"
#include "daemon/report/charts.h"

namespace teiten::report_cli {

/// Writes every figure's CSV and scripts into `charts` (render() draws them).
void draw_figures(const report::Report& report, const geo::CountryNames& names,
                  ChartWriter& charts);

/// Id of the chart of report.finding_charts[index]: by country ("1-3-1c")
/// or by sensor ("1-3-1s").
std::string finding_figure(size_t index, bool by_country);
/// The finding charts index of a finding's port type.
size_t finding_chart_index(const report::Report& report, const report::Finding& finding);

/// "中国 (CN)" / "China (CN)"; "その他" / "other" for the remainder key.
std::string country_label(const geo::CountryNames& names, const std::string& code, Lang lang);
/// Port labels are the same in both languages; "other" is translated.
std::string port_key_label(const std::string& key, Lang lang);

}  // namespace teiten::report_cli
