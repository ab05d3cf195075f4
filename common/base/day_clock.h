// teiten::base::DayClock — which calendar day a packet belongs to.
//
// A day is the number of days since 1970-01-01 in the sensor's IANA time
// zone (date/tz over the system tzdata, so DST transitions are right). The
// capture thread calls day_of() once per packet: it answers from a cached
// [lo, hi) UTC range in which the local day cannot change, and only looks
// the zone up again when a packet falls outside it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace teiten::base {

/// Days since 1970-01-01 (local calendar); negative before that.
using Day = int32_t;

class DayClock {
 public:
  /// Throws std::runtime_error naming the zone when tzdata does not know it.
  explicit DayClock(const std::string& zone_name);

  Day day_of(int64_t unix_seconds) {
    if (unix_seconds >= lo_ && unix_seconds < hi_) return day_;
    return lookup(unix_seconds);
  }
  /// UTC seconds of the first instant of the local day.
  int64_t day_start(Day day) const;
  /// UTC seconds of the first instant of the next local day.
  int64_t day_end(Day day) const { return day_start(day + 1); }
  const std::string& zone_name() const { return name_; }

 private:
  Day lookup(int64_t unix_seconds);

  const date::time_zone* zone_;
  std::string name_;
  int64_t lo_ = 1, hi_ = 0;  // empty cache
  Day day_ = 0;
};

/// True when tzdata knows the zone ("UTC", "Asia/Tokyo", ...).
bool is_known_zone(const std::string& zone_name);
/// "YYYY-MM-DD" of a day number.
std::string format_day(Day day);
/// Inverse of format_day; nullopt for anything else.
std::optional<Day> parse_day(std::string_view text);
/// Today's day number in the zone, by the wall clock.
Day today(DayClock& clock);

}  // namespace teiten::base
