#include <catch2/catch.hpp>
#include <filesystem>

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
  CHECK(test::run(kSynth + " 2>/dev/null").first == 2);
  CHECK(test::run(kSynth + " fleet --bogus --out " + dir.path().string() + " 2>/dev/null").first ==
        2);
  CHECK(test::run(kSynth + " fleet --sensors 0 --out " + dir.path().string() + " 2>/dev/null")
            .first == 2);
  CHECK(
      test::run(kSynth + " bench-small --truth some --out " + dir.path().string() + " 2>/dev/null")
          .first == 2);
  const auto zone =
      test::run(kSynth + " fleet --timezone Mars/Olympus --out " + dir.path().string() + " 2>&1");
  CHECK(zone.first == 1);
  CHECK(zone.second.find("Mars/Olympus") != std::string::npos);
  CHECK(test::run(kSynth + " fleet --month 2010-13 --out " + dir.path().string() + " 2>/dev/null")
            .first == 1);
  CHECK(test::run(kSynth + " fleet --out /proc/no-such-dir 2>/dev/null").first == 1);
}
