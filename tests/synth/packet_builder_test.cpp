#include "daemon/synth/packet_builder.h"

#include <catch2/catch.hpp>
#include <cstring>

#include "support/addresses.h"

using namespace teiten;
using teiten::test::ip;
using namespace teiten::synth;

namespace {

uint16_t be16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] << 8 | p[1]);
}

// Test-local ones-complement sum; a correct checksum sums to 0xffff.
uint32_t sum(const uint8_t* p, size_t n, uint32_t acc = 0) {
  for (size_t i = 0; i + 1 < n; i += 2) acc += static_cast<uint32_t>(p[i] << 8 | p[i + 1]);
  if (n & 1) acc += static_cast<uint32_t>(p[n - 1] << 8);
  return acc;
}
uint16_t folded(uint32_t acc) {
  while (acc >> 16) acc = (acc & 0xffff) + (acc >> 16);
  return static_cast<uint16_t>(acc);
}

}  // namespace

TEST_CASE("an IPv4 SYN is one 60-byte frame with valid IP and TCP checksums", "[synth]") {
  PacketSpec s;
  s.transport = Transport::tcp;
  s.src = ip("61.130.1.2");
  s.dst = ip("192.0.2.10");
  s.sport = 3456;
  s.dport = 445;
  s.tcp_flags = tcp_flag::syn;
  PacketBuilder::Frame f{};
  const size_t n = PacketBuilder().build(s, f);
  REQUIRE(n == 60);
  CHECK(be16(&f[12]) == 0x0800);
  const uint8_t* ip4 = &f[14];
  CHECK(ip4[0] == 0x45);
  CHECK(be16(ip4 + 2) == 40);  // IP length excludes the Ethernet padding
  CHECK(ip4[9] == 6);
  CHECK(folded(sum(ip4, 20)) == 0xffff);
  const uint8_t* l4 = ip4 + 20;
  CHECK(be16(l4) == 3456);
  CHECK(be16(l4 + 2) == 445);
  CHECK(l4[13] == tcp_flag::syn);
  const uint32_t pseudo = sum(ip4 + 12, 8) + 6 + 20;
  CHECK(folded(sum(l4, 20, pseudo)) == 0xffff);
  for (size_t i = 54; i < 60; ++i) CHECK(f[i] == 0);
}

TEST_CASE("802.1ad and 802.1Q tags precede the IPv6 header and its extension chain", "[synth]") {
  PacketSpec s;
  s.transport = Transport::udp;
  s.src = ip("2001:200::7");
  s.dst = ip("2001:db8::10");
  s.sport = 40000;
  s.dport = 5060;
  s.vlan_tags = 2;
  s.vlan_id = 203;
  s.dest_options = true;
  s.fragment_offset = 185;  // a later fragment: no UDP header
  s.payload_length = 24;
  PacketBuilder::Frame f{};
  const size_t n = PacketBuilder().build(s, f);
  CHECK(be16(&f[12]) == 0x88a8);
  CHECK(be16(&f[16]) == 0x8100);
  CHECK((be16(&f[18]) & 0x0fff) == 203);
  CHECK(be16(&f[20]) == 0x86dd);
  const uint8_t* ip6 = &f[22];
  CHECK(ip6[6] == 60);                  // -> destination options
  CHECK(ip6[40] == 44);                 // -> fragment
  CHECK(ip6[48] == 17);                 // -> UDP
  CHECK((be16(ip6 + 50) >> 3) == 185);  // offset in 8-byte units
  CHECK(be16(ip6 + 4) == 8 + 8 + 24);   // payload length covers the chain
  CHECK(n == 22 + 40 + 16 + 24);
}

TEST_CASE("an ICMP port unreachable quotes the UDP packet sent in the sensor's name", "[synth]") {
  PacketSpec s;
  s.transport = Transport::icmp;
  s.icmp_type = 3;
  s.icmp_code = 3;
  s.quoted = Transport::udp;
  s.quoted_sport = 51000;
  s.quoted_dport = 53;
  s.src = ip("114.40.1.1");
  s.dst = ip("192.0.2.10");
  PacketBuilder::Frame f{};
  const size_t n = PacketBuilder().build(s, f);
  const uint8_t* icmp = &f[34];
  CHECK(icmp[0] == 3);
  CHECK(icmp[1] == 3);
  CHECK(folded(sum(icmp, n - 34)) == 0xffff);
  const uint8_t* inner = icmp + 8;
  CHECK(inner[9] == 17);
  CHECK(std::memcmp(inner + 12, s.dst.bytes.data(), 4) == 0);  // the spoofed sender: us
  CHECK(std::memcmp(inner + 16, s.src.bytes.data(), 4) == 0);
  CHECK(be16(inner + 20) == 51000);
  CHECK(be16(inner + 22) == 53);
}

TEST_CASE("an ARP request is a broadcast non-IP frame", "[synth]") {
  PacketSpec s;
  s.transport = Transport::arp;
  s.src = ip("192.0.2.1");
  s.dst = ip("192.0.2.10");
  PacketBuilder::Frame f{};
  CHECK(PacketBuilder().build(s, f) == 60);
  CHECK(f[0] == 0xff);
  CHECK(be16(&f[12]) == 0x0806);
  CHECK(std::memcmp(&f[14 + 24], s.dst.bytes.data(), 4) == 0);
}
