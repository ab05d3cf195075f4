// teiten-report's languages: how numbers, days and months are written on
// a page and in its figures. Numbers are the same in every language (they
// come from one report::Report); only their words differ.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/base/day_clock.h"
#include "common/geo/country_names.h"
#include "common/report/month.h"

namespace teiten::report_cli {

enum class Lang { ja, en };

/// "ja" / "en": file suffixes and the HTML lang attribute.
std::string code(Lang lang);
geo::Language geo_language(Lang lang);

/// 116141 -> "116,141" (both languages group by thousands).
std::string grouped(uint64_t value);
/// Fixed-point with `decimals` digits, grouped: 374.6 -> "374.6".
std::string decimal(double value, int decimals);
/// Rounded half away from zero to a whole number, grouped.
std::string whole(double value);
/// A share (0..1) as a percentage with one decimal: "12.3%".
std::string percent(double share);
/// A signed change in percent: "+4.5%" / "-12.3%".
std::string signed_percent(double change);

/// "2010年7月" / "July 2010".
std::string month_name(report::Month month, Lang lang);
/// "7月" / "July": the month without its year, as the reference writes it.
std::string short_month(report::Month month, Lang lang);
/// "2010年7月9日" / "9 July 2010".
std::string day_name(base::Day day, Lang lang);
/// "7月9日" / "9 July".
std::string short_day(base::Day day, Lang lang);

}  // namespace teiten::report_cli
