// teiten::synth::LocalCalendar — local calendar days of an IANA zone, for
// placing packets (scenarios) and for the ground truth's day column.
//
// Deliberately separate from base::DayClock, which the sensor counts with:
// the truth is the oracle the sensor is tested against, so it computes the
// day its own way, straight from date/tz (the offset in force at the
// instant, then the floor of local seconds), and the tests compare the two.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace date {
class time_zone;
}

namespace teiten::synth {

class LocalCalendar {
 public:
  /// Throws std::runtime_error when tzdata does not know the zone.
  explicit LocalCalendar(const std::string& zone_name);

  /// Local calendar day (days since 1970-01-01) of a Unix time.
  int32_t day_of(int64_t unix_seconds);
  /// First instant (Unix seconds) of a local day; a midnight skipped by a
  /// DST change starts the day when the clock jumps, an ambiguous one at
  /// its earlier instant.
  int64_t day_start(int32_t day) const;
  /// The first instant at or after `from` where the zone's UTC offset
  /// changes, if one comes before `until`.
  std::optional<int64_t> next_offset_change(int64_t from, int64_t until) const;
  /// UTC offset in seconds in force at an instant.
  int64_t offset_at(int64_t unix_seconds) const;
  const std::string& zone_name() const { return name_; }

 private:
  const date::time_zone* zone_;
  std::string name_;
  // The offset in force over [begin_, end_), from the last lookup.
  int64_t begin_ = 1, end_ = 0, offset_ = 0;
};

/// Days since 1970-01-01 of a civil date; nullopt when it does not exist.
std::optional<int32_t> civil_day(int year, unsigned month, unsigned day);
/// First day of the month after the one holding `day`.
int32_t next_month(int32_t day);
/// First day of the month holding `day`.
int32_t month_first_day(int32_t day);
/// "YYYY-MM" of the month holding `day`.
std::string month_text(int32_t day);
/// "YYYY-MM-DD" of a day number (own formatting, not base::format_day).
std::string day_text(int32_t day);
/// Day number of "YYYY-MM-DD"; throws std::runtime_error naming `what`.
int32_t parse_day_option(const std::string& text, const char* what = "--day");
/// Day number of the first day of "YYYY-MM"; throws std::runtime_error.
int32_t parse_month_option(const std::string& text, const char* what = "--month");

}  // namespace teiten::synth
