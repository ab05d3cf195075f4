// teiten::synth::apportion — splits a whole number into whole shares in
// proportion to weights, the total met exactly (largest remainder: each
// share gets the floor of its quota, the rest goes one by one to the
// largest fractions, ties to the lower index). Deterministic, so a seed
// names one exact plan. This is how a profile's targets are met exactly.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace teiten::synth {

/// Shares of `total` proportional to `weights` (all >= 0). When every weight
/// is 0 the total cannot be placed: returns an empty vector (total > 0) or
/// all zeros (total == 0).
std::vector<uint64_t> apportion(uint64_t total, std::span<const double> weights);

}  // namespace teiten::synth
