#include "daemon/synth/local_calendar.h"

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace teiten::synth {
namespace {

int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

}  // namespace

LocalCalendar::LocalCalendar(const std::string& zone_name) : name_(zone_name) {
  try {
    zone_ = date::locate_zone(zone_name);
  } catch (const std::exception&) {
    throw std::runtime_error("unknown time zone '" + zone_name + "'");
  }
}

int32_t LocalCalendar::day_of(int64_t t) {
  if (t < begin_ || t >= end_) {
    auto info = zone_->get_info(date::sys_seconds{std::chrono::seconds{t}});
    begin_ = info.begin.time_since_epoch().count();
    end_ = info.end.time_since_epoch().count();
    offset_ = info.offset.count();
  }
  return static_cast<int32_t>(floor_div(t + offset_, 86400));
}

int64_t LocalCalendar::day_start(int32_t day) const {
  date::local_seconds midnight{date::local_days{date::days{day}}};
  // to_sys with choose::earliest: the transition instant for a skipped
  // midnight, the earlier of two for a repeated one.
  return zone_->to_sys(midnight, date::choose::earliest).time_since_epoch().count();
}

std::optional<int64_t> LocalCalendar::next_offset_change(int64_t from, int64_t until) const {
  auto info = zone_->get_info(date::sys_seconds{std::chrono::seconds{from}});
  int64_t at = info.end.time_since_epoch().count();
  while (at < until) {
    auto next = zone_->get_info(date::sys_seconds{std::chrono::seconds{at}});
    if (next.offset != info.offset) return at;
    info = next;  // a change of abbreviation or save only: keep looking
    at = info.end.time_since_epoch().count();
  }
  return std::nullopt;
}

int64_t LocalCalendar::offset_at(int64_t t) const {
  return zone_->get_info(date::sys_seconds{std::chrono::seconds{t}}).offset.count();
}

std::optional<int32_t> civil_day(int year, unsigned month, unsigned day) {
  date::year_month_day ymd{date::year{year}, date::month{month}, date::day{day}};
  if (!ymd.ok()) return std::nullopt;
  return static_cast<int32_t>(date::sys_days{ymd}.time_since_epoch().count());
}

int32_t next_month(int32_t day) {
  date::year_month_day ymd{date::sys_days{date::days{day}}};
  const date::year_month next = date::year_month{ymd.year(), ymd.month()} + date::months{1};
  return static_cast<int32_t>(date::sys_days{next / 1}.time_since_epoch().count());
}

int32_t month_first_day(int32_t day) {
  date::year_month_day ymd{date::sys_days{date::days{day}}};
  return static_cast<int32_t>(
      date::sys_days{ymd.year() / ymd.month() / 1}.time_since_epoch().count());
}

std::string month_text(int32_t day) {
  return day_text(day).substr(0, 7);
}

std::string day_text(int32_t day) {
  date::year_month_day ymd{date::sys_days{date::days{day}}};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

int32_t parse_day_option(const std::string& text, const char* what) {
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  if (text.size() == 10 && std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) == 3)
    if (auto day = civil_day(y, m, d)) return *day;
  throw std::runtime_error(std::string(what) + " must be a date YYYY-MM-DD, not '" + text + "'");
}

int32_t parse_month_option(const std::string& text, const char* what) {
  int y = 0;
  unsigned m = 0;
  char tail = 0;
  if (text.size() == 7 && std::sscanf(text.c_str(), "%4d-%2u%c", &y, &m, &tail) == 2)
    if (auto day = civil_day(y, m, 1)) return *day;
  throw std::runtime_error(std::string(what) + " must be a month YYYY-MM, not '" + text + "'");
}

}  // namespace teiten::synth
