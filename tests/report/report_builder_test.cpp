#include "common/report/report_builder.h"

#include <catch2/catch.hpp>

#include "common/report/report_json.h"
#include "report/fake_source.h"

using namespace teiten;
using packet::Kind;
using packet::Proto;
using report::FindingType;
using teiten::test::FakeLocator;
using teiten::test::FakeSource;

namespace {

constexpr base::Day kJune1 = 14761, kJuly1 = 14791, kJuly9 = 14799, kJuly31 = 14821;

// June and July 2010, three sensors; s03 misses 20-22 July. 445/tcp every
// day everywhere (JP), 22/tcp in June at s01 (CN), 5060/udp from 9 July at
// s01 and s02 (30 CN sources each), 27649/udp at s02 on 3 July (ZZ).
FakeSource fleet() {
  FakeSource f;
  f.names = {"s01", "s02", "s03"};
  std::vector<std::pair<base::Day, store::SensorIndex>> missing = {
      {kJuly1 + 19, 2}, {kJuly1 + 20, 2}, {kJuly1 + 21, 2}};
  f.cover(kJune1, kJuly31, missing);
  for (base::Day d = kJune1; d <= kJuly31; ++d) {
    for (store::SensorIndex s = 0; s < 3; ++s) {
      if (std::find(missing.begin(), missing.end(), std::make_pair(d, s)) != missing.end())
        continue;
      f.rows.push_back({d, s, Proto::tcp, 445, Kind::probe, "1.0.0.1", 3});
      f.rows.push_back({d, s, Proto::tcp, 445, Kind::probe, "1.0.0.2", 3});
    }
    if (d < kJuly1) f.rows.push_back({d, 0, Proto::tcp, 22, Kind::probe, "2.0.0.1", 10});
    if (d >= kJuly9)
      for (store::SensorIndex s = 0; s < 2; ++s)
        for (int i = 0; i < 30; ++i)
          f.rows.push_back(
              {d, s, Proto::udp, 5060, Kind::probe, "2.0.1." + std::to_string(i), 1});
  }
  f.rows.push_back({kJuly1 + 2, 1, Proto::udp, 27649, Kind::probe, "3.0.0.1", 150});
  f.rows.push_back({kJuly1 + 4, 0, Proto::tcp, 80, Kind::backscatter, "2.0.0.9", 7});
  f.counter_rows.push_back({kJuly1 + 4, 1, "malformed.snaplen", 4});
  return f;
}

}  // namespace

TEST_CASE("months parse strictly and know their days", "[report]") {
  auto m = report::Month::parse("2010-07");
  REQUIRE(m);
  CHECK(m->first_day() == kJuly1);
  CHECK(m->last_day() == kJuly31);
  CHECK(m->plus(-1).to_string() == "2010-06");
  CHECK(m->plus(6).to_string() == "2011-01");
  CHECK(report::Month::of_day(kJuly9) == *m);
  for (const char* bad : {"2010-7", "2010-13", "2010-00", "201a-07", "2010/07", "1969-12", ""})
    CHECK_FALSE(report::Month::parse(bad));
}

TEST_CASE("a month of a fleet: totals, coverage, ranks and regions", "[report]") {
  auto src = fleet();
  FakeLocator geo;
  auto r = report::build_report(src, geo, *report::Month::parse("2010-07"), report::Rules{});
  CHECK(r.sensor_names == std::vector<std::string>{"s01", "s02", "s03"});
  CHECK(r.days == 31);
  CHECK(r.probe.accesses == 540 + 1380 + 150);
  CHECK(r.probe.sources == 180 + 1380 + 1);
  CHECK(r.backscatter == report::Counts{7, 1});
  CHECK(r.sensor_days_possible == 93);
  CHECK(r.sensor_days_observed == 90);
  CHECK_FALSE(r.coverage_complete());
  CHECK(r.per_sensor_day_accesses == Approx(2070.0 / 90));
  CHECK(r.nominal_accesses == Approx(2070.0 / 93));
  REQUIRE(r.previous);
  CHECK(r.previous->probe.accesses == 540 + 300);
  REQUIRE(r.months.size() == 2);

  REQUIRE(r.ports.size() == 3);
  CHECK(r.ports[0].label == "5060/udp");
  CHECK_FALSE(r.ports[0].prev_rank);
  CHECK(r.ports[1].label == "445/tcp");
  CHECK(r.ports[1].prev_rank == 1);
  CHECK(r.ports[2].label == "27649/udp");
  CHECK(r.ports[2].rank_by_sources == 3);

  REQUIRE(r.regions.size() == 3);
  CHECK(r.regions[0].code == "CN");
  CHECK(r.regions[0].counts == report::Counts{1380, 1380});
  CHECK(r.regions[1].code == "JP");
  CHECK(r.regions[1].counts == report::Counts{540, 180});
  CHECK(r.regions[1].prev_rank == 1);
  CHECK(r.distinct_sources == 33);
  CHECK(geo.lookups == 34);  // each source once, June's included
  REQUIRE(r.asns.size() == 3);
  CHECK(r.asns[0].asn == 2);
  CHECK(r.asns[0].name == "TWO");

  CHECK(r.port_accesses.keys == std::vector<std::string>{"5060/udp", "445/tcp", "27649/udp"});
  CHECK(r.port_accesses.values[2][2] == 150);
  CHECK(r.port_access_trend.months.size() == 2);
  CHECK(r.port_access_trend.keys.back() == "other");  // 22/tcp in June

  REQUIRE(r.quality.size() == 3);
  CHECK(r.quality[2].missing_days.size() == 3);
  CHECK(r.quality[1].malformed_by_reason.at(0).second == 4);
}

TEST_CASE("the planted events are found with their start days and sensors", "[report]") {
  auto src = fleet();
  FakeLocator geo;
  auto r = report::build_report(src, geo, *report::Month::parse("2010-07"), report::Rules{});
  std::vector<report::Finding> surge, single, entry;
  for (const auto& f : r.findings)
    (f.type == FindingType::surge ? surge
     : f.type == FindingType::single_sensor ? single
                                            : entry)
        .push_back(f);
  REQUIRE(surge.size() == 1);
  CHECK(surge[0].label == "5060/udp");
  CHECK(surge[0].start == kJuly9);
  CHECK(surge[0].sensors == 2);
  CHECK(surge[0].start_sources == 60);
  CHECK(surge[0].top_country == "CN");
  REQUIRE(single.size() == 1);
  CHECK(single[0].label == "27649/udp");
  CHECK(single[0].sensor == "s02");
  CHECK(single[0].share == 1.0);
  REQUIRE(entry.size() == 2);
  CHECK(entry[0].label == "5060/udp");
  CHECK(entry[0].rank == 1);
  CHECK(entry[1].label == "27649/udp");
  CHECK(entry[1].rank == 3);
  // One chart per port type named, by sensor and by country.
  REQUIRE(r.finding_charts.size() == 2);
  CHECK(r.finding_charts[0].by_sensor.keys == std::vector<std::string>{"s01", "s02"});
  CHECK(r.finding_charts[0].by_country.keys == std::vector<std::string>{"CN"});

  auto j = report::to_json(r);
  CHECK(j["findings"][0]["type"] == "surge");
  CHECK(j["findings"][0]["start"] == "2010-07-09");
  CHECK(j["findings"][0]["sensors"] == 2);
  CHECK(j["ports"][0]["prev_rank"].is_null());
  CHECK(j["coverage"]["sensor_days_observed"] == 90);
  CHECK(j["previous"]["month"] == "2010-06");
}

TEST_CASE("the surge floor and the minimum baseline are parameters", "[report]") {
  auto src = fleet();
  FakeLocator geo;
  report::Rules rules;
  rules.surge_min_sources = 61;
  auto r = report::build_report(src, geo, *report::Month::parse("2010-07"), rules);
  for (const auto& f : r.findings) CHECK(f.type != FindingType::surge);
  rules = report::Rules{};
  rules.single_min_share = 1.01;
  r = report::build_report(src, geo, *report::Month::parse("2010-07"), rules);
  for (const auto& f : r.findings) CHECK(f.type != FindingType::single_sensor);
}

TEST_CASE("a month without data, or before the database, is NoData", "[report]") {
  auto src = fleet();
  FakeLocator geo;
  CHECK_THROWS_AS(report::build_report(src, geo, *report::Month::parse("2010-08"), {}),
                  report::NoData);
  CHECK_THROWS_AS(report::build_report(src, geo, *report::Month::parse("2010-05"), {}),
                  report::NoData);
  FakeSource empty;
  CHECK_THROWS_AS(report::build_report(empty, geo, *report::Month::parse("2010-07"), {}),
                  report::NoData);
}

TEST_CASE("the first month of a database has no previous month and no new entries",
          "[report]") {
  auto src = fleet();
  FakeLocator geo;
  auto r = report::build_report(src, geo, *report::Month::parse("2010-06"), {});
  CHECK_FALSE(r.previous);
  for (const auto& f : r.findings) CHECK(f.type != FindingType::new_entry);
  CHECK(r.ports[0].label == "445/tcp");
  CHECK_FALSE(r.ports[0].prev_rank);
}
