// What only the PostgreSQL backend has: several collectors on one
// database, monthly partitions, losing and regaining the server, schema
// versions. The contract both backends share is in
// tests/store/collector_storage_contract_test.cpp.
#include "common/pgstore/pg_collector_store.h"

#include <catch2/catch.hpp>
#include <random>
#include <thread>

#include "pgstore/pg_test_server.h"
#include "support/rows.h"
#include "support/temp_dir.h"

using namespace teiten;
using pgstore::PgCollectorStore;
using pgstore::PgConnection;
using teiten::test::TempDir;

namespace {

// A TCP probe of `day`, first and last seen `src` seconds after its midnight.
tally::Row row(base::Day day, uint16_t port, uint32_t src, uint64_t accesses) {
  return test::tcp_probe_row(day, port, src, accesses, int64_t{day} * 86400 + src);
}

std::vector<tally::Row> batch_rows(base::Day day, size_t n) {
  std::vector<tally::Row> rows;
  for (size_t i = 0; i < n; ++i) rows.push_back(row(day, 445, static_cast<uint32_t>(i + 1), 2));
  return rows;
}

std::string one(const std::string& conninfo, const std::string& sql) {
  PgConnection c(conninfo);
  auto r = c.query(sql);
  REQUIRE(r.rows() == 1);
  return r.is_null(0, 0) ? "NULL" : r.text(0, 0);
}

}  // namespace

TEST_CASE("two collectors applying the same batch at the same moment apply it once", "[pgstore]") {
  auto db = test::fresh_pg_database();
  PgCollectorStore a({db}, "UTC"), b({db}, "UTC");
  const std::string id(32, 'e');
  a.apply("s01", id, 1, batch_rows(14791, 10), {}, 1);
  auto rows = batch_rows(14791, 3000);
  std::map<base::Day, tally::DayStats> days;
  days[14791].packets = 6000;

  // A third session holds the sequence row, so both collectors are inside
  // their transactions, waiting on it, when it lets go: the race is certain,
  // not hoped for.
  PgConnection holder(db);
  pgstore::PgTransaction hold(holder);
  holder.query(
      "SELECT last_seq FROM sensor_databases d JOIN sensors s ON s.id = d.sensor"
      " WHERE s.name = 's01' FOR UPDATE OF d");
  store::ApplyResult ra, rb;
  std::thread ta([&] { ra = a.apply("s01", id, 2, rows, days, 2); });
  std::thread tb([&] { rb = b.apply("s01", id, 2, rows, days, 2); });
  // Both must be waiting for the lock before it is released.
  for (int i = 0; i < 500; ++i) {
    auto waiting = one(db,
                       "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                       " AND datname = current_database()");
    if (waiting == "2") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(one(db,
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            " AND datname = current_database()") == "2");
  hold.commit();
  ta.join();
  tb.join();
  CHECK(ra.applied != rb.applied);  // exactly one of them
  CHECK(ra.last_seq == 2);
  CHECK(rb.last_seq == 2);
  CHECK(one(db, "SELECT sum(accesses) FROM rollup") == std::to_string(20 + 6000));
  CHECK(one(db, "SELECT sum(packets) FROM coverage") == "6000");
  CHECK(one(db, "SELECT batches FROM sensor_databases") == "2");
}

TEST_CASE("collectors racing over many batches of many sensors apply each exactly once",
          "[pgstore]") {
  auto db = test::fresh_pg_database();
  constexpr int kCollectors = 3, kSensors = 4, kBatches = 15;
  std::vector<std::unique_ptr<PgCollectorStore>> stores;
  for (int i = 0; i < kCollectors; ++i)
    stores.push_back(std::make_unique<PgCollectorStore>(pgstore::PgSettings{db}, "UTC"));
  std::atomic<int> applied{0};
  std::vector<std::thread> threads;
  // Every collector offers every sensor's batches in order, as sensors
  // failing over between them would; months alternate so partitions are
  // created under the race too.
  for (int c = 0; c < kCollectors; ++c)
    threads.emplace_back([&, c] {
      for (int seq = 1; seq <= kBatches; ++seq)
        for (int s = 0; s < kSensors; ++s) {
          auto day = static_cast<base::Day>(14791 + 31 * (seq % 3) + s);
          auto r = stores[static_cast<size_t>(c)]->apply(
              "s" + std::to_string(s), std::string(32, 'a'), static_cast<uint64_t>(seq),
              batch_rows(day, 50), {}, seq);
          applied += r.applied;
        }
    });
  for (auto& t : threads) t.join();
  CHECK(applied == kSensors * kBatches);
  CHECK(one(db, "SELECT sum(accesses) FROM rollup") == std::to_string(kSensors * kBatches * 100));
  CHECK(one(db, "SELECT sum(batches) FROM sensor_databases") ==
        std::to_string(kSensors * kBatches));
}

TEST_CASE("the rollup table is partitioned by month, ahead and on demand, 2010 included",
          "[pgstore]") {
  auto db = test::fresh_pg_database();
  PgCollectorStore s({db}, "UTC");
  auto partitions = [&] {
    PgConnection c(db);
    auto r = c.query(
        "SELECT c.relname || ' ' || pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i"
        " JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'tally'::regclass"
        " ORDER BY 1");
    std::vector<std::string> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
    return out;
  };
  // This month and the next exist from the start.
  auto today = static_cast<base::Day>(std::time(nullptr) / 86400);
  auto ahead = partitions();
  auto month = pgstore::month_of(today);
  REQUIRE(ahead.size() == 2);
  CHECK(ahead[0].starts_with(pgstore::partition_name(month) + " FOR VALUES FROM ('" +
                             base::format_day(today).substr(0, 8) + "01')"));
  CHECK(ahead[1].starts_with(pgstore::partition_name(month + 1) + " "));
  s.apply("s01", std::string(32, 'a'), 1,
          {row(14791, 445, 1, 1), row(14821, 445, 1, 1), row(14822, 445, 1, 1)}, {}, 1);
  auto after = partitions();
  CHECK(std::count(after.begin(), after.end(),
                   "tally_2010_07 FOR VALUES FROM ('2010-07-01') TO ('2010-08-01')") == 1);
  CHECK(std::count(after.begin(), after.end(),
                   "tally_2010_08 FOR VALUES FROM ('2010-08-01') TO ('2010-09-01')") == 1);
  CHECK(after.size() == 4);
  // Each month's rows live in its partition; the parent holds none itself.
  CHECK(one(db, "SELECT count(*) FROM tally_2010_07") == "2");
  CHECK(one(db, "SELECT count(*) FROM ONLY tally") == "0");
  // A month's query reads its partition only.
  PgConnection c(db);
  auto plan = c.query(
      "EXPLAIN SELECT sum(accesses) FROM tally WHERE day BETWEEN '2010-07-01' AND '2010-07-31'");
  std::string text;
  for (int i = 0; i < plan.rows(); ++i) text += plan.text(i, 0) + "\n";
  CHECK_THAT(text, Catch::Contains("tally_2010_07") && !Catch::Contains("tally_2010_08"));
  // A partition created meanwhile by another collector is found, not made twice.
  PgCollectorStore other({db}, "UTC");
  other.apply("s02", std::string(32, 'b'), 1, {row(14853, 22, 1, 1)}, {}, 1);
  s.apply("s01", std::string(32, 'a'), 2, {row(14854, 22, 2, 1)}, {}, 2);
  CHECK(one(db, "SELECT count(*) FROM tally_2010_09") == "2");
}

TEST_CASE("PostgreSQL's inet text is made RFC 5952 text for any IPv6 address", "[pgstore]") {
  auto db = test::fresh_pg_database();
  PgCollectorStore s({db}, "UTC");
  // Random addresses with zero groups in random runs (where the rules
  // about :: bite), the IPv4-mapped and IPv4-compatible blocks included.
  std::mt19937 rng(11);
  std::vector<tally::Row> rows;
  for (uint32_t i = 0; i < 3000; ++i) {
    uint8_t b[16];
    for (int g = 0; g < 8; ++g) {
      uint16_t v = (rng() % 3 == 0) ? 0 : static_cast<uint16_t>(rng() % (rng() % 2 ? 16 : 65536));
      b[2 * g] = static_cast<uint8_t>(v >> 8);
      b[2 * g + 1] = static_cast<uint8_t>(v);
    }
    if (i % 10 == 0) std::fill(b, b + 10, 0);  // ::x:y:z, ::a.b.c.d, ...
    if (i % 20 == 0) b[10] = b[11] = 0xff;     // ::ffff:a.b.c.d
    if (i % 30 == 0) std::fill(b, b + 12, 0);  // IPv4-compatible
    auto r = row(14791, 1, 0, 1);
    r.src = base::IpAddress::from_bytes(base::Family::v6, b);
    r.port = static_cast<uint16_t>(i);  // keeps the keys distinct
    rows.push_back(r);
  }
  s.apply("s01", std::string(32, 'a'), 1, rows, {}, 1);
  PgConnection c(db);
  auto r = c.query("SELECT port, src FROM rollup");
  REQUIRE(r.rows() == 3000);
  int mismatches = 0;
  for (int i = 0; i < r.rows(); ++i) {
    auto expect = rows[static_cast<size_t>(std::stoi(r.text(i, 0)))].src.to_string();
    if (r.text(i, 1) != expect && ++mismatches < 5) CHECK(r.text(i, 1) == expect);
  }
  CHECK(mismatches == 0);
}

TEST_CASE("the views' text functions are inlined, not called per row", "[pgstore]") {
  // A call of an SQL function per row costs several times the scan (the
  // rollup view of 200k rows: 2.1 s called, 0.5 s inlined).
  auto db = test::fresh_pg_database();
  PgCollectorStore s({db}, "UTC");
  PgConnection c(db);
  for (const char* view : {"rollup", "coverage", "counters"}) {
    auto plan = c.query(std::string("EXPLAIN VERBOSE SELECT * FROM ") + view);
    std::string text;
    for (int i = 0; i < plan.rows(); ++i) text += plan.text(i, 0) + "\n";
    INFO(text);
    CHECK_THAT(text, !Catch::Contains("teiten_"));
  }
}

TEST_CASE("a database of a newer schema version is refused", "[pgstore]") {
  auto db = test::fresh_pg_database();
  { PgCollectorStore s({db}, "UTC"); }
  CHECK(one(db, "SELECT max(version) FROM schema_version") ==
        std::to_string(pgstore::pg_migrations().size()));
  test::pg_admin(db, "INSERT INTO schema_version(version, software) VALUES(99, 'future')");
  // Not retried: the collector stops (a server that is down is retried).
  CHECK_THROWS_AS(PgCollectorStore({db}, "UTC"), store::StoreIncompatible);
  CHECK_THROWS_WITH(PgCollectorStore({db}, "UTC"),
                    Catch::Contains("schema version 99, newer than this program's"));
}

TEST_CASE("a database of another fleet time zone is refused, not retried", "[pgstore]") {
  auto db = test::fresh_pg_database();
  { PgCollectorStore s({db}, "Asia/Tokyo"); }
  CHECK_THROWS_AS(PgCollectorStore({db}, "UTC"), store::StoreIncompatible);
}

namespace {

// Polls reconnect() until the store is connected (the backoff is at most 10 s).
store::CollectorStorage::Availability reconnected(PgCollectorStore& s) {
  store::CollectorStorage::Availability a;
  for (int i = 0; i < 150; ++i) {
    a = s.reconnect();
    if (a.available) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return a;
}

}  // namespace

TEST_CASE("a server down at start: the store waits, says why, creates the schema when it answers",
          "[pgstore]") {
  test::PrivatePgServer server;
  test::pg_admin(server.conninfo(), "CREATE DATABASE fleet");
  auto db = server.conninfo("fleet");
  server.pause();
  PgCollectorStore s({db}, "UTC");  // does not throw
  auto a = s.reconnect();
  CHECK_FALSE(a.available);
  CHECK_THAT(a.error, Catch::Contains("cannot connect"));
  REQUIRE(a.since.has_value());
  REQUIRE(a.next_attempt_ms.has_value());
  CHECK(*a.next_attempt_ms <= 10'000);
  const std::string id(32, 'e');
  CHECK_THROWS_WITH(s.apply("s01", id, 1, batch_rows(14791, 5), {}, 1),
                    Catch::Contains("PostgreSQL unavailable") || Catch::Contains("cannot connect"));
  server.resume();
  CHECK(reconnected(s).available);
  CHECK(one(db, "SELECT max(version) FROM schema_version") ==
        std::to_string(pgstore::pg_migrations().size()));
  CHECK(s.apply("s01", id, 1, batch_rows(14791, 5), {}, 1).applied);
  CHECK(one(db, "SELECT sum(accesses) FROM rollup") == "10");
}

TEST_CASE("a refused login is retried: a password file fixed later is read at the next connect",
          "[pgstore]") {
  test::PrivatePgServer server;
  auto tcp = server.add_login("collector", "Right-Pass-1", "fleet");
  TempDir dir;
  auto file = test::write_password_file(dir, "pw", "Wrong-Pass-2\n");
  PgCollectorStore s({tcp, file}, "UTC");
  auto a = s.reconnect();
  CHECK_FALSE(a.available);
  CHECK_THAT(a.error,
             Catch::Contains("password authentication failed") && !Catch::Contains("Wrong-Pass-2"));
  dir.write("pw", "Right-Pass-1\n");
  CHECK(reconnected(s).available);
  CHECK(s.apply("s01", std::string(32, 'd'), 1, batch_rows(14791, 3), {}, 1).applied);
}

TEST_CASE("the server going away: errors say why, the store reconnects with backoff", "[pgstore]") {
  test::PrivatePgServer server;
  test::pg_admin(server.conninfo(), "CREATE DATABASE fleet");
  auto db = server.conninfo("fleet");
  PgCollectorStore s({db}, "UTC");
  const std::string id(32, 'f');
  s.apply("s01", id, 1, batch_rows(14791, 5), {}, 1);
  server.pause();
  // The first call finds the connection lost; the next ones are told to wait.
  CHECK_THROWS_AS(s.apply("s01", id, 2, batch_rows(14791, 5), {}, 2), store::StoreError);
  CHECK_THROWS_WITH(s.last_seq("s01", id), Catch::Contains("cannot connect"));
  CHECK_THROWS_WITH(s.last_seq("s01", id),
                    Catch::Contains("PostgreSQL unavailable") && Catch::Contains("next attempt"));
  server.resume();
  // Within the capped backoff (10 s) the store is back.
  store::ApplyResult r;
  for (int i = 0; i < 150; ++i) {
    try {
      r = s.apply("s01", id, 2, batch_rows(14791, 5), {}, 2);
      break;
    } catch (const store::StoreError&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  CHECK(r.applied);
  CHECK(s.last_seq("s01", id) == 2);
  CHECK(one(db, "SELECT sum(accesses) FROM rollup") == "20");
  CHECK(s.apply("s01", id, 2, batch_rows(14791, 5), {}, 3).applied == false);
}

TEST_CASE("a batch with repeated or unsorted rows is merged, not refused", "[pgstore]") {
  auto db = test::fresh_pg_database();
  PgCollectorStore s({db}, "UTC");
  s.apply("s01", std::string(32, 'a'), 1,
          {row(14791, 445, 9, 1), row(14791, 22, 9, 2), row(14791, 445, 9, 3)}, {}, 1);
  CHECK(one(db, "SELECT accesses FROM rollup WHERE port = 445") == "4");
  CHECK(one(db, "SELECT count(*) FROM rollup") == "2");
}
