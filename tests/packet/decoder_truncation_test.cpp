#include <catch2/catch.hpp>

#include "packet/decode_helpers.h"

using namespace teiten::test;
using teiten::packet::Decoded;
using teiten::packet::Decoder;
using teiten::packet::Malformed;
using teiten::packet::Status;
namespace dlt = teiten::packet::dlt;

namespace {

struct Fixture {
  const char* name;
  int link;
  Bytes frame;
  size_t needed;  // bytes without which the frame cannot be classified
};

std::vector<Fixture> fixtures() {
  Bytes s6 = ip6({0x2001, 0xdb8, 0xffff, 0, 0, 0, 0, 7});
  Bytes d6 = ip6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x10});
  return {
      {"ethernet tcp", dlt::ethernet, ether(0x0800, ipv4(kSrc, kDst, 6, tcp(1, 445, SYN))),
       14 + 20 + 14},
      {"qinq udp", dlt::ethernet, ether(0x0800, ipv4(kSrc, kDst, 17, udp(1, 53)), {0x88A8, 0x8100}),
       22 + 20 + 8},
      {"ethernet icmp with options", dlt::ethernet,
       ether(0x0800, ipv4(kSrc, kDst, 1, icmp(8), 0, Bytes(8, 1))), 14 + 28 + 2},
      {"ipv6 chain tcp", dlt::ethernet,
       ether(0x86DD, ipv6(s6, d6, 0, cat({ext(44), frag6(6, 0, true), tcp(1, 22, SYN)}))),
       14 + 40 + 8 + 8 + 14},
      {"sll2 icmpv6", dlt::linux_sll2, sll2(0, 0x86DD, ipv6(s6, d6, 58, icmp(128))), 20 + 40 + 2},
      {"sll udp", dlt::linux_sll, sll(0, 0x0800, ipv4(kSrc, kDst, 17, udp(1, 5060))), 16 + 20 + 8},
      {"null tcp", dlt::null, null_le(2, ipv4(kSrc, kDst, 6, tcp(80, 1, SYN | ACK))), 4 + 20 + 14},
      {"raw ipv6 udp", dlt::raw, ipv6(s6, d6, 17, udp(53, 4000)), 40 + 8},
      {"ipv4 gre", dlt::ipv4, ipv4(kSrc, kDst, 47, Bytes(4)), 20},
  };
}

bool same_access(const Decoded& a, const Decoded& b) {
  return a.status == b.status && a.proto == b.proto && a.port == b.port && a.kind == b.kind;
}

}  // namespace

TEST_CASE("a short frame is malformed; one cut by the snaplen only before its headers end",
          "[packet]") {
  for (const auto& f : fixtures()) {
    INFO(f.name);
    Decoder dec(f.link);
    Decoded full;
    dec.decode(f.frame.data(), static_cast<uint32_t>(f.frame.size()),
               static_cast<uint32_t>(f.frame.size()), full);
    REQUIRE(full.status == Status::access);
    for (size_t len = 0; len <= f.frame.size(); ++len) {
      INFO("length " << len);
      // A copy of exactly len bytes, so a read past it is a sanitizer error.
      Bytes cut(f.frame.begin(), f.frame.begin() + static_cast<ptrdiff_t>(len));
      Decoded shorter, snapped;
      dec.decode(cut.data(), static_cast<uint32_t>(len), static_cast<uint32_t>(len), shorter);
      dec.decode(cut.data(), static_cast<uint32_t>(len), static_cast<uint32_t>(f.frame.size()),
                 snapped);
      // Genuinely short: the IP length then claims more than the wire carried.
      if (len < f.frame.size()) {
        CHECK(shorter.status == Status::malformed);
        CHECK((teiten::packet::is_truncation(shorter.reason) ||
               shorter.reason == Malformed::ip_length_exceeds_frame));
      }
      if (len < f.needed) {
        CHECK(snapped.status == Status::malformed);
        CHECK(snapped.reason == Malformed::snaplen);
      } else {
        CHECK(same_access(snapped, full));
      }
    }
  }
}

TEST_CASE("random bytes never crash the decoder on any link type", "[packet]") {
  uint64_t x = 0x9E3779B97F4A7C15ull;
  auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  for (int link : {dlt::ethernet, dlt::linux_sll, dlt::linux_sll2, dlt::null, dlt::loop, dlt::raw,
                   dlt::ipv4, dlt::ipv6}) {
    Decoder dec(link);
    for (int i = 0; i < 20000; ++i) {
      Bytes b(next() % 96);
      for (auto& c : b) c = static_cast<uint8_t>(next());
      // Bias towards plausible headers so deep paths are reached.
      if (b.size() > 20 && (i & 1)) b[link == dlt::ethernet ? 12 : 0] = (i & 2) ? 0x08 : 0x86;
      if (b.size() > 20 && link == dlt::ethernet && (i & 1)) b[13] = (i & 2) ? 0x00 : 0xDD;
      Decoded d;
      dec.decode(b.data(), static_cast<uint32_t>(b.size()),
                 static_cast<uint32_t>(b.size() + (i & 4)), d);
      CHECK((d.status != Status::malformed || d.reason != Malformed::none));
    }
  }
}
