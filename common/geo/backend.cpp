#include "common/geo/backend.h"

#include "common/base/day_clock.h"

namespace teiten::geo {

std::string describe_source(const std::string& kind, int64_t built_unix_seconds,
                            const std::string& path) {
  int64_t day = built_unix_seconds / 86400 - (built_unix_seconds % 86400 < 0 ? 1 : 0);
  return kind + " " + base::format_day(static_cast<base::Day>(day)) + " (" + path + ")";
}

}  // namespace teiten::geo
