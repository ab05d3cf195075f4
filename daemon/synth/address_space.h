// teiten::synth address space — where synthetic sources come from.
//
// Sources must look public: never 0/8, 10/8, 127/8, 224/3, the RFC 1918,
// shared, link-local or documentation/benchmark ranges (those are for our
// destinations). Bench sources are unique addresses from a bijective mix of
// an index. Profiles draw theirs from a geolocation database's networks
// instead (country_networks.h), so that the report's countries mean something.
#pragma once

#include <cstdint>
#include <vector>

#include "common/base/ip_address.h"
#include "daemon/synth/rng.h"

namespace teiten::synth {

/// True for an IPv4 address (host order) a scanner could plausibly have.
bool is_public_v4(uint32_t host_order);
/// `count` distinct public IPv4 addresses (host order), deterministic in seed.
std::vector<uint32_t> unique_public_v4(size_t count, uint64_t seed);
/// A distinct global IPv6 address per index (2400::/12-like space).
base::IpAddress indexed_public_v6(uint64_t index, uint64_t seed);

/// A random public IPv4 address.
base::IpAddress random_public_v4(Rng& rng);

}  // namespace teiten::synth
