// teiten::tally rows — one (day, proto, port, src, kind) with its access
// count and first/last seen, in the compact forms the hot path stores and
// the plain form the store and the wire exchange.
#pragma once

#include <cstdint>
#include <cstring>
#include <tuple>

#include "common/base/day_clock.h"
#include "common/base/ip_address.h"
#include "common/packet/access.h"

namespace teiten::tally {

/// Days are stored in 16 bits: 1970-01-01 .. 2149-06-06.
constexpr base::Day kMaxDay = 65535;

inline uint8_t pack_proto_kind(packet::Proto p, packet::Kind k) {
  return static_cast<uint8_t>((static_cast<unsigned>(p) << 4) | static_cast<unsigned>(k));
}
inline packet::Proto unpack_proto(uint8_t pk) {
  return static_cast<packet::Proto>(pk >> 4);
}
inline packet::Kind unpack_kind(uint8_t pk) {
  return static_cast<packet::Kind>(pk & 0x0F);
}

/// 12 bytes; with Counts a 24-byte hash slot.
struct Key4 {
  uint32_t src;
  uint16_t port;
  uint16_t day;
  uint8_t proto_kind;
  bool operator==(const Key4& o) const {
    return src == o.src && port == o.port && day == o.day && proto_kind == o.proto_kind;
  }
};

struct Key6 {
  uint8_t src[16];
  uint16_t port;
  uint16_t day;
  uint8_t proto_kind;
  bool operator==(const Key6& o) const {
    return port == o.port && day == o.day && proto_kind == o.proto_kind &&
           std::memcmp(src, o.src, 16) == 0;
  }
};

struct Counts {
  uint32_t accesses;
  uint32_t first_seen;  ///< Unix seconds
  uint32_t last_seen;

  void merge(const Counts& o) {
    accesses += o.accesses;
    if (o.first_seen < first_seen) first_seen = o.first_seen;
    if (o.last_seen > last_seen) last_seen = o.last_seen;
  }
};

/// A row in plain form, ordered like the databases' primary key.
struct Row {
  base::Day day = 0;
  packet::Proto proto = packet::Proto::ip;
  uint16_t port = 0;
  packet::Kind kind = packet::Kind::other;
  base::IpAddress src;
  uint64_t accesses = 0;
  int64_t first_seen = 0;
  int64_t last_seen = 0;

  auto key() const { return std::tie(day, proto, port, kind, src); }
  /// The databases' primary-key order (see sorted_rows.h): IPv4 sources
  /// before IPv6 ones within a (day, proto, port, kind).
  auto store_order() const { return std::make_tuple(day, proto, port, kind, !src.is_v4(), src); }
  bool operator==(const Row&) const = default;
};

}  // namespace teiten::tally
