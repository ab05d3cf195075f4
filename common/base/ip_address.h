// teiten::base::IpAddress — an IPv4 or IPv6 address as 16 bytes plus family.
//
// IPv4 occupies the first four bytes (network order), the rest are zero, so
// the family is needed to tell 1.2.3.4 from an IPv6 address. Text follows
// RFC 5952 for IPv6 (lowercase, longest run of two or more zero groups
// compressed, the first on a tie, dotted quad only for ::ffff:0:0/96).
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace teiten::base {

enum class Family : uint8_t { v4 = 4, v6 = 6 };

struct IpAddress {
  std::array<uint8_t, 16> bytes{};
  Family family = Family::v4;

  static IpAddress v4(uint32_t host_order);
  static IpAddress from_bytes(Family f, const uint8_t* data);
  /// Parses dotted quad or any IPv6 text form; nullopt when invalid.
  static std::optional<IpAddress> parse(std::string_view text);

  bool is_v4() const { return family == Family::v4; }
  /// The IPv4 address in host order; only meaningful when is_v4().
  uint32_t v4_value() const;
  std::string to_string() const;

  auto operator<=>(const IpAddress&) const = default;
};

/// RFC 5952 text of 16 IPv6 bytes.
std::string format_ipv6(const uint8_t* bytes16);
/// Dotted quad of an IPv4 address in host order.
std::string format_ipv4(uint32_t host_order);

}  // namespace teiten::base
