// teiten::synth::SynthCommand — teiten-synth's command line: which scenario
// to run and with what options. Kept apart from main() so that main stays
// a dispatcher; CLI11 prints help and usage errors.
#pragma once

#include <variant>

#include "daemon/synth/profile_scenario.h"
#include "daemon/synth/synth_options.h"

namespace teiten::synth {

struct SynthCommand {
  enum class Scenario { bench_telescope, bench_small, profile, day_boundary } scenario;
  SynthOptions options;  ///< bench-*, day-boundary
  ProfileOptions profile;
};

/// The command, or the exit code when there is nothing to run: 0 after
/// --help, 2 after a usage error (already printed).
std::variant<SynthCommand, int> parse_command_line(int argc, char** argv);

}  // namespace teiten::synth
