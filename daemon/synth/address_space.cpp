#include "daemon/synth/address_space.h"

#include <cstring>
#include <iterator>

namespace teiten::synth {
namespace {

struct Block {
  uint32_t base;  // host order
  uint8_t length;
};

constexpr uint32_t ip(unsigned a, unsigned b, unsigned c = 0, unsigned d = 0) {
  return a << 24 | b << 16 | c << 8 | d;
}

// A few large blocks per region (RIR delegations as of about 2010).
constexpr Block kCn[] = {{ip(58, 208), 12},  {ip(60, 160), 11}, {ip(61, 128), 10},
                         {ip(114, 224), 12}, {ip(125, 64), 11}, {ip(183, 0), 10},
                         {ip(219, 128), 11}, {ip(220, 160), 11}};
constexpr Block kJp[] = {{ip(126, 0), 8}, {ip(133, 0), 8}, {ip(114, 144), 12}, {ip(219, 96), 11}};
constexpr Block kUs[] = {{ip(24, 0), 12}, {ip(68, 32), 11}, {ip(71, 192), 12}, {ip(98, 192), 10}};
constexpr Block kKr[] = {
    {ip(121, 128), 10}, {ip(175, 192), 10}, {ip(211, 32), 11}, {ip(222, 96), 12}};
constexpr Block kTw[] = {{ip(114, 32), 12}, {ip(118, 160), 13}, {ip(220, 128), 12}};
constexpr Block kRu[] = {{ip(95, 24), 13}, {ip(178, 64), 12}, {ip(92, 100), 14}};
constexpr Block kBr[] = {{ip(187, 0), 11}, {ip(189, 0), 11}, {ip(201, 0), 12}};
constexpr Block kDe[] = {{ip(79, 192), 10}, {ip(84, 128), 10}, {ip(87, 128), 10}, {ip(91, 0), 10}};
constexpr Block kIn[] = {{ip(117, 192), 10}, {ip(59, 88), 13}};
constexpr Block kFr[] = {{ip(82, 224), 11}, {ip(88, 160), 11}};

struct Blocks {
  const Block* begin;
  size_t size;
};
template <size_t N>
constexpr Blocks of(const Block (&b)[N]) {
  return {b, N};
}
constexpr Blocks kBlocks[] = {of(kCn), of(kJp), of(kUs), of(kKr), of(kTw),     of(kRu),
                              of(kBr), of(kDe), of(kIn), of(kFr), {nullptr, 0}};
static_assert(std::size(kBlocks) == static_cast<size_t>(Region::count));

// IPv6 blocks in the same order (elsewhere: 2a00::/12 RIPE space at random).
constexpr uint16_t kV6[][2] = {{0x240e, 0x0000}, {0x2001, 0x0200}, {0x2601, 0x0000},
                               {0x2001, 0x0e60}, {0x2001, 0xb000}, {0x2a02, 0x2a00},
                               {0x2804, 0x0000}, {0x2003, 0x0000}, {0x2401, 0x4900},
                               {0x2a01, 0x0e00}, {0x2a00, 0x0000}};

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

base::IpAddress regional_v4(Region r, Rng& rng) {
  const Blocks& blocks = kBlocks[static_cast<size_t>(r)];
  for (;;) {
    uint32_t a;
    if (blocks.size == 0) {
      a = static_cast<uint32_t>(rng.next());
    } else {
      const Block& b = blocks.begin[rng.below(blocks.size)];
      a = b.base | static_cast<uint32_t>(rng.below(uint64_t{1} << (32 - b.length)));
    }
    if (is_public_v4(a)) return base::IpAddress::v4(a);
  }
}

base::IpAddress regional_v6(Region r, Rng& rng) {
  base::IpAddress a;
  a.family = base::Family::v6;
  const uint16_t* prefix = kV6[static_cast<size_t>(r)];
  a.bytes[0] = static_cast<uint8_t>(prefix[0] >> 8);
  a.bytes[1] = static_cast<uint8_t>(prefix[0]);
  a.bytes[2] = static_cast<uint8_t>(prefix[1] >> 8);
  a.bytes[3] = static_cast<uint8_t>(prefix[1] | rng.below(256));
  const uint64_t host = rng.next(), site = rng.next();
  for (int i = 4; i < 8; ++i) a.bytes[i] = static_cast<uint8_t>(site >> (8 * i));
  std::memcpy(a.bytes.data() + 8, &host, 8);
  if (rng.chance(0.5)) {  // many scanners use small, hand-set interface ids
    std::memset(a.bytes.data() + 8, 0, 8);
    a.bytes[15] = static_cast<uint8_t>(1 + rng.below(254));
  }
  return a;
}

Region RegionMix::pick(Rng& rng) const {
  double total = 0;
  for (double w : weight) total += w;
  double x = rng.unit() * total;
  for (size_t i = 0; i < static_cast<size_t>(Region::count); ++i) {
    if (x < weight[i]) return static_cast<Region>(i);
    x -= weight[i];
  }
  return Region::elsewhere;
}

const RegionMix& global_mix() {
  //                          cn  jp  us kr tw ru br de in fr elsewhere
  static const RegionMix mix{{30, 20, 12, 6, 6, 6, 4, 4, 4, 2, 6}};
  return mix;
}
const RegionMix& foreign_mix() {
  static const RegionMix mix{{4, 0, 18, 3, 2, 12, 8, 14, 4, 10, 25}};
  return mix;
}
const RegionMix& china_mix() {
  static const RegionMix mix{{85, 0, 4, 3, 4, 0, 0, 0, 0, 0, 4}};
  return mix;
}

}  // namespace teiten::synth
