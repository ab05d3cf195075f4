#include "daemon/synth/country_networks.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace teiten::synth {
namespace {

// IPv4 networks weigh their addresses; IPv6 networks their /64s (a /48 and
// a /32 are both far more than a scanner population), capped so that one
// giant allocation does not take every draw.
double weight_of(const base::Prefix& p) {
  if (p.address.is_v4()) return std::ldexp(1.0, 32 - p.length);
  return std::ldexp(1.0, std::clamp(64 - static_cast<int>(p.length), 0, 40));
}

// Sets the bits of `a` after the first `length` (of `bits`) at random.
void randomize_host_bits(base::IpAddress& a, unsigned length, unsigned bits, Rng& rng) {
  for (unsigned byte = length / 8; byte < bits / 8; ++byte) {
    const auto mask = static_cast<uint8_t>(byte == length / 8 ? 0xffu >> (length % 8) : 0xffu);
    a.bytes[byte] = static_cast<uint8_t>((a.bytes[byte] & ~mask) | (rng.next() & mask));
  }
}

}  // namespace

void CountryNetworks::set(const std::string& country, base::Family family,
                          std::vector<base::Prefix> networks) {
  Networks n;
  n.prefixes = std::move(networks);
  double sum = 0;
  for (const auto& p : n.prefixes) n.cumulative.push_back(sum += weight_of(p));
  by_country_[{country, family}] = std::move(n);
}

bool CountryNetworks::has(const std::string& country, base::Family family) const {
  const auto it = by_country_.find({country, family});
  return it != by_country_.end() && !it->second.prefixes.empty();
}

base::IpAddress CountryNetworks::draw(const std::string& country, base::Family family,
                                      Rng& rng) const {
  const auto it = by_country_.find({country, family});
  if (it == by_country_.end() || it->second.prefixes.empty())
    throw std::logic_error("no networks for " + country);
  const Networks& n = it->second;
  const double x = rng.unit() * n.cumulative.back();
  const size_t i = static_cast<size_t>(
      std::upper_bound(n.cumulative.begin(), n.cumulative.end(), x) - n.cumulative.begin());
  const base::Prefix& p = n.prefixes[std::min(i, n.prefixes.size() - 1)];
  base::IpAddress a = p.address;
  if (family == base::Family::v4) {
    // Hosts, not what looks like a network or broadcast address, where the
    // network leaves a choice.
    for (int tries = 0; tries < 8; ++tries) {
      randomize_host_bits(a, p.length, 32, rng);
      if (p.length >= 31 || (a.bytes[3] != 0 && a.bytes[3] != 255)) break;
    }
    return a;
  }
  randomize_host_bits(a, p.length, 128, rng);
  if (p.length <= 64 && rng.chance(0.5)) {
    // Many scanning hosts have small, hand-set interface ids.
    std::memset(a.bytes.data() + 8, 0, 8);
    a.bytes[15] = static_cast<uint8_t>(1 + rng.below(254));
  }
  return a;
}

}  // namespace teiten::synth
