// teiten::synth::SynthOptions — what the command line asks of a scenario.
//
// One plain struct for every scenario (each reads the fields it uses), so
// tests drive the scenario functions exactly as main() does. Defaults that
// differ by scenario are left empty/zero here and resolved by the scenario.
#pragma once

#include <cstdint>
#include <string>

namespace teiten::synth {

enum class TruthMode { summary, full };

struct SynthOptions {
  std::string out_dir;  ///< created when missing
  uint64_t seed = 1;
  std::string timezone;               ///< empty: the scenario's default
  TruthMode truth = TruthMode::full;  ///< main() makes benches default to summary
  // bench-telescope, bench-small
  uint64_t packets = 5'000'000;
  uint64_t sources = 0;  ///< 0: 20k (telescope) or 1M (small) per 5M packets
  std::string day;       ///< first local day "YYYY-MM-DD"; empty: scenario default
};

}  // namespace teiten::synth
