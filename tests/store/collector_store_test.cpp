#include "common/store/collector_store.h"

#include <sys/statvfs.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "common/store/database.h"
#include "common/store/file_system.h"
#include "support/rows.h"
#include "support/temp_dir.h"

using namespace teiten;
using teiten::test::tcp_probe_row;
using teiten::test::TempDir;

// The backend-neutral behaviour is in collector_storage_contract_test.cpp.

TEST_CASE("the collector database file belongs to one process", "[store]") {
  TempDir dir;
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
    s.apply("s01", std::string(32, 'a'), 1,
            {tcp_probe_row(445, 7, 1, 100), tcp_probe_row(22, 8, 1, 100)}, {}, 10);
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
