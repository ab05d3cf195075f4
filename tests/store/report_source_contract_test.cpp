// The report's read of a collector database (common/store/report_source.h),
// run against every backend like the storage contract: test_store with
// SQLite, test_pgstore with PostgreSQL.
#include <catch2/catch.hpp>
#include <set>

#include "store/storage_backend.h"
#include "support/rows.h"

using namespace teiten;
using teiten::test::day_row;
using teiten::test::fresh_backend;

namespace {

constexpr base::Day kJuly9 = 14799;

std::map<base::Day, tally::DayStats> covered(base::Day day, int64_t seconds) {
  std::map<base::Day, tally::DayStats> days;
  days[day].capture_seconds = seconds;
  days[day].packets = 5;
  days[day].kernel_drops = 2;
  days[day].malformed[static_cast<size_t>(packet::Malformed::snaplen)] = 3;
  return days;
}

using packet::Kind;
using packet::Proto;

}  // namespace

TEST_CASE("a collector database is read while its daemon writes, from one snapshot",
          "[store][report]") {
  auto b = fresh_backend();
  auto c = b->open("Asia/Tokyo");
  const std::string id(32, 'a');
  c->apply("s02", id, 1,
           {day_row(kJuly9, Proto::tcp, 445, Kind::probe, "198.51.100.7", 3),
            day_row(kJuly9, Proto::tcp, 445, Kind::probe, "2001:db8::1", 1),
            day_row(kJuly9, Proto::tcp, 80, Kind::backscatter, "192.0.2.1", 4)},
           covered(kJuly9, 86400), 100);
  c->apply("s01", id, 1, {day_row(kJuly9 + 1, Proto::udp, 5060, Kind::probe, "198.51.100.7", 2)},
           covered(kJuly9 + 1, 3600), 100);

  auto src = b->report_source();
  CHECK(src->kind() == "collector");
  // Sorted by name, whatever order the sensors first connected in.
  REQUIRE(src->sensors() == std::vector<std::string>{"s01", "s02"});
  auto days = src->days();
  REQUIRE(days);
  CHECK(days->first == kJuly9);
  CHECK(days->last == kJuly9 + 1);

  auto totals = src->port_day_totals({kJuly9, kJuly9 + 1});
  REQUIRE(totals.size() == 3);
  CHECK(totals[0].day == kJuly9);
  CHECK(totals[0].sensor == 1);
  CHECK(totals[0].proto == Proto::tcp);
  CHECK(totals[0].port == 80);
  CHECK(totals[0].kind == Kind::backscatter);
  CHECK(totals[1].port == 445);
  CHECK(totals[1].accesses == 4);
  CHECK(totals[1].sources == 2);
  CHECK(totals[2].sensor == 0);
  CHECK(totals[2].proto == Proto::udp);
  CHECK(src->port_day_totals({kJuly9 + 1, kJuly9 + 1}).size() == 1);

  std::vector<store::SourceRow> probes;
  src->for_each_row({kJuly9, kJuly9 + 1}, Kind::probe,
                    [&](const store::SourceRow& r) { probes.push_back(r); });
  REQUIRE(probes.size() == 3);
  std::set<std::string> texts;
  for (const auto& r : probes) texts.insert(r.src.to_string());
  CHECK(texts == std::set<std::string>{"198.51.100.7", "2001:db8::1"});

  auto cov = src->coverage({kJuly9, kJuly9 + 1});
  REQUIRE(cov.size() == 2);
  for (const auto& d : cov) {
    CHECK(d.coverage_seconds == (d.sensor == 1 ? 86400 : 3600));
    CHECK(d.kernel_drops == 2u);
    CHECK(d.malformed == 3);
    CHECK_FALSE(d.if_drops);
  }
  auto counters = src->counters({kJuly9, kJuly9});
  REQUIRE(counters.size() == 1);
  CHECK(counters[0].name == "malformed.snaplen");
  CHECK(counters[0].sensor == 1);

  // The daemon goes on writing: the open source keeps its snapshot, a new one sees it.
  c->apply("s01", id, 2, {day_row(kJuly9 + 2, Proto::tcp, 22, Kind::probe, "198.51.100.9", 1)}, {},
           101);
  CHECK(src->days()->last == kJuly9 + 1);
  CHECK(b->report_source()->days()->last == kJuly9 + 2);
}
