// teiten-synth: realistic darknet traffic as pcap files, with exact ground
// truth. Parses flags, runs one scenario, maps failures to exit codes:
// 0 done, 1 failure (message on stderr), 2 bad command line or profile
// (every error of a profile as FILE:LINE:COLUMN: message).
#include <cstdio>
#include <exception>

#include "common/config/config_error.h"
#include "daemon/synth/bench_scenario.h"
#include "daemon/synth/day_boundary_scenario.h"
#include "daemon/synth/synth_command.h"
#include "daemon/synth/write_progress.h"

using namespace teiten::synth;

int main(int argc, char** argv) {
  const auto parsed = parse_command_line(argc, argv);
  if (const int* code = std::get_if<int>(&parsed)) return *code;
  const SynthCommand& c = std::get<SynthCommand>(parsed);
  try {
    nlohmann::ordered_json summary;
    switch (c.scenario) {
      case SynthCommand::Scenario::bench_telescope:
        summary = run_bench(BenchKind::telescope, c.options);
        break;
      case SynthCommand::Scenario::bench_small:
        summary = run_bench(BenchKind::small, c.options);
        break;
      case SynthCommand::Scenario::profile:
        summary = run_profile(c.profile);
        break;
      case SynthCommand::Scenario::day_boundary:
        summary = run_day_boundary(c.options);
        break;
    }
    WriteProgress::run().finish();
    std::printf("%s\n", summary.dump().c_str());
    return 0;
  } catch (const teiten::config::ConfigErrors& e) {
    for (const auto& line : teiten::config::shown_errors(e.errors()))
      std::fprintf(stderr, "%s\n", line.c_str());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "teiten-synth: %s\n", e.what());
    return 1;
  }
}
