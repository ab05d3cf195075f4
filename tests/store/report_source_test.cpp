#include <catch2/catch.hpp>
#include <filesystem>

#include "common/store/collector_store.h"
#include "common/store/database.h"
#include "common/store/sensor_store.h"
#include "common/store/sqlite_report_source.h"
#include "support/temp_dir.h"
#include "wire/wire_test_support.h"

using namespace teiten;
using teiten::test::TempDir;

namespace {

constexpr base::Day kJuly9 = 14799;

tally::Row row(base::Day day, packet::Proto proto, uint16_t port, packet::Kind kind,
               const std::string& src, uint64_t accesses) {
  int64_t t = int64_t{day} * 86400 + 10;
  return test::make_row(day, proto, port, kind, src, accesses, t, t);
}

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

TEST_CASE("a collector database is read while its daemon holds the lock, from one snapshot",
          "[store][report]") {
  TempDir dir;
  store::CollectorStore c(dir.file("c.db"), "Asia/Tokyo");
  const std::string id(32, 'a');
  c.apply("s02", id, 1,
          {row(kJuly9, Proto::tcp, 445, Kind::probe, "198.51.100.7", 3),
           row(kJuly9, Proto::tcp, 445, Kind::probe, "2001:db8::1", 1),
           row(kJuly9, Proto::tcp, 80, Kind::backscatter, "192.0.2.1", 4)},
          covered(kJuly9, 86400), 100);
  c.apply("s01", id, 1, {row(kJuly9 + 1, Proto::udp, 5060, Kind::probe, "198.51.100.7", 2)},
          covered(kJuly9 + 1, 3600), 100);

  auto src = store::open_sqlite_report_source(dir.file("c.db"));
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
  c.apply("s01", id, 2, {row(kJuly9 + 2, Proto::tcp, 22, Kind::probe, "198.51.100.9", 1)}, {},
          101);
  CHECK(src->days()->last == kJuly9 + 1);
  CHECK(store::open_sqlite_report_source(dir.file("c.db"))->days()->last == kJuly9 + 2);
}

TEST_CASE("a sensor database answers the same calls for its one sensor", "[store][report]") {
  TempDir dir;
  store::SensorStore s(dir.file("s.db"), "s07", "UTC");
  tally::TallyDelta d;
  d.rows.add_v4(kJuly9, tally::pack_proto_kind(Proto::icmp, Kind::probe), 8, 0xC6336407,
                kJuly9 * 86400 + 5);
  d.rows.add_v4(kJuly9, tally::pack_proto_kind(Proto::icmp, Kind::probe), 8, 0xC6336407,
                kJuly9 * 86400 + 6);
  d.days[kJuly9].packets = 2;
  d.days[kJuly9].first_packet = kJuly9 * 86400 + 5;
  d.days[kJuly9].last_packet = kJuly9 * 86400 + 6;
  s.commit(d);
  auto src = store::open_sqlite_report_source(dir.file("s.db"));
  CHECK(src->kind() == "sensor");
  CHECK(src->sensors() == std::vector<std::string>{"s07"});
  auto totals = src->port_day_totals({kJuly9, kJuly9});
  REQUIRE(totals.size() == 1);
  CHECK(totals[0].accesses == 2);
  CHECK(totals[0].sources == 1);
  CHECK(totals[0].proto == Proto::icmp);
  auto cov = src->coverage({kJuly9, kJuly9});
  REQUIRE(cov.size() == 1);
  CHECK(cov[0].coverage_seconds == 1);  // --read: the span from first to last packet
}

TEST_CASE("a missing file, a foreign database and garbage are refused, nothing is created",
          "[store][report]") {
  TempDir dir;
  CHECK_THROWS_AS(store::open_sqlite_report_source(dir.file("none.db")), store::StoreError);
  CHECK_FALSE(std::filesystem::exists(dir.file("none.db")));
  {
    store::Database other(dir.file("other.db"));
    other.exec("CREATE TABLE t(x)");
  }
  CHECK_THROWS_WITH(store::open_sqlite_report_source(dir.file("other.db")),
                    Catch::Contains("not a teiten database"));
  dir.write("junk.db", std::string(4096, 'x'));
  CHECK_THROWS_AS(store::open_sqlite_report_source(dir.file("junk.db")), store::StoreError);
}

TEST_CASE("a WAL database closed by its daemon opens read-only without its -shm file",
          "[store][report]") {
  TempDir dir;
  {
    store::CollectorStore c(dir.file("c.db"), "UTC");
    c.apply("s01", std::string(32, 'a'), 1,
            {row(kJuly9, Proto::tcp, 23, Kind::probe, "198.51.100.1", 1)}, {}, 1);
  }
  std::filesystem::remove(dir.file("c.db-shm"));
  std::filesystem::remove(dir.file("c.db-wal"));
  auto src = store::open_sqlite_report_source(dir.file("c.db"));
  CHECK(src->port_day_totals({kJuly9, kJuly9}).size() == 1);
}
