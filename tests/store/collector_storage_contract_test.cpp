// The collector-storage contract (common/store/collector_storage.h), run
// against every backend: test_store links SQLite's fresh_backend(),
// test_pgstore PostgreSQL's. The expected text forms are literals, not the
// formatter's output, so both backends answer to the same oracle.
#include <catch2/catch.hpp>
#include <regex>

#include "store/storage_backend.h"
#include "support/rows.h"

using namespace teiten;
using teiten::test::fresh_backend;
using teiten::test::Rows;
using teiten::test::tcp_probe_row;

namespace {

Rows sorted(Rows rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::string one(test::StorageBackend& b, const std::string& sql) {
  auto rows = b.query(sql);
  REQUIRE(rows.size() == 1);
  return rows[0][0];
}

}  // namespace

TEST_CASE("a batch applies once; its resend is recognised and changes nothing", "[storage]") {
  auto b = fresh_backend();
  auto s = b->open("Asia/Tokyo");
  const std::string db1(32, 'a');
  std::map<base::Day, tally::DayStats> days;
  days[14799].packets = 3;
  auto r1 = s->apply("s01", db1, 1, {tcp_probe_row(445, 7, 2, 100), tcp_probe_row(22, 7, 1, 101)},
                     days, 1000);
  CHECK(r1.applied);
  CHECK_FALSE(r1.gap);
  CHECK(r1.last_seq == 1);
  auto again = s->apply("s01", db1, 1,
                        {tcp_probe_row(445, 7, 2, 100), tcp_probe_row(22, 7, 1, 101)}, days, 1001);
  CHECK_FALSE(again.applied);
  CHECK(again.last_seq == 1);
  CHECK(one(*b, "SELECT sum(accesses) FROM rollup") == "3");
  CHECK(one(*b, "SELECT sum(packets) FROM coverage") == "3");

  s->apply("s01", db1, 2, {tcp_probe_row(445, 7, 5, 90)}, {}, 1002);
  CHECK(one(*b,
            "SELECT accesses FROM rollup WHERE sensor = 's01' AND port = 445"
            " AND src = '0.0.0.7'") == "7");
  CHECK(one(*b, "SELECT first_seen FROM rollup WHERE port = 445") == "90");
  CHECK(s->last_seq("s01", db1) == 2);
}

TEST_CASE("sensors and their databases are kept apart", "[storage]") {
  auto b = fresh_backend();
  auto s = b->open("UTC");
  const std::string a(32, 'a'), c(32, 'b');
  s->apply("s01", a, 1, {tcp_probe_row(445, 7, 1, 100)}, {}, 10);
  s->apply("s02", a, 1, {tcp_probe_row(445, 7, 1, 100)}, {}, 10);
  // A recreated sensor database starts at seq 1 again and is not a resend.
  auto fresh = s->apply("s01", c, 1, {tcp_probe_row(445, 7, 1, 200)}, {}, 20);
  CHECK(fresh.applied);
  CHECK(one(*b, "SELECT count(*) FROM rollup") == "2");
  CHECK(one(*b, "SELECT sum(accesses) FROM rollup") == "3");
  auto sensors = s->sensors();
  REQUIRE(sensors.size() == 2);
  CHECK(sensors[0].name == "s01");
  CHECK(sensors[0].databases == 2);
  CHECK(sensors[0].batches == 2);
  CHECK(sensors[0].first_contact == 10);
  CHECK(sensors[0].last_contact == 20);
  CHECK(sensors[0].last_batch == 20);
  CHECK(sensors[1].rows == 1);
  s->touch_sensor("s03", 30);
  sensors = s->sensors();
  REQUIRE(sensors.size() == 3);
  CHECK(sensors[2].name == "s03");
  CHECK(sensors[2].batches == 0);
  CHECK_FALSE(sensors[2].last_batch);
}

TEST_CASE("a gap in sequence numbers is applied and reported", "[storage]") {
  auto b = fresh_backend();
  auto s = b->open("UTC");
  const std::string a(32, 'a');
  s->apply("s01", a, 1, {tcp_probe_row(1, 1, 1, 1)}, {}, 1);
  auto r = s->apply("s01", a, 5, {tcp_probe_row(2, 1, 1, 1)}, {}, 2);
  CHECK(r.applied);
  CHECK(r.gap);
  CHECK(s->last_seq("s01", a) == 5);
  CHECK(s->last_seq("s01", std::string(32, 'z')) == 0);
}

TEST_CASE("the collector database keeps the fleet's zone", "[storage]") {
  auto b = fresh_backend();
  { auto s = b->open("Asia/Tokyo"); }
  CHECK_THROWS_WITH(b->open("UTC"), Catch::Contains("time zone Asia/Tokyo"));
  CHECK(b->open("Asia/Tokyo"));
}

TEST_CASE("the views have the same columns and text forms on every backend", "[storage]") {
  auto b = fresh_backend();
  auto s = b->open("UTC");
  using P = packet::Proto;
  using K = packet::Kind;
  // 2010-07-01, 1970-01-01 and the last storable day, every proto and
  // kind, and the IPv6 forms RFC 5952 is particular about.
  std::vector<tally::Row> rows = {
      test::make_row(0, P::ip, 47, K::other, "10.0.0.1", 1, 5, 6),
      test::make_row(14791, P::tcp, 445, K::probe, "192.0.2.1", 3, 1277942400, 1277942460),
      test::make_row(14791, P::tcp, 445, K::probe, "2001:db8:0:0:1:0:0:1", 1, 1277942401,
                     1277942401),
      test::make_row(14791, P::tcp, 445, K::probe, "::ffff:1.2.3.4", 1, 1277942402, 1277942402),
      test::make_row(14791, P::tcp, 445, K::probe, "::1.2.3.4", 1, 1277942403, 1277942403),
      test::make_row(14791, P::tcp, 445, K::probe, "2001:0:0:1:0:0:0:1", 1, 1277942404, 1277942404),
      test::make_row(14791, P::tcp, 445, K::probe, "::2", 1, 1277942405, 1277942405),
      test::make_row(14791, P::udp, 53, K::backscatter, "FE80::ABCD:0:0:0", 2, 1277942406,
                     1277942407),
      test::make_row(14791, P::icmp, 8, K::probe, "198.51.100.255", 4, 1277942408, 1277942409),
      test::make_row(14791, P::icmpv6, 129, K::backscatter, "2001:db8::", 1, 1277942410,
                     1277942410),
      test::make_row(65535, P::tcp, 65535, K::other, "255.255.255.255", 1, 5000000000, 5000000001),
  };
  std::map<base::Day, tally::DayStats> days;
  auto& live = days[14791];
  live.packets = 20;
  live.first_packet = 1277942400;
  live.last_packet = 1277942410;
  live.capture_seconds = 600;
  live.kernel_drops = 2;
  REQUIRE(tally::add_named_counter(live, "malformed.snaplen", 2));
  REQUIRE(tally::add_named_counter(live, "malformed.tcp_truncated", 1));
  REQUIRE(tally::add_named_counter(live, "ignored.outgoing", 5));
  live.non_ip[0x0806] = 4;
  auto& replay = days[0];
  replay.packets = 1;
  replay.first_packet = 5;
  replay.last_packet = 65;
  s->apply("s01", std::string(32, 'a'), 1, rows, days, 100);

  CHECK(b->columns("rollup") == std::vector<std::string>{"day", "sensor", "proto", "port", "src",
                                                         "kind", "accesses", "first_seen",
                                                         "last_seen"});
  CHECK(b->columns("coverage") ==
        std::vector<std::string>{"day", "sensor", "coverage_seconds", "packets", "kernel_drops",
                                 "if_drops", "malformed", "non_ip", "ignored", "first_packet",
                                 "last_packet", "capture_seconds"});
  CHECK(b->columns("counters") == std::vector<std::string>{"day", "sensor", "name", "value"});

  CHECK(sorted(b->query("SELECT * FROM rollup")) ==
        sorted({
            {"1970-01-01", "s01", "ip", "47", "10.0.0.1", "other", "1", "5", "6"},
            {"2010-07-01", "s01", "tcp", "445", "192.0.2.1", "probe", "3", "1277942400",
             "1277942460"},
            {"2010-07-01", "s01", "tcp", "445", "2001:db8::1:0:0:1", "probe", "1", "1277942401",
             "1277942401"},
            {"2010-07-01", "s01", "tcp", "445", "::ffff:1.2.3.4", "probe", "1", "1277942402",
             "1277942402"},
            {"2010-07-01", "s01", "tcp", "445", "::102:304", "probe", "1", "1277942403",
             "1277942403"},
            {"2010-07-01", "s01", "tcp", "445", "2001:0:0:1::1", "probe", "1", "1277942404",
             "1277942404"},
            {"2010-07-01", "s01", "tcp", "445", "::2", "probe", "1", "1277942405", "1277942405"},
            {"2010-07-01", "s01", "udp", "53", "fe80::abcd:0:0:0", "backscatter", "2", "1277942406",
             "1277942407"},
            {"2010-07-01", "s01", "icmp", "8", "198.51.100.255", "probe", "4", "1277942408",
             "1277942409"},
            {"2010-07-01", "s01", "icmpv6", "129", "2001:db8::", "backscatter", "1", "1277942410",
             "1277942410"},
            {"2149-06-06", "s01", "tcp", "65535", "255.255.255.255", "other", "1", "5000000000",
             "5000000001"},
        }));
  CHECK(sorted(b->query("SELECT * FROM coverage")) ==
        sorted({
            {"1970-01-01", "s01", "60", "1", "NULL", "NULL", "0", "0", "0", "5", "65", "0"},
            {"2010-07-01", "s01", "600", "20", "2", "NULL", "3", "4", "5", "1277942400",
             "1277942410", "600"},
        }));
  CHECK(sorted(b->query("SELECT * FROM counters")) ==
        sorted({
            {"2010-07-01", "s01", "ignored.outgoing", "5"},
            {"2010-07-01", "s01", "malformed.snaplen", "2"},
            {"2010-07-01", "s01", "malformed.tcp_truncated", "1"},
            {"2010-07-01", "s01", "non_ip.0x0806", "4"},
        }));
}

TEST_CASE("deltas merge: sums, the earliest first and latest last, unknown drops stay unknown",
          "[storage]") {
  auto b = fresh_backend();
  auto s = b->open("UTC");
  const std::string db(32, 'c');
  std::map<base::Day, tally::DayStats> d1, d2;
  d1[14791].packets = 5;
  d1[14791].first_packet = 200;
  d1[14791].last_packet = 300;
  d1[14791].kernel_drops = 1;
  d2[14791].packets = 7;  // no packet span, drops not measured
  d2[14791].capture_seconds = 30;
  d2[14791].if_drops = 4;
  s->apply("s01", db, 1, {tcp_probe_row(445, 9, 2, 250)}, d1, 1);
  s->apply("s01", db, 2, {tcp_probe_row(445, 9, 3, 150), tcp_probe_row(445, 10, 1, 400)}, d2, 2);
  CHECK(sorted(b->query("SELECT src, accesses, first_seen, last_seen FROM rollup")) ==
        Rows{{"0.0.0.10", "1", "400", "400"}, {"0.0.0.9", "5", "150", "250"}});
  CHECK(b->query("SELECT packets, first_packet, last_packet, capture_seconds, kernel_drops,"
                 " if_drops FROM coverage") == Rows{{"12", "200", "300", "30", "1", "4"}});
}

TEST_CASE("status reads: freshness of today, size and backend through the interface", "[storage]") {
  auto b = fresh_backend();
  auto s = b->open("UTC");
  std::map<base::Day, tally::DayStats> days;
  days[14790].packets = 2;
  days[14790].first_packet = 1277856000;
  days[14790].last_packet = 1277856100;
  days[14791].packets = 9;
  days[14791].capture_seconds = 3600;
  days[14791].first_packet = 1277942400;
  days[14791].last_packet = 1277942500;
  s->apply("s01", std::string(32, 'a'), 1, {tcp_probe_row(445, 7, 1, 100)}, days, 10);
  s->touch_sensor("s02", 11);
  auto fresh = s->freshness(14791);
  REQUIRE(fresh.count("s01"));
  CHECK(fresh["s01"].last_packet == 1277942500);
  CHECK(fresh["s01"].coverage_today == 3600);
  CHECK(fresh["s01"].packets_today == 9);
  CHECK_FALSE(fresh.count("s02"));
  CHECK(s->freshness(14790)["s01"].coverage_today == 100);
  CHECK(s->database_bytes() > 0);
  std::regex version(b->name() == "sqlite" ? R"(SQLite 3\.\d+\.\d+)" : R"(PostgreSQL \d+\.\d+.*)");
  CHECK(std::regex_match(s->backend_version(), version));
}
