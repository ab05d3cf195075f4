// teiten-synth: realistic darknet traffic as pcap files, with exact ground
// truth. Parses flags, runs one scenario, maps failures to exit codes:
// 0 done, 1 failure (message on stderr), 2 bad command line.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "daemon/synth/bench_scenario.h"
#include "daemon/synth/day_boundary_scenario.h"
#include "daemon/synth/fleet_scenario.h"

using namespace teiten::synth;

int main(int argc, char** argv) {
  CLI::App app{"teiten-synth: darknet traffic as pcap files with exact ground truth"};
  app.require_subcommand(1);
  SynthOptions o;
  std::string truth;
  auto common = [&](CLI::App* sub, const char* zone) {
    sub->add_option("--out", o.out_dir, "Output directory (created when missing)")->required();
    sub->add_option("--seed", o.seed, "Random seed: one seed, one exact output")
        ->capture_default_str();
    sub->add_option("--timezone", o.timezone, "IANA zone whose local days the truth uses")
        ->default_str(zone);
    sub->add_option("--truth", truth, "Ground truth: full (CSV and summary) or summary only")
        ->check(CLI::IsMember({"full", "summary"}))
        ->default_str(std::string(zone) == "UTC" ? "summary" : "full");
  };
  CLI::App* telescope = app.add_subcommand("bench-telescope", "bench file: the telescope mix");
  CLI::App* small = app.add_subcommand("bench-small", "bench file: the small-sensor mix");
  for (CLI::App* bench : {telescope, small}) {
    common(bench, "UTC");
    bench->add_option("--packets", o.packets, "Packets to write")
        ->capture_default_str()
        ->check(CLI::Range(1ull, 1ull << 32));
    bench
        ->add_option("--sources", o.sources,
                     "Source population (default: 20k or 1M per 5M packets)")
        ->check(CLI::Range(100ull, 1ull << 26));
    bench->add_option("--day", o.day, "First of the two local days, YYYY-MM-DD")
        ->default_str("2010-07-01");
  }
  CLI::App* fleet =
      app.add_subcommand("fleet", "A month of a TALOT2-like fleet, one pcap per sensor");
  common(fleet, "Asia/Tokyo");
  fleet->add_option("--month", o.month, "Month YYYY-MM")->capture_default_str();
  fleet->add_option("--sensors", o.sensors, "Sensors s01..sNN")
      ->capture_default_str()
      ->check(CLI::Range(1u, 200u));
  fleet
      ->add_option("--scale", o.scale,
                   "Volume factor; 1 = TALOT2 (375 accesses, 164 sources per sensor-day)")
      ->capture_default_str()
      ->check(CLI::Range(0.001, 100.0));
  CLI::App* boundary =
      app.add_subcommand("day-boundary", "Packets crowding local midnights and DST changes");
  common(boundary, "Asia/Tokyo");
  boundary->add_option(
      "--day", o.day,
      "First of the three local days (default: around the first DST change of 2010)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  const bool bench = telescope->parsed() || small->parsed();
  o.truth = truth == "full" || (truth.empty() && !bench) ? TruthMode::full : TruthMode::summary;
  try {
    nlohmann::ordered_json summary;
    if (telescope->parsed())
      summary = run_bench(BenchKind::telescope, o);
    else if (small->parsed())
      summary = run_bench(BenchKind::small, o);
    else if (fleet->parsed())
      summary = run_fleet(o);
    else
      summary = run_day_boundary(o);
    std::printf("%s\n", summary.dump().c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "teiten-synth: %s\n", e.what());
    return 1;
  }
}
