#include "common/report/surge.h"

#include <catch2/catch.hpp>

#include "common/report/figures.h"

using namespace teiten::report;

TEST_CASE("quartiles interpolate linearly and the sd is the population one", "[report][surge]") {
  // Python: statistics.quantiles([1,2,3,4], n=4, method="inclusive") == [1.75, 2.5, 3.25]
  auto b = baseline_of({4, 1, 3, 2});
  CHECK(b.days == 4);
  CHECK(b.median == 2.5);
  CHECK(b.iqr == Approx(1.5));
  CHECK(b.mean == 2.5);
  CHECK(b.sd == Approx(1.118033988749895));  // statistics.pstdev
  auto one = baseline_of({7});
  CHECK(one.median == 7);
  CHECK(one.iqr == 0);
  CHECK(one.sd == 0);
}

namespace {

DailySeries quiet_then(std::vector<uint64_t> tail, uint64_t level = 0, size_t quiet = 28) {
  DailySeries s;
  s.first = 100;
  s.values.assign(quiet, level);
  s.values.insert(s.values.end(), tail.begin(), tail.end());
  s.counted.assign(s.values.size(), true);
  return s;
}

}  // namespace

TEST_CASE("a spike above both thresholds and the floor starts a surge", "[report][surge]") {
  Rules rules;
  auto s = quiet_then({25, 30, 0, 40});
  auto runs = find_surges(s, 128, 131, rules);
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].start == 128);
  CHECK(runs[0].end == 129);
  CHECK(runs[0].peak_day == 129);
  CHECK(runs[0].peak_value == 30);
  CHECK(runs[1].start == 131);
}

TEST_CASE("below the floor, or within the baseline's spread, is no surge", "[report][surge]") {
  Rules rules;
  CHECK(find_surges(quiet_then({19}), 128, 128, rules).empty());
  // A noisy port: 10 and 40 alternating; 70 stays within mean + 3 sd.
  DailySeries noisy;
  noisy.first = 0;
  for (int i = 0; i < 28; ++i) noisy.values.push_back(i % 2 ? 40 : 10);
  noisy.values.push_back(70);
  noisy.counted.assign(noisy.values.size(), true);
  CHECK(find_surges(noisy, 28, 28, rules).empty());
}

TEST_CASE("days that do not count are left out of the baseline", "[report][surge]") {
  Rules rules;
  auto s = quiet_then({25}, 0, 28);
  // Only 5 baseline days count: below the minimum of 7, nothing is tested.
  for (size_t i = 0; i < 23; ++i) s.counted[i] = false;
  CHECK(find_surges(s, 128, 128, rules).empty());
  rules.surge_min_baseline = 5;
  CHECK(find_surges(s, 128, 128, rules).size() == 1);
}

TEST_CASE("ranking ties fall to the other count, then to the key", "[report]") {
  KeyTotals t{{"b", {10, 5}}, {"a", {10, 5}}, {"c", {10, 6}}, {"d", {11, 1}}};
  CHECK(rank_keys(t, false) == std::vector<std::string>{"d", "c", "a", "b"});
  CHECK(rank_keys(t, true) == std::vector<std::string>{"c", "a", "b", "d"});
  auto s = shares(t, {"d", "c"}, false);
  REQUIRE(s.size() == 3);
  CHECK(s[2].key == "other");
  CHECK(s[2].value == 20);
  CHECK(s[0].share == Approx(11.0 / 41));
}
