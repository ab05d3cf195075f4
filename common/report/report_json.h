// teiten::report::to_json — report.json: every number the pages show, in
// the shape docs/report.md documents (other programs rely on its keys).
// Language-neutral: country codes and port labels, no names.
#pragma once

#include <nlohmann/json.hpp>

#include "common/report/report_data.h"

namespace teiten::report {

nlohmann::json to_json(const Report& report);
std::string_view name(FindingType type);

}  // namespace teiten::report
