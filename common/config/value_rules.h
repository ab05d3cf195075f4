// teiten::config value rules — the syntax of the values a config holds
// (addresses, sensor ids, log levels, sizes), as pure functions shared by
// the loaders and by code that meets the same values elsewhere (the
// collector compares certificate names with sensor ids). No I/O, no logging.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace teiten::config {

struct HostPort {
  std::string host;  ///< without brackets: "collector.example", "192.0.2.1", "2001:db8::1"
  uint16_t port = 0;
};

/// "host:port" or "[ipv6]:port" with port 1..65535. On failure returns
/// nullopt and sets `why` to what is wrong ("has no port ...").
std::optional<HostPort> parse_host_port(std::string_view text, std::string& why);

/// A DNS name (letters, digits, '-', '_' in dot-separated labels), an IPv4
/// address or an IPv6 address without brackets.
bool is_valid_host(std::string_view host);

/// [A-Za-z0-9._-]{1,64}: safe in file names, certificate names and logs.
bool is_valid_sensor_id(std::string_view id);

/// spdlog's level names: trace, debug, info, warn, error, critical, off.
bool is_log_level(std::string_view level);
inline constexpr std::string_view log_levels_text =
    "trace, debug, info, warn, error, critical, off";

/// Shortest exact binary unit: 1048576 -> "1MiB", 1536 -> "1536".
std::string format_size(uint64_t bytes);

}  // namespace teiten::config
