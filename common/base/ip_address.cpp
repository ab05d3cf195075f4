#include "common/base/ip_address.h"

#include <arpa/inet.h>

#include <cstdio>
#include <cstring>

namespace teiten::base {

IpAddress IpAddress::v4(uint32_t host_order) {
  IpAddress a;
  a.family = Family::v4;
  a.bytes[0] = static_cast<uint8_t>(host_order >> 24);
  a.bytes[1] = static_cast<uint8_t>(host_order >> 16);
  a.bytes[2] = static_cast<uint8_t>(host_order >> 8);
  a.bytes[3] = static_cast<uint8_t>(host_order);
  return a;
}

IpAddress IpAddress::from_bytes(Family f, const uint8_t* data) {
  IpAddress a;
  a.family = f;
  std::memcpy(a.bytes.data(), data, f == Family::v4 ? 4 : 16);
  return a;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  std::string s(text);
  IpAddress a;
  if (s.find(':') == std::string::npos) {
    if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) != 1) return std::nullopt;
    a.family = Family::v4;
  } else {
    if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) != 1) return std::nullopt;
    a.family = Family::v6;
  }
  return a;
}

uint32_t IpAddress::v4_value() const {
  return (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) | (uint32_t{bytes[2]} << 8) |
         uint32_t{bytes[3]};
}

std::string IpAddress::to_string() const {
  return is_v4() ? format_ipv4(v4_value()) : format_ipv6(bytes.data());
}

std::string format_ipv4(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", (v >> 24) & 255u, (v >> 16) & 255u, (v >> 8) & 255u,
                v & 255u);
  return buf;
}

std::string format_ipv6(const uint8_t* b) {
  uint16_t g[8];
  for (int i = 0; i < 8; ++i) g[i] = static_cast<uint16_t>((b[2 * i] << 8) | b[2 * i + 1]);

  // RFC 5952 4.2: compress the longest run of at least two zero groups.
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (g[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  if (best_len < 2) best = -1;

  // RFC 5952 5: IPv4-mapped addresses keep the dotted quad.
  bool mapped = g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff;
  int hex_groups = mapped ? 6 : 8;

  std::string out;
  char buf[8];
  for (int i = 0; i < hex_groups;) {
    if (i == best) {
      out += "::";
      i += best_len;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(buf, sizeof buf, "%x", g[i]);
    out += buf;
    ++i;
  }
  if (mapped) {
    if (out.back() != ':') out += ':';
    out += format_ipv4((uint32_t{b[12]} << 24) | (uint32_t{b[13]} << 16) | (uint32_t{b[14]} << 8) |
                       uint32_t{b[15]});
  }
  return out;
}

}  // namespace teiten::base
