#include "common/store/sensor_store.h"

#include <catch2/catch.hpp>

#include "common/store/database.h"
#include "store/sqlite_rows.h"
#include "support/temp_dir.h"

using namespace teiten;
using teiten::test::TempDir;

namespace {

const auto kProbe = tally::pack_proto_kind(packet::Proto::tcp, packet::Kind::probe);
const auto kBack = tally::pack_proto_kind(packet::Proto::tcp, packet::Kind::backscatter);

tally::TallyDelta delta_with(
    std::initializer_list<std::tuple<uint16_t, uint16_t, uint32_t, uint32_t>> rows) {
  tally::TallyDelta d;
  for (auto [day, port, src, ts] : rows) {
    d.rows.add_v4(day, kProbe, port, src, ts);
    auto& s = d.days[day];
    ++s.packets;
    s.first_packet = std::min<int64_t>(s.first_packet, ts);
    s.last_packet = std::max<int64_t>(s.last_packet, ts);
  }
  return d;
}

// Reads as an operator's sqlite3 shell does while the sensor writes.
test::Rows query(const store::SensorStore& s, const std::string& sql) {
  return test::sqlite_rows(s.path(), sql);
}

}  // namespace

TEST_CASE("the rollup view shows canonical text for every column", "[store]") {
  TempDir dir;
  store::SensorStore s(dir.file("s.db"), "s01", "Asia/Tokyo");
  tally::TallyDelta d;
  d.rows.add_v4(14799, kProbe, 445, 0xC6336407, 1278601200);
  d.rows.add_v4(14799, kProbe, 445, 0xC6336407, 1278601205);
  uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7};
  d.rows.add_v6(14799, tally::pack_proto_kind(packet::Proto::icmpv6, packet::Kind::backscatter), 1,
                v6, 1278601300);
  s.commit(d);
  auto rows = query(s,
                    "SELECT day, sensor, proto, port, src, kind, accesses, first_seen, last_seen"
                    " FROM rollup ORDER BY proto");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0] == std::vector<std::string>{"2010-07-09", "s01", "icmpv6", "1", "2001:db8:ffff::7",
                                            "backscatter", "1", "1278601300", "1278601300"});
  CHECK(rows[1] == std::vector<std::string>{"2010-07-09", "s01", "tcp", "445", "198.51.100.7",
                                            "probe", "2", "1278601200", "1278601205"});
}

TEST_CASE("deltas merge into the same rows however they are grouped", "[store]") {
  TempDir dir;
  auto a = delta_with({{1, 445, 7, 100}, {1, 445, 7, 300}, {1, 22, 8, 150}});
  auto b = delta_with({{1, 445, 7, 50}, {2, 445, 7, 90000}});
  std::vector<tally::Row> split, whole;
  {
    store::SensorStore s(dir.file("split.db"), "s01", "UTC");
    s.commit(a);
    s.commit(b);
    s.for_each_row([&](const tally::Row& r) { split.push_back(r); });
    auto stats = s.all_day_stats();
    CHECK(stats.at(1).packets == 4);
    CHECK(stats.at(1).first_packet == 50);
    CHECK(stats.at(1).last_packet == 300);
  }
  {
    store::SensorStore s(dir.file("whole.db"), "s01", "UTC");
    a.merge(b);
    s.commit(a);
    s.for_each_row([&](const tally::Row& r) { whole.push_back(r); });
  }
  CHECK(split == whole);
  REQUIRE(split.size() == 3);
  CHECK(split[1].accesses == 3);
  CHECK(split[1].first_seen == 50);
}

TEST_CASE("a second process cannot open a locked database", "[store]") {
  TempDir dir;
  store::SensorStore first(dir.file("s.db"), "s01", "UTC");
  CHECK_THROWS_WITH(store::SensorStore(dir.file("s.db"), "s01", "UTC"),
                    Catch::Contains("in use by another process"));
}

TEST_CASE("a database keeps its id and refuses another sensor or zone", "[store]") {
  TempDir dir;
  std::string id;
  {
    store::SensorStore s(dir.file("s.db"), "s01", "Asia/Tokyo");
    id = s.database_id();
    CHECK(id.size() == 32);
  }
  {
    store::SensorStore s(dir.file("s.db"), "s01", "Asia/Tokyo");
    CHECK(s.database_id() == id);
  }
  CHECK_THROWS_WITH(store::SensorStore(dir.file("s.db"), "s02", "Asia/Tokyo"),
                    Catch::Contains("belongs to sensor 's01'"));
  CHECK_THROWS_WITH(store::SensorStore(dir.file("s.db"), "s01", "UTC"),
                    Catch::Contains("time zone Asia/Tokyo"));
  store::SensorStore other(dir.file("t.db"), "s01", "UTC");
  CHECK(other.database_id() != id);
}

TEST_CASE("coverage and counters views summarise each day", "[store]") {
  TempDir dir;
  store::SensorStore s(dir.file("s.db"), "s01", "UTC");
  tally::TallyDelta d;
  auto& st = d.days[3];
  st.packets = 10;
  st.first_packet = 3 * 86400 + 10;
  st.last_packet = 3 * 86400 + 70;
  st.malformed[static_cast<size_t>(packet::Malformed::snaplen)] = 2;
  st.malformed[static_cast<size_t>(packet::Malformed::ipv4_ihl)] = 1;
  st.non_ip[0x0806] = 3;
  st.ignored[0] = 4;
  st.kernel_drops = 5;
  s.commit(d);
  auto cov = query(s,
                   "SELECT day, sensor, coverage_seconds, packets, kernel_drops, malformed, non_ip,"
                   " ignored FROM coverage");
  REQUIRE(cov.size() == 1);
  CHECK(cov[0] == std::vector<std::string>{"1970-01-04", "s01", "60", "10", "5", "3", "3", "4"});
  auto if_drops = store::Database(s.path(), true).query_int("SELECT if_drops FROM coverage");
  CHECK_FALSE(if_drops.has_value());  // unsupported stays NULL, not 0
  auto n = store::Database(s.path(), true)
               .query_int("SELECT count(*) FROM counters WHERE name LIKE 'malformed.%'");
  CHECK(n == 2);
}

TEST_CASE("outbox batches get consecutive numbers and leave once acknowledged", "[store]") {
  TempDir dir;
  store::SensorStore s(dir.file("s.db"), "s01", "UTC");
  std::vector<store::OutboxBatch> batches(2);
  batches[0] = {0, 1000, 3, 5, "first"};
  batches[1] = {0, 1001, 2, 6, "second"};
  s.commit(delta_with({{5, 445, 7, 100}}), batches);
  s.commit(delta_with({{6, 445, 7, 100}}), {{0, 1002, 1, 6, "third"}});
  auto state = s.outbox_state();
  CHECK(state.batches == 3);
  CHECK(state.rows == 6);
  CHECK(state.oldest_created == 1000);
  auto b1 = s.next_batch(0);
  REQUIRE(b1);
  CHECK(b1->seq == 1);
  CHECK(b1->payload == "first");
  CHECK(s.next_batch(1)->payload == "second");
  CHECK(s.next_batch(2)->seq == 3);
  s.acknowledge(2);
  CHECK(s.next_batch(0)->seq == 3);
  CHECK(s.outbox_state().last_acked_seq == 2);
  CHECK(s.outbox_state().next_seq == 4);
}

TEST_CASE("pruning keeps days an unacknowledged batch still carries", "[store]") {
  TempDir dir;
  store::SensorStore s(dir.file("s.db"), "s01", "UTC");
  s.commit(delta_with({{1, 445, 7, 100}, {2, 445, 7, 100}, {3, 445, 7, 100}}),
           {{0, 0, 1, 2, "pending"}});
  CHECK(s.prune(3) == 1);  // day 1 only: day 2 waits for the collector
  s.acknowledge(1);
  CHECK(s.prune(3) == 1);
  CHECK(s.day_summary(3).rows == 1);
}

TEST_CASE("day summaries and top ports read the committed rows", "[store]") {
  TempDir dir;
  store::SensorStore s(dir.file("s.db"), "s01", "UTC");
  auto d = delta_with({{1, 445, 7, 100},
                       {1, 445, 7, 101},
                       {1, 445, 8, 100},
                       {1, 22, 9, 100},
                       {1, 22, 9, 101},
                       {1, 22, 9, 102}});
  d.rows.add_v4(1, kBack, 80, 10, 100);
  s.commit(d);
  auto sum = s.day_summary(1);
  CHECK(sum.rows == 4);
  CHECK(sum.accesses[1] == 6);
  CHECK(sum.accesses[2] == 1);
  auto by_acc = s.top_ports(1, 10, false);
  REQUIRE(by_acc.size() == 2);
  CHECK(by_acc[0].port == 445);  // 3 accesses and 2 sources beat 3 accesses and 1 source
  auto by_src = s.top_ports(1, 1, true);
  REQUIRE(by_src.size() == 1);
  CHECK(by_src[0].sources == 2);
}

TEST_CASE("the sensor store reports its size, backend and free space", "[store]") {
  TempDir dir;
  int64_t bytes = 0;
  {
    store::SensorStore s(dir.file("s.db"), "s01", "UTC");
    s.commit(delta_with({{14799, 445, 1, 100}, {14799, 22, 2, 101}}));
    bytes = s.database_bytes();
    CHECK(bytes > 0);
    CHECK_THAT(s.backend_version(), Catch::Matches(R"(SQLite 3\.\d+\.\d+)"));
    CHECK(s.free_bytes().value_or(0) > 0);
  }
  CHECK(std::filesystem::file_size(dir.file("s.db")) == static_cast<uint64_t>(bytes));
}

TEST_CASE("a flush interleaving IPv4 and IPv6 rows under shared keys commits each row once",
          "[store]") {
  // The rows go to SQLite through one INSERT ... SELECT from the flush's
  // virtual table (common/store/flush_rows_table.h), which walks both lists
  // in their merged order; committed twice, every access doubles.
  TempDir dir;
  store::SensorStore s(dir.file("s.db"), "s01", "UTC");
  tally::TallyDelta d;
  uint64_t accesses = 0;
  for (uint32_t i = 0; i < 3000; ++i) {
    auto port = static_cast<uint16_t>(i % 7);
    d.rows.add_v4(1, kProbe, port, 0x0A000000 + i, 100 + i);
    ++accesses;
    if (i % 3 == 0) {
      uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8};
      v6[14] = static_cast<uint8_t>(i >> 8);
      v6[15] = static_cast<uint8_t>(i);
      d.rows.add_v6(1, kBack, port, v6, 200 + i);
      d.rows.add_v6(1, kBack, port, v6, 100 + i);
      accesses += 2;
    }
  }
  d.days[1].packets = accesses;
  s.commit(d);
  CHECK(query(s, "SELECT count(*), sum(accesses) FROM tally") ==
        std::vector<std::vector<std::string>>{{"4000", std::to_string(accesses)}});
  CHECK(query(s, "SELECT count(*) FROM tally WHERE typeof(src) = 'text'") ==
        std::vector<std::vector<std::string>>{{"1000"}});
  CHECK(query(s, "SELECT min(first_seen), max(last_seen) FROM tally WHERE typeof(src) = 'text'") ==
        std::vector<std::vector<std::string>>{{"100", "3197"}});
  s.commit(d);
  CHECK(query(s, "SELECT count(*), sum(accesses) FROM tally") ==
        std::vector<std::vector<std::string>>{{"4000", std::to_string(2 * accesses)}});
  // An empty flush writes no rows and still commits its day stats.
  s.commit(tally::TallyDelta{});
  CHECK(query(s, "SELECT count(*) FROM tally") == std::vector<std::vector<std::string>>{{"4000"}});
}
