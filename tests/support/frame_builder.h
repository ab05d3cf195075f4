// Test helper: builds frames byte by byte (link, IP, transport headers) so
// decoder and counter tests state exactly what is on the wire.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace teiten::test {

using Bytes = std::vector<uint8_t>;

inline void put16(Bytes& b, uint16_t v) {
  b.push_back(static_cast<uint8_t>(v >> 8));
  b.push_back(static_cast<uint8_t>(v));
}
inline void put32(Bytes& b, uint32_t v) {
  put16(b, static_cast<uint16_t>(v >> 16));
  put16(b, static_cast<uint16_t>(v));
}
inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline uint32_t ip4(int a, int b, int c, int d) {
  return (uint32_t(a) << 24) | (uint32_t(b) << 16) | (uint32_t(c) << 8) | uint32_t(d);
}
/// 16 bytes of an IPv6 address given as 8 groups.
inline Bytes ip6(std::initializer_list<uint16_t> groups) {
  Bytes b;
  for (auto g : groups) put16(b, g);
  b.resize(16);
  return b;
}

inline Bytes tcp(uint16_t sport, uint16_t dport, uint8_t flags) {
  Bytes b;
  put16(b, sport);
  put16(b, dport);
  put32(b, 1);        // seq
  put32(b, 0);        // ack
  b.push_back(0x50);  // data offset 5
  b.push_back(flags);
  put16(b, 1024);  // window
  put16(b, 0);     // checksum
  put16(b, 0);     // urgent
  return b;
}
inline Bytes udp(uint16_t sport, uint16_t dport, size_t payload = 4) {
  Bytes b;
  put16(b, sport);
  put16(b, dport);
  put16(b, static_cast<uint16_t>(8 + payload));
  put16(b, 0);
  b.resize(8 + payload, 0xab);
  return b;
}
inline Bytes icmp(uint8_t type, uint8_t code = 0, size_t rest = 6) {
  Bytes b{type, code};
  b.resize(2 + rest, 0);
  return b;
}

constexpr uint8_t SYN = 0x02, ACK = 0x10, RST = 0x04, FIN = 0x01, PSH = 0x08, ECE = 0x40,
                  CWR = 0x80;

/// IPv4 header (with optional options, whose length must be a multiple of 4).
inline Bytes ipv4(uint32_t src, uint32_t dst, uint8_t proto, const Bytes& payload,
                  uint16_t frag = 0, const Bytes& options = {}) {
  Bytes b;
  auto ihl = static_cast<uint8_t>(5 + options.size() / 4);
  b.push_back(static_cast<uint8_t>(0x40 | ihl));
  b.push_back(0);
  put16(b, static_cast<uint16_t>(ihl * 4 + payload.size()));
  put16(b, 0x1234);
  put16(b, frag);
  b.push_back(64);
  b.push_back(proto);
  put16(b, 0);
  put32(b, src);
  put32(b, dst);
  b.insert(b.end(), options.begin(), options.end());
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

/// IPv6 header; `chain` holds extension headers already built.
inline Bytes ipv6(const Bytes& src, const Bytes& dst, uint8_t next, const Bytes& payload) {
  Bytes b{0x60, 0, 0, 0};
  put16(b, static_cast<uint16_t>(payload.size()));
  b.push_back(next);
  b.push_back(64);
  b.insert(b.end(), src.begin(), src.end());
  b.insert(b.end(), dst.begin(), dst.end());
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}
/// Hop-by-hop / routing / destination options header of 8 * (units + 1) bytes.
inline Bytes ext(uint8_t next, uint8_t units = 0) {
  Bytes b{next, units};
  b.resize(8u * (units + 1u), 0);
  return b;
}
inline Bytes frag6(uint8_t next, uint16_t offset_units, bool more) {
  Bytes b{next, 0};
  put16(b, static_cast<uint16_t>((offset_units << 3) | (more ? 1 : 0)));
  put32(b, 0xdeadbeef);
  return b;
}

inline Bytes ether(uint16_t type, const Bytes& payload, std::initializer_list<uint16_t> tags = {}) {
  Bytes b = {0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2};
  for (auto tpid : tags) {
    put16(b, tpid);
    put16(b, 100);  // TCI: VLAN 100
  }
  put16(b, type);
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}
inline Bytes sll(uint16_t pkttype, uint16_t protocol, const Bytes& payload) {
  Bytes b;
  put16(b, pkttype);
  put16(b, 1);  // ARPHRD_ETHER
  put16(b, 6);
  for (int i = 0; i < 8; ++i) b.push_back(static_cast<uint8_t>(i < 6 ? 0x10 + i : 0));
  put16(b, protocol);
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}
inline Bytes sll2(uint8_t pkttype, uint16_t protocol, const Bytes& payload) {
  Bytes b;
  put16(b, protocol);
  put16(b, 0);
  put32(b, 2);  // ifindex
  put16(b, 1);  // ARPHRD_ETHER
  b.push_back(pkttype);
  b.push_back(6);
  for (int i = 0; i < 8; ++i) b.push_back(static_cast<uint8_t>(i < 6 ? 0x20 + i : 0));
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}
inline Bytes null_le(uint32_t family, const Bytes& payload) {
  Bytes b{static_cast<uint8_t>(family), static_cast<uint8_t>(family >> 8),
          static_cast<uint8_t>(family >> 16), static_cast<uint8_t>(family >> 24)};
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}
inline Bytes null_be(uint32_t family, const Bytes& payload) {
  Bytes b;
  put32(b, family);
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

}  // namespace teiten::test
