#include "common/config/value_rules.h"

#include <array>
#include <charconv>

#include "common/base/ip_address.h"

namespace teiten::config {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_dns_name(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  size_t label = 0;
  for (char c : name) {
    if (c == '.') {
      if (label == 0) return false;  // empty label: "a..b", ".a"
      label = 0;
    } else if (is_alnum(c) || c == '-' || c == '_') {
      if (++label > 63) return false;
    } else {
      return false;
    }
  }
  return label != 0;  // no trailing dot: verification compares names literally
}

std::optional<uint16_t> parse_port(std::string_view text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  for (char c : text)
    if (!is_digit(c)) return std::nullopt;
  unsigned port = 0;
  std::from_chars(text.data(), text.data() + text.size(), port);
  if (port < 1 || port > 65535) return std::nullopt;
  return static_cast<uint16_t>(port);
}

}  // namespace

bool is_valid_host(std::string_view host) {
  if (host.find(':') != std::string_view::npos) {
    auto a = base::IpAddress::parse(host);
    return a && !a->is_v4();
  }
  // All digits and dots reads as an IPv4 address, so "300.1.2.3" must not
  // slip through as a host name.
  bool numeric = !host.empty();
  for (char c : host) numeric = numeric && (is_digit(c) || c == '.');
  if (numeric) return base::IpAddress::parse(host).has_value();
  return is_dns_name(host);
}

std::optional<HostPort> parse_host_port(std::string_view text, std::string& why) {
  std::string_view host, port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) {
      why = "has no closing ']' (expected [ipv6]:port)";
      return std::nullopt;
    }
    host = text.substr(1, close - 1);
    auto rest = text.substr(close + 1);
    if (rest.empty() || rest.front() != ':') {
      why = "has no port (expected [ipv6]:port)";
      return std::nullopt;
    }
    port = rest.substr(1);
    auto a = base::IpAddress::parse(host);
    if (!a || a->is_v4()) {
      why = "has no IPv6 address inside the brackets";
      return std::nullopt;
    }
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      why = "has no port (expected host:port or [ipv6]:port)";
      return std::nullopt;
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      why = "needs brackets around an IPv6 address (expected [ipv6]:port)";
      return std::nullopt;
    }
    if (host.empty()) {
      why = "has no host (expected host:port or [ipv6]:port)";
      return std::nullopt;
    }
    if (!is_valid_host(host)) {
      why = "has an invalid host name '" + std::string(host) + "'";
      return std::nullopt;
    }
  }
  auto number = parse_port(port);
  if (!number) {
    why = "has an invalid port '" + std::string(port) + "' (expected 1..65535)";
    return std::nullopt;
  }
  return HostPort{std::string(host), *number};
}

bool is_valid_sensor_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!is_alnum(c) && c != '.' && c != '_' && c != '-') return false;
  return true;
}

bool is_log_level(std::string_view level) {
  static constexpr std::array<std::string_view, 7> levels = {"trace", "debug",    "info", "warn",
                                                             "error", "critical", "off"};
  for (auto l : levels)
    if (l == level) return true;
  return false;
}

std::string format_size(uint64_t bytes) {
  struct Unit {
    uint64_t factor;
    const char* name;
  };
  for (Unit u : {Unit{1ull << 30, "GiB"}, Unit{1ull << 20, "MiB"}, Unit{1ull << 10, "KiB"}})
    if (bytes != 0 && bytes % u.factor == 0) return std::to_string(bytes / u.factor) + u.name;
  return std::to_string(bytes);
}

}  // namespace teiten::config
