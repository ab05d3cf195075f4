// teiten::base human units — numbers as a person reads them at a glance:
// spans of time ("12s", "3m", "16y", "1m05s"), counts ("845k", "1.2M") and
// rates. For terminals and teitenctl's tables, never for machine output
// (JSON, logs and databases keep exact numbers). Pure functions.
#pragma once

#include <cstdint>
#include <string>

namespace teiten::base {

/// Seconds in the largest unit that fits (s, m, h, d, y = 365 days),
/// rounded down: 59 -> "59s", 200 -> "3m", 515925045 -> "16y". With
/// `two_units`, the next unit too when it is not zero ("3m20s", "16y131d").
/// Negative spans keep their sign ("-5s").
std::string human_span(int64_t seconds, bool two_units = false);

/// A count with three significant digits and k, M, G: 999 -> "999",
/// 1234 -> "1.23k", 845000 -> "845k", 1200000 -> "1.2M".
std::string human_count(double count);

/// Thousands separated by commas: 3000000 -> "3,000,000".
std::string grouped(uint64_t count);

}  // namespace teiten::base
