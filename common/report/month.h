// teiten::report::Month — a calendar month ("2010-07") and the day numbers
// (days since 1970-01-01 in the fleet's zone, as the databases store them)
// it covers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/base/day_clock.h"

namespace teiten::report {

struct Month {
  int year = 1970;
  int month = 1;  ///< 1..12

  /// "YYYY-MM" with a month 01..12 and a year 1970..2149; nullopt otherwise.
  static std::optional<Month> parse(std::string_view text);
  static Month of_day(base::Day day);
  std::string to_string() const;  ///< "YYYY-MM"
  base::Day first_day() const;
  base::Day last_day() const;  ///< inclusive
  int length() const { return last_day() - first_day() + 1; }
  Month plus(int months) const;
  auto operator<=>(const Month&) const = default;
};

}  // namespace teiten::report
