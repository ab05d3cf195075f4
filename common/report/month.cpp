#include "common/report/month.h"

#include <charconv>
#include <cstdio>

namespace teiten::report {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// days_from_civil), so a month needs no time zone: day numbers are dates.
base::Day days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace

std::optional<Month> Month::parse(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  int y = 0, m = 0;
  auto ry = std::from_chars(text.data(), text.data() + 4, y);
  auto rm = std::from_chars(text.data() + 5, text.data() + 7, m);
  if (ry.ec != std::errc() || ry.ptr != text.data() + 4 || rm.ec != std::errc() ||
      rm.ptr != text.data() + 7)
    return std::nullopt;
  if (m < 1 || m > 12 || y < 1970 || y > 2149) return std::nullopt;
  return Month{y, m};
}

Month Month::of_day(base::Day day) {
  auto text = base::format_day(day);
  return *parse(std::string_view(text).substr(0, 7));
}

std::string Month::to_string() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  return buf;
}

base::Day Month::first_day() const {
  return days_from_civil(year, month, 1);
}

base::Day Month::last_day() const {
  return plus(1).first_day() - 1;
}

Month Month::plus(int months) const {
  int index = year * 12 + (month - 1) + months;
  return Month{index / 12, index % 12 + 1};
}

}  // namespace teiten::report
