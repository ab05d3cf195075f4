#include "common/base/human_units.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iterator>

namespace teiten::base {
namespace {

struct Unit {
  int64_t seconds;
  const char* name;
};
// Years of 365 days: a lag of "16y" reads right whatever the leap days.
constexpr Unit kUnits[] = {{365 * 86400, "y"}, {86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}};

}  // namespace

std::string human_span(int64_t seconds, bool two_units) {
  if (seconds < 0) return "-" + human_span(seconds == INT64_MIN ? INT64_MAX : -seconds, two_units);
  for (size_t i = 0; i < std::size(kUnits); ++i) {
    const Unit& u = kUnits[i];
    if (seconds < u.seconds && u.seconds != 1) continue;
    std::string out = std::to_string(seconds / u.seconds) + u.name;
    if (two_units && i + 1 < std::size(kUnits)) {
      const Unit& next = kUnits[i + 1];
      int64_t rest = (seconds % u.seconds) / next.seconds;
      if (rest > 0) {
        // Minutes and seconds pad to two digits, as clocks do ("1m05s").
        char buf[24];
        std::snprintf(buf, sizeof buf, next.seconds < 3600 ? "%02lld%s" : "%lld%s",
                      static_cast<long long>(rest), next.name);
        out += buf;
      }
    }
    return out;
  }
  return "0s";
}

std::string human_count(double count) {
  static constexpr const char* suffix[] = {"", "k", "M", "G", "T"};
  size_t i = 0;
  double v = count;
  while (std::fabs(v) >= 999.5 && i + 1 < std::size(suffix)) {
    v /= 1000;
    ++i;
  }
  char buf[32];
  if (i == 0)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf,
                  std::fabs(v) < 9.995   ? "%.2f%s"
                  : std::fabs(v) < 99.95 ? "%.1f%s"
                                         : "%.0f%s",
                  v, suffix[i]);
  std::string out = buf;
  // "1.20M" says no more than "1.2M".
  if (auto dot = out.find('.'); dot != std::string::npos) {
    size_t end = out.find_first_not_of("0123456789.", dot);
    std::string digits = out.substr(0, end), unit = out.substr(end);
    while (digits.back() == '0') digits.pop_back();
    if (digits.back() == '.') digits.pop_back();
    out = digits + unit;
  }
  return out;
}

std::string grouped(uint64_t count) {
  std::string digits = std::to_string(count), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace teiten::base
