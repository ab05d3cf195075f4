// teiten::base units — durations and sizes as operators write them in
// configs: "500ms", "60s", "5m", "1h", "1d"; "4096", "64KiB", "32MiB", "1GiB".
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace teiten::base {

using Duration = std::chrono::milliseconds;

/// A number followed by ms, s, m, h or d; nullopt otherwise (no unit is an error).
std::optional<Duration> parse_duration(std::string_view text);
/// Shortest exact text: 60000ms -> "1m".
std::string format_duration(Duration d);
/// Bytes: a plain number, or one with B, KiB, MiB, GiB (and KB, MB, GB as powers of 10).
std::optional<uint64_t> parse_size(std::string_view text);

}  // namespace teiten::base
