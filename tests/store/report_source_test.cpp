#include <catch2/catch.hpp>
#include <filesystem>

#include "common/store/collector_store.h"
#include "common/store/database.h"
#include "common/store/sensor_store.h"
#include "common/store/sqlite_report_source.h"
#include "support/rows.h"
#include "support/temp_dir.h"

using namespace teiten;
using teiten::test::day_row;
using teiten::test::TempDir;

namespace {

constexpr base::Day kJuly9 = 14799;

using packet::Kind;
using packet::Proto;

}  // namespace

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
            {day_row(kJuly9, Proto::tcp, 23, Kind::probe, "198.51.100.1", 1)}, {}, 1);
  }
  std::filesystem::remove(dir.file("c.db-shm"));
  std::filesystem::remove(dir.file("c.db-wal"));
  auto src = store::open_sqlite_report_source(dir.file("c.db"));
  CHECK(src->port_day_totals({kJuly9, kJuly9}).size() == 1);
}
