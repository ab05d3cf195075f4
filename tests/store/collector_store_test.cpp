#include "common/store/collector_store.h"

#include <sys/statvfs.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "common/store/database.h"
#include "common/store/file_system.h"
#include "support/temp_dir.h"

using namespace teiten;
using teiten::test::TempDir;

namespace {

tally::Row row(uint16_t port, uint32_t src, uint64_t accesses, int64_t t) {
  tally::Row r;
  r.day = 14799;
  r.proto = packet::Proto::tcp;
  r.kind = packet::Kind::probe;
  r.port = port;
  r.src = base::IpAddress::v4(src);
  r.accesses = accesses;
  r.first_seen = r.last_seen = t;
  return r;
}

// A second, read-only connection, as an operator's sqlite3 shell reads the
// database while the collector writes it.
std::optional<int64_t> query_int(const store::CollectorStore& s, const std::string& sql) {
  store::Database reader(s.path(), true);
  return reader.query_int(sql);
}

int64_t total_accesses(const store::CollectorStore& s) {
  return query_int(s, "SELECT coalesce(sum(accesses), 0) FROM rollup").value_or(-1);
}

}  // namespace

TEST_CASE("a batch applies once; its resend is recognised and changes nothing", "[store]") {
  TempDir dir;
  store::CollectorStore s(dir.file("c.db"), "Asia/Tokyo");
  const std::string db1(32, 'a');
  std::map<base::Day, tally::DayStats> days;
  days[14799].packets = 3;
  auto r1 = s.apply("s01", db1, 1, {row(445, 7, 2, 100), row(22, 7, 1, 101)}, days, 1000);
  CHECK(r1.applied);
  CHECK_FALSE(r1.gap);
  CHECK(r1.last_seq == 1);
  auto again = s.apply("s01", db1, 1, {row(445, 7, 2, 100), row(22, 7, 1, 101)}, days, 1001);
  CHECK_FALSE(again.applied);
  CHECK(again.last_seq == 1);
  CHECK(total_accesses(s) == 3);
  CHECK(query_int(s, "SELECT sum(packets) FROM coverage") == 3);

  s.apply("s01", db1, 2, {row(445, 7, 5, 90)}, {}, 1002);
  auto acc = query_int(
      s, "SELECT accesses FROM rollup WHERE sensor = 's01' AND port = 445 AND src = '0.0.0.7'");
  CHECK(acc == 7);
  CHECK(query_int(s, "SELECT first_seen FROM rollup WHERE port = 445") == 90);
  CHECK(s.last_seq("s01", db1) == 2);
}

TEST_CASE("sensors and their databases are kept apart", "[store]") {
  TempDir dir;
  store::CollectorStore s(dir.file("c.db"), "UTC");
  const std::string a(32, 'a'), b(32, 'b');
  s.apply("s01", a, 1, {row(445, 7, 1, 100)}, {}, 10);
  s.apply("s02", a, 1, {row(445, 7, 1, 100)}, {}, 10);
  // A recreated sensor database starts at seq 1 again and is not a resend.
  auto fresh = s.apply("s01", b, 1, {row(445, 7, 1, 200)}, {}, 20);
  CHECK(fresh.applied);
  CHECK(query_int(s, "SELECT count(*) FROM rollup") == 2);
  CHECK(total_accesses(s) == 3);
  auto sensors = s.sensors();
  REQUIRE(sensors.size() == 2);
  CHECK(sensors[0].name == "s01");
  CHECK(sensors[0].databases == 2);
  CHECK(sensors[0].batches == 2);
  CHECK(sensors[1].rows == 1);
}

TEST_CASE("a gap in sequence numbers is applied and reported", "[store]") {
  TempDir dir;
  store::CollectorStore s(dir.file("c.db"), "UTC");
  const std::string a(32, 'a');
  s.apply("s01", a, 1, {row(1, 1, 1, 1)}, {}, 1);
  auto r = s.apply("s01", a, 5, {row(2, 1, 1, 1)}, {}, 2);
  CHECK(r.applied);
  CHECK(r.gap);
  CHECK(s.last_seq("s01", a) == 5);
}

TEST_CASE("the collector database keeps the fleet's zone", "[store]") {
  TempDir dir;
  { store::CollectorStore s(dir.file("c.db"), "Asia/Tokyo"); }
  CHECK_THROWS_WITH(store::CollectorStore(dir.file("c.db"), "UTC"),
                    Catch::Contains("time zone Asia/Tokyo"));
  store::CollectorStore s(dir.file("c.db"), "Asia/Tokyo");
  CHECK_THROWS_WITH(store::CollectorStore(dir.file("c.db"), "Asia/Tokyo"),
                    Catch::Contains("in use by another process"));
}

namespace {

uint64_t statvfs_free(const std::string& dir) {
  struct statvfs st {};
  REQUIRE(::statvfs(dir.c_str(), &st) == 0);
  return static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
}

uint64_t distance(uint64_t a, uint64_t b) {
  return a > b ? a - b : b - a;
}

}  // namespace

TEST_CASE("size, backend and free space are answered through the storage interface", "[store]") {
  TempDir dir;
  int64_t bytes = 0;
  {
    store::CollectorStore sqlite(dir.file("c.db"), "UTC");
    store::CollectorStorage& s = sqlite;
    s.apply("s01", std::string(32, 'a'), 1, {row(445, 7, 1, 100), row(22, 8, 1, 100)}, {}, 10);
    bytes = s.database_bytes();
    CHECK(bytes > 0);
    CHECK_THAT(s.backend_version(), Catch::Matches(R"(SQLite 3\.\d+\.\d+)"));
    auto free = s.free_bytes();
    REQUIRE(free);
    // Other processes write meanwhile: the two readings agree within 64 MiB.
    CHECK(distance(*free, statvfs_free(dir.path())) < (64u << 20));
  }
  // Closed, the WAL is checkpointed: the file is exactly the pages reported.
  CHECK(std::filesystem::file_size(dir.file("c.db")) == static_cast<uint64_t>(bytes));
}

TEST_CASE("free space of a directory that does not exist is unknown, not zero", "[store]") {
  CHECK_FALSE(store::free_bytes_near("/nonexistent-teiten-dir/c.db"));
  TempDir dir;
  CHECK(store::free_bytes_near(dir.file("not-yet-created.db")));
}
