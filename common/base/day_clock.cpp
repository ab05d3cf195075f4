#include "common/base/day_clock.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace teiten::base {
namespace {

int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

const date::time_zone* find_zone(const std::string& name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

// Capture times come from files, and a pcapng interface's if_tsoffset can
// put them anywhere in int64; date's calendar ends at the year 32767, and
// the arithmetic below must not overflow. Times beyond about 17,000 years
// from 1970 are looked up at that bound (the counter calls anything outside
// 1970..2106 malformed anyway), so day_of stays monotonic and defined.
constexpr int64_t kFarthest = int64_t{1} << 39;

}  // namespace

DayClock::DayClock(const std::string& zone_name) : zone_(find_zone(zone_name)), name_(zone_name) {
  if (!zone_) throw std::runtime_error("unknown time zone '" + zone_name + "'");
}

Day DayClock::lookup(int64_t ts) {
  ts = std::clamp(ts, -kFarthest, kFarthest);
  auto info = zone_->get_info(date::sys_seconds{std::chrono::seconds{ts}});
  int64_t offset = info.offset.count();
  int64_t day = floor_div(ts + offset, 86400);
  // Within [info.begin, info.end) the offset is fixed, so the local day is
  // constant over the intersection with this day's span at that offset.
  int64_t lo = day * 86400 - offset, hi = (day + 1) * 86400 - offset;
  int64_t ib = info.begin.time_since_epoch().count(), ie = info.end.time_since_epoch().count();
  lo_ = lo > ib ? lo : ib;
  hi_ = hi < ie ? hi : ie;
  day_ = static_cast<Day>(day);
  return day_;
}

int64_t DayClock::day_start(Day day) const {
  date::local_seconds midnight{std::chrono::seconds{int64_t{day} * 86400}};
  // A midnight that falls in a DST gap starts the day at the gap's end;
  // an ambiguous midnight starts at its earlier instant.
  auto info = zone_->get_info(midnight);
  if (info.result == date::local_info::nonexistent)
    return info.second.begin.time_since_epoch().count();
  return (midnight.time_since_epoch() - info.first.offset).count();
}

bool is_known_zone(const std::string& zone_name) {
  return find_zone(zone_name) != nullptr;
}

std::string format_day(Day day) {
  date::year_month_day ymd{date::sys_days{date::days{day}}};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::optional<Day> parse_day(std::string_view text) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  std::string s(text);
  if (std::sscanf(s.c_str(), "%4d-%2u-%2u", &y, &m, &d) != 3) return std::nullopt;
  date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
  if (!ymd.ok()) return std::nullopt;
  return static_cast<Day>(date::sys_days{ymd}.time_since_epoch().count());
}

Day today(DayClock& clock) {
  auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  return clock.day_of(now.time_since_epoch().count());
}

}  // namespace teiten::base
