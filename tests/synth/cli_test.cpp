#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>
#include <nlohmann/json.hpp>

#include "tests/synth/synth_test_support.h"

using namespace teiten::synth;

namespace {
const std::string kSynth = std::string(TEITEN_BINARY_DIR) + "/daemon/synth/teiten-synth";
}

TEST_CASE("teiten-synth writes a scenario and prints its summary", "[synth][cli]") {
  test::TempDir dir;
  const auto [status, out] =
      test::run(kSynth + " day-boundary --out " + dir.path().string() + " --seed 5");
  CHECK(status == 0);
  CHECK(out.find("\"packets_written\"") != std::string::npos);
  CHECK(std::filesystem::exists(dir.file("day-boundary.pcap")));
  CHECK(std::filesystem::exists(dir.file("day-boundary.truth.csv")));
  const auto again = test::run(kSynth + " day-boundary --out " + dir.path().string() + " --seed 5");
  CHECK(again.second == out);
}

TEST_CASE("bench scenarios write only the summary unless asked for the full truth",
          "[synth][cli]") {
  test::TempDir dir;
  CHECK(test::run(kSynth + " bench-small --packets 1000 --out " + dir.path().string()).first == 0);
  CHECK(std::filesystem::exists(dir.file("bench-small.summary.json")));
  CHECK_FALSE(std::filesystem::exists(dir.file("bench-small.truth.csv")));
  CHECK(test::run(kSynth + " bench-telescope --packets 1000 --truth full --out " +
                  dir.path().string())
            .first == 0);
  CHECK(std::filesystem::exists(dir.file("bench-telescope.truth.csv")));
}

TEST_CASE("teiten-synth exits 2 for a bad command line and 1 for a failure", "[synth][cli]") {
  test::TempDir dir;
  const std::string small = std::string(TEITEN_TEST_DATA) + "/../../config/synth/small.yaml";
  CHECK(test::run(kSynth + " 2>/dev/null").first == 2);
  CHECK(test::run(kSynth + " profile " + small + " --bogus --out " + dir.path().string() +
                  " 2>/dev/null")
            .first == 2);
  CHECK(test::run(kSynth + " profile " + small + " 2>/dev/null").first == 2);  // no --out
  CHECK(
      test::run(kSynth + " bench-small --truth some --out " + dir.path().string() + " 2>/dev/null")
          .first == 2);
  const auto zone = test::run(kSynth + " day-boundary --timezone Mars/Olympus --out " +
                              dir.path().string() + " 2>&1");
  CHECK(zone.first == 1);
  CHECK(zone.second.find("Mars/Olympus") != std::string::npos);
  CHECK(test::run(kSynth + " day-boundary --day 2010-13-01 --out " + dir.path().string() +
                  " 2>/dev/null")
            .first == 1);
  CHECK(test::run(kSynth + " profile " + small + " --out /proc/no-such-dir 2>/dev/null").first ==
        1);
}

TEST_CASE("teiten-synth profile --check plans the months and writes nothing", "[synth][cli]") {
  test::TempDir dir;
  const std::string talot2 = std::string(TEITEN_TEST_DATA) + "/../../config/synth/talot2-2010.yaml";
  const auto [status, out] = test::run(kSynth + " profile " + talot2 + " --check");
  REQUIRE(status == 0);
  const auto j = nlohmann::json::parse(out);
  REQUIRE(j["months"].size() == 6);
  CHECK(j["months"][5]["month"] == "2010-07");
  CHECK(j["months"][5]["accesses"] == 116141);
  CHECK(j["months"][5]["sources"] == 50845);
  CHECK(j["sensors"].size() == 10);
}

TEST_CASE("a bad profile: every error on stderr as FILE:LINE:COLUMN, exit 2", "[synth][cli]") {
  for (const std::string name : {"bad-profile", "bad-countries"}) {
    const std::string file = std::string(TEITEN_TEST_DATA) + "/../synth/data/" + name + ".yaml";
    const auto [status, out] = test::run(kSynth + " profile " + file + " --check 2>&1 >/dev/null");
    INFO(name << ":\n" << out);
    CHECK(status == 2);
    std::string expected;
    std::istringstream lines(test::slurp(std::string(TEITEN_TEST_DATA) + "/../synth/data/" +
                                         name + ".errors"));
    for (std::string line; std::getline(lines, line);) expected += file + ":" + line + "\n";
    CHECK(out == expected);
  }
}

TEST_CASE("a profile that is not YAML stops at the first syntax error, located", "[synth][cli]") {
  test::TempDir dir;
  const std::string file = dir.write("broken.yaml", "profile: {name: x\nmonths: [\n");
  const auto [status, out] = test::run(kSynth + " profile " + file + " --check 2>&1");
  CHECK(status == 2);
  CHECK(out == file + ":2:7: YAML syntax error: end of map flow not found\n");
  const auto missing = test::run(kSynth + " profile " + dir.file("none.yaml") + " --check 2>&1");
  CHECK(missing.first == 2);
  CHECK(missing.second.find("none.yaml: cannot read") != std::string::npos);
}
