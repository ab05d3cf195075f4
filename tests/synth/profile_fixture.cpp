#include "tests/synth/profile_fixture.h"

#include <memory>

#include "daemon/synth/profile_scenario.h"

namespace teiten::synth::test {

std::string profile_file(const std::string& name) {
  return std::string(TEITEN_TEST_DATA) + "/../../config/synth/" + name + ".yaml";
}

const Generated& generated(const std::string& name) {
  static std::map<std::string, std::unique_ptr<Generated>> cache;
  auto& slot = cache[name];
  if (!slot) {
    slot = std::make_unique<Generated>();
    ProfileOptions o;
    o.file = profile_file(name);
    o.out_dir = slot->dir.path();
    run_profile(o);
    slot->summary = nlohmann::json::parse(slurp(slot->dir.file("profile.json")));
  }
  return *slot;
}

View Generated::view(const std::string& sensor) const {
  View v;
  for (const auto& s : summary["sensors"])
    if (s["id"] == sensor) {
      for (const auto& n : s["observed"]) v.observed.push_back(*base::Prefix::parse(n.get<std::string>()));
      for (const auto& n : s["ignore_sources"])
        v.ignore_sources.push_back(*base::Prefix::parse(n.get<std::string>()));
    }
  return v;
}

Rows Generated::truth(const std::string& month, const std::string& sensor) const {
  return read_truth_csv(path(month, sensor + ".truth.csv"));
}

nlohmann::json Generated::sensor_summary(const std::string& month, const std::string& sensor) const {
  return nlohmann::json::parse(slurp(path(month, sensor + ".summary.json")));
}

nlohmann::json Generated::expected_report(const std::string& month) const {
  return nlohmann::json::parse(slurp(path(month, "expected-report.json")));
}

}  // namespace teiten::synth::test
