#include <catch2/catch.hpp>

#include "daemon/synth/day_boundary_scenario.h"
#include "tests/synth/synth_test_support.h"

using namespace teiten;
using namespace teiten::synth;

namespace {

synth::test::View boundary_view() {
  return {{*base::Prefix::parse("192.0.2.1"), *base::Prefix::parse("2001:db8::1")}, {}};
}

// Rows of one day whose first or last packet is `sec`.
size_t rows_touching(const synth::test::Rows& rows, const std::string& day, int64_t sec) {
  size_t n = 0;
  for (const auto& [k, v] : rows)
    if (std::get<0>(k) == day && (v.first == sec || v.last == sec)) ++n;
  return n;
}

}  // namespace

TEST_CASE("day-boundary truth matches a recount across Tokyo midnights", "[synth]") {
  synth::test::TempDir dir;
  SynthOptions o;
  o.out_dir = dir.path();
  auto summary = run_day_boundary(o);
  CHECK(summary["parameters"]["first_day"] == "2010-07-01");
  // 2010-07-02 00:00 JST = 2010-07-01T15:00:00Z, hand-computed.
  CHECK(summary["parameters"]["midnights"][0] == 1277996400);
  CHECK(summary["parameters"]["midnights"][1] == 1278082800);
  const auto r = synth::test::recount(dir.file("day-boundary.pcap"), boundary_view(), "Asia/Tokyo");
  const auto truth = synth::test::read_truth_csv(dir.file("day-boundary.truth.csv"));
  INFO(synth::test::describe_difference(truth, r.rows));
  CHECK(r.rows == truth);
  CHECK(r.undecodable == 0);
  CHECK(r.out_of_order == 0);
  CHECK(r.packets >= 300);
  CHECK(r.counted == r.packets);
  // Both sides of each midnight hold rows that end or start right at it.
  CHECK(rows_touching(truth, "2010-07-01", 1277996399) >= 10);
  CHECK(rows_touching(truth, "2010-07-02", 1277996400) >= 10);
  CHECK(rows_touching(truth, "2010-07-02", 1278082799) >= 10);
  CHECK(rows_touching(truth, "2010-07-03", 1278082800) >= 10);
}

TEST_CASE("day-boundary in America/New_York straddles the 23-hour DST day", "[synth]") {
  synth::test::TempDir dir;
  SynthOptions o;
  o.out_dir = dir.path();
  o.timezone = "America/New_York";
  auto summary = run_day_boundary(o);
  CHECK(summary["parameters"]["first_day"] == "2010-03-13");
  CHECK(summary["parameters"]["last_day"] == "2010-03-15");
  // Midnight EST (UTC-5) before the change, midnight EDT (UTC-4) after it;
  // the clocks jumped at 2010-03-14T07:00:00Z.
  CHECK(summary["parameters"]["midnights"][0] == 1268542800);
  CHECK(summary["parameters"]["midnights"][1] == 1268625600);
  CHECK(summary["parameters"]["offset_change"] == 1268550000);
  const auto r =
      synth::test::recount(dir.file("day-boundary.pcap"), boundary_view(), "America/New_York");
  const auto truth = synth::test::read_truth_csv(dir.file("day-boundary.truth.csv"));
  INFO(synth::test::describe_difference(truth, r.rows));
  CHECK(r.rows == truth);
  for (const auto& [k, v] : truth) {
    const std::string& day = std::get<0>(k);
    CHECK((day == "2010-03-13" || day == "2010-03-14" || day == "2010-03-15"));
  }
  // The crowd around 01:59:59 EST / 03:00:00 EDT stays on the 14th.
  CHECK(rows_touching(truth, "2010-03-14", 1268549999) >= 10);
  CHECK(rows_touching(truth, "2010-03-14", 1268550000) >= 10);
  CHECK(summary["days"].size() == 3);
}

TEST_CASE("day-boundary over the autumn change keeps the 25-hour day whole", "[synth]") {
  synth::test::TempDir dir;
  SynthOptions o;
  o.out_dir = dir.path();
  o.timezone = "America/New_York";
  o.day = "2010-11-06";
  auto summary = run_day_boundary(o);
  CHECK(summary["parameters"]["offset_change"] == 1289109600);  // 2010-11-07T06:00:00Z
  const auto r =
      synth::test::recount(dir.file("day-boundary.pcap"), boundary_view(), "America/New_York");
  const auto truth = synth::test::read_truth_csv(dir.file("day-boundary.truth.csv"));
  INFO(synth::test::describe_difference(truth, r.rows));
  CHECK(r.rows == truth);
  CHECK(rows_touching(truth, "2010-11-07", 1289109599) >= 10);
  CHECK(rows_touching(truth, "2010-11-07", 1289109600) >= 10);
}
