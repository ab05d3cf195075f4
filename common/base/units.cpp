#include "common/base/units.h"

#include <charconv>
#include <utility>

namespace teiten::base {
namespace {

// Splits "123abc" into 123 and "abc"; nullopt without leading digits.
std::optional<std::pair<uint64_t, std::string_view>> split_number(std::string_view text) {
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end == text.data()) return std::nullopt;
  auto unit = text.substr(static_cast<size_t>(end - text.data()));
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  return std::pair{n, unit};
}

std::optional<uint64_t> scaled(uint64_t n, uint64_t factor) {
  if (factor != 0 && n > UINT64_MAX / factor) return std::nullopt;
  return n * factor;
}

}  // namespace

std::optional<Duration> parse_duration(std::string_view text) {
  auto parts = split_number(text);
  if (!parts) return std::nullopt;
  auto [n, unit] = *parts;
  uint64_t factor = 0;
  if (unit == "ms")
    factor = 1;
  else if (unit == "s")
    factor = 1000;
  else if (unit == "m")
    factor = 60'000;
  else if (unit == "h")
    factor = 3'600'000;
  else if (unit == "d")
    factor = 86'400'000;
  else
    return std::nullopt;
  auto ms = scaled(n, factor);
  if (!ms || *ms > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return Duration{static_cast<int64_t>(*ms)};
}

std::string format_duration(Duration d) {
  auto ms = d.count();
  struct U {
    int64_t factor;
    const char* name;
  };
  for (U u : {U{86'400'000, "d"}, U{3'600'000, "h"}, U{60'000, "m"}, U{1000, "s"}})
    if (ms != 0 && ms % u.factor == 0) return std::to_string(ms / u.factor) + u.name;
  return std::to_string(ms) + "ms";
}

std::optional<uint64_t> parse_size(std::string_view text) {
  auto parts = split_number(text);
  if (!parts) return std::nullopt;
  auto [n, unit] = *parts;
  uint64_t factor = 0;
  if (unit.empty() || unit == "B")
    factor = 1;
  else if (unit == "KiB")
    factor = 1ull << 10;
  else if (unit == "MiB")
    factor = 1ull << 20;
  else if (unit == "GiB")
    factor = 1ull << 30;
  else if (unit == "KB")
    factor = 1000;
  else if (unit == "MB")
    factor = 1000 * 1000;
  else if (unit == "GB")
    factor = 1000 * 1000 * 1000;
  else
    return std::nullopt;
  return scaled(n, factor);
}

}  // namespace teiten::base
