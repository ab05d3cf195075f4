#include "daemon/synth/address_space.h"

#include <cstring>
#include <iterator>

namespace teiten::synth {
namespace {

constexpr uint32_t ip(unsigned a, unsigned b, unsigned c = 0, unsigned d = 0) {
  return a << 24 | b << 16 | c << 8 | d;
}

bool in(uint32_t a, uint32_t net, int length) {
  const uint32_t mask = length == 0 ? 0 : ~0u << (32 - length);
  return (a & mask) == net;
}

// A bijection on 32 bits (each step is invertible), so distinct inputs give
// distinct addresses without a table of those already taken.
uint32_t mix32(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352du;
  x ^= x >> 15;
  x *= 0x846ca68bu;
  x ^= x >> 16;
  return x;
}

}  // namespace

bool is_public_v4(uint32_t a) {
  const uint8_t last = static_cast<uint8_t>(a);
  if (last == 0 || last == 255) return false;  // looks like a network or broadcast address
  return !(in(a, ip(0, 0), 8) || in(a, ip(10, 0), 8) || in(a, ip(100, 64), 10) ||
           in(a, ip(127, 0), 8) || in(a, ip(169, 254), 16) || in(a, ip(172, 16), 12) ||
           in(a, ip(192, 0, 0), 24) || in(a, ip(192, 0, 2), 24) || in(a, ip(192, 88, 99), 24) ||
           in(a, ip(192, 168), 16) || in(a, ip(198, 18), 15) || in(a, ip(198, 51, 100), 24) ||
           in(a, ip(203, 0, 113), 24) || a >= ip(224, 0));
}

std::vector<uint32_t> unique_public_v4(size_t count, uint64_t seed) {
  std::vector<uint32_t> out;
  out.reserve(count);
  const auto offset = static_cast<uint32_t>(mix64(seed));
  for (uint32_t k = 0; out.size() < count; ++k) {
    const uint32_t a = mix32(k + offset);
    if (is_public_v4(a)) out.push_back(a);
  }
  return out;
}

base::IpAddress indexed_public_v6(uint64_t index, uint64_t seed) {
  base::IpAddress a;
  a.family = base::Family::v6;
  const uint64_t h = mix64(index ^ mix64(seed));
  a.bytes[0] = 0x24;
  a.bytes[1] = static_cast<uint8_t>(h & 0x0f);  // 2400::/12
  for (int i = 2; i < 8; ++i) a.bytes[i] = static_cast<uint8_t>(h >> (8 * i));
  // The low 64 bits carry the index itself: distinct per source.
  for (int i = 0; i < 8; ++i) a.bytes[15 - i] = static_cast<uint8_t>(index >> (8 * i));
  a.bytes[8] |= 0x02;  // never ::x:y-looking all-zero interface ids
  return a;
}

base::IpAddress random_public_v4(Rng& rng) {
  for (;;) {
    const auto a = static_cast<uint32_t>(rng.next());
    if (is_public_v4(a)) return base::IpAddress::v4(a);
  }
}

}  // namespace teiten::synth
