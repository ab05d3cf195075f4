// teiten::synth::Rng — the generator's only source of randomness.
//
// xoshiro256** seeded through splitmix64: fast enough for millions of
// packets a second and, unlike std::*_distribution, it gives the same
// stream on every platform and library, so a seed names one exact capture.
// Streams for independent parts (one per sensor, one per pool) come from
// Rng(seed, stream) so that adding packets to one part never shifts another.
#pragma once

#include <cmath>
#include <cstdint>

namespace teiten::synth {

/// One splitmix64 step: also a good 64-bit mixing function for hashing.
inline uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/// Stateless mix of a value, for per-index traits that need no table.
inline uint64_t mix64(uint64_t x) {
  return splitmix64(x);
}

/// A stream number for Rng(seed, stream) from the parts that name one
/// independent piece of the output (a kind tag, a month, a sensor, a port).
inline uint64_t stream_of(uint64_t tag, uint64_t a = 0, uint64_t b = 0, uint64_t c = 0) {
  return mix64(mix64(mix64(tag ^ 0x7465697465ull) ^ a) ^ b) ^ mix64(c + 1);
}

class Rng {
 public:
  explicit Rng(uint64_t seed, uint64_t stream = 0) {
    uint64_t s = seed ^ mix64(stream + 0x5851f42d4c957f2dull);
    for (auto& word : s_) word = splitmix64(s);
  }

  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform in [0, n); n > 0. Lemire's multiply-shift (bias below 2^-32 for our n).
  uint64_t below(uint64_t n) {
    __extension__ using U128 = unsigned __int128;  // -Wpedantic: a GCC/Clang extension
    return static_cast<uint64_t>((static_cast<U128>(next()) * n) >> 64);
  }
  /// Uniform in [lo, hi].
  int64_t between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo) + 1));
  }
  /// Uniform in [0, 1).
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }

  /// Poisson-distributed count with the given mean (Knuth below 30, a
  /// rounded normal above, which is plenty for traffic volumes).
  uint32_t poisson(double mean) {
    if (mean <= 0) return 0;
    if (mean < 30) {
      const double limit = std::exp(-mean);
      uint32_t k = 0;
      for (double p = unit(); p > limit; p *= unit()) ++k;
      return k;
    }
    double v = std::round(mean + std::sqrt(mean) * normal());
    return v < 0 ? 0u : static_cast<uint32_t>(v);
  }
  /// Failures before the first success of a trial with success chance
  /// 1/(1+mean): counts with the given mean and a long tail (retries).
  uint32_t geometric(double mean) {
    if (mean <= 0) return 0;
    const double q = mean / (1 + mean);
    uint32_t k = 0;
    while (k < 10'000 && chance(q)) ++k;
    return k;
  }
  double normal() {
    const double u1 = 1.0 - unit(), u2 = unit();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  /// Exponential with the given mean.
  double exponential(double mean) { return -mean * std::log(1.0 - unit()); }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace teiten::synth
