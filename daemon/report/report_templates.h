// The page templates (templates/report.ja.html.mustache and
// report.en.html.mustache), embedded at build time.
#pragma once

namespace teiten::report_cli {

extern const char* const kTemplateJa;
extern const char* const kTemplateEn;

}  // namespace teiten::report_cli
