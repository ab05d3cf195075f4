// teiten::synth address space — where synthetic sources come from.
//
// Sources must look public: never 0/8, 10/8, 127/8, 224/3, the RFC 1918,
// shared, link-local or documentation/benchmark ranges (those are for our
// destinations). Bench sources are unique addresses from a bijective mix of
// an index; fleet sources come from a few national blocks per region so that
// the report's country and ASN pages have something to show. The blocks are
// approximate 2010-era allocations, not a geolocation database.
#pragma once

#include <cstdint>
#include <vector>

#include "common/base/ip_address.h"
#include "daemon/synth/rng.h"

namespace teiten::synth {

enum class Region : uint8_t { cn, jp, us, kr, tw, ru, br, de, in, fr, elsewhere, count };

/// True for an IPv4 address (host order) a scanner could plausibly have.
bool is_public_v4(uint32_t host_order);
/// `count` distinct public IPv4 addresses (host order), deterministic in seed.
std::vector<uint32_t> unique_public_v4(size_t count, uint64_t seed);
/// A distinct global IPv6 address per index (2400::/12-like space).
base::IpAddress indexed_public_v6(uint64_t index, uint64_t seed);

/// A random public IPv4 address in one of the region's blocks.
base::IpAddress regional_v4(Region r, Rng& rng);
/// A random global IPv6 address in the region's block.
base::IpAddress regional_v6(Region r, Rng& rng);

/// Relative weights per Region, summing to anything positive.
struct RegionMix {
  double weight[static_cast<size_t>(Region::count)] = {};
  Region pick(Rng& rng) const;
};
/// TALOT2-like origin mix of July 2010 (China and Japan first, then the US).
const RegionMix& global_mix();
/// Mostly from abroad (Europe, the Americas, Russia), for campaigns the
/// reference calls foreign ("海外の発信元").
const RegionMix& foreign_mix();
/// Mostly from China (9415/tcp, 1433/tcp).
const RegionMix& china_mix();

}  // namespace teiten::synth
