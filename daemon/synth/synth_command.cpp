#include "daemon/synth/synth_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>

namespace teiten::synth {

std::variant<SynthCommand, int> parse_command_line(int argc, char** argv) {
  CLI::App app{"teiten-synth: darknet traffic as pcap files with exact ground truth",
               "teiten-synth"};
  app.require_subcommand(1);
  SynthCommand c{};
  SynthOptions& o = c.options;
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
  ProfileOptions& po = c.profile;
  uint64_t profile_seed = 0;
  CLI::App* profile = app.add_subcommand(
      "profile", "A fleet's months as a profile describes them (docs/synth.md)");
  profile->add_option("file", po.file, "The profile (YAML)")->required();
  profile->add_option("--out", po.out_dir, "Output directory (created when missing)");
  CLI::Option* seed =
      profile->add_option("--seed", profile_seed, "Random seed (default: the profile's)");
  profile->add_option("--truth", truth, "Ground truth: full (CSV and summary) or summary only")
      ->check(CLI::IsMember({"full", "summary"}))
      ->default_str("full");
  profile->add_flag("--check", po.check_only, "Check the profile and plan it; write nothing");
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
  po.truth = o.truth;
  if (*seed) po.seed = profile_seed;
  if (profile->parsed() && !po.check_only && po.out_dir.empty()) {
    std::fprintf(stderr, "teiten-synth profile: --out is required (or --check)\n");
    return 2;
  }
  using S = SynthCommand::Scenario;
  c.scenario = telescope->parsed() ? S::bench_telescope
               : small->parsed()   ? S::bench_small
               : profile->parsed() ? S::profile
                                   : S::day_boundary;
  return c;
}

}  // namespace teiten::synth
