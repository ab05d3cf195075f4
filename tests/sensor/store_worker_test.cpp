// The sensor's store thread: commits in order, and a commit that fails is
// kept in memory and merged into the next, never dropped.
#include "daemon/sensor/store_worker.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <stdexcept>

#include "common/store/database.h"
#include "support/temp_dir.h"

using namespace teiten;
using teiten::test::TempDir;

namespace {

const auto kProbe = tally::pack_proto_kind(packet::Proto::tcp, packet::Kind::probe);

tally::TallyDelta delta_of(uint16_t port, uint32_t src) {
  tally::TallyDelta d;
  d.rows.add_v4(14799, kProbe, port, src, 1278601200);
  d.days[14799].packets = 1;
  return d;
}

// Freezing batches is part of the commit: failing it fails the commit.
void fail_commits_while(sensor::StoreWorker& worker, const bool& fail) {
  worker.set_freezer(
      [&fail](const tally::SortedRows&,
              const std::map<base::Day, tally::DayStats>&) -> std::vector<store::OutboxBatch> {
        if (fail) throw std::runtime_error("disk is full (simulated)");
        return {};
      });
}

int64_t rows_in(const std::string& path) {
  return store::Database(path, true).query_int("SELECT count(*) FROM rollup").value_or(-1);
}

}  // namespace

TEST_CASE("submitted deltas are committed and counted", "[sensor]") {
  TempDir dir;
  sensor::StoreWorker worker(std::make_unique<store::SensorStore>(dir / "s.db", "s01", "UTC"), 0);
  worker.submit(delta_of(445, 1));
  worker.submit(delta_of(22, 2));
  worker.drain();
  auto s = worker.stats();
  CHECK(s.flushes == 2);
  CHECK(s.failures == 0);
  CHECK(s.rows_in_flight == 0);
  CHECK(rows_in(dir / "s.db") == 2);
}

TEST_CASE("a delta whose commit fails is kept and committed with the next", "[sensor]") {
  TempDir dir;
  sensor::StoreWorker worker(std::make_unique<store::SensorStore>(dir / "s.db", "s01", "UTC"), 0);
  bool fail = true;
  fail_commits_while(worker, fail);
  std::vector<std::string> outcomes;
  worker.submit(delta_of(445, 1), {[&](bool ok, const std::string& error) {
                  outcomes.push_back(ok ? "committed" : error);
                }});
  worker.drain();
  auto failed = worker.stats();
  CHECK(failed.failures == 1);
  CHECK(failed.retained_rows == 1);
  CHECK(failed.rows_in_flight == 1);
  CHECK(failed.last_error == "disk is full (simulated)");
  CHECK(rows_in(dir / "s.db") == 0);

  fail = false;
  worker.submit(delta_of(22, 2), {[&](bool ok, const std::string&) {
                  outcomes.push_back(ok ? "committed" : "failed");
                }});
  worker.drain();
  auto s = worker.stats();
  CHECK(s.flushes == 1);
  CHECK(s.retained_rows == 0);
  CHECK(s.rows_in_flight == 0);
  CHECK(s.last_error.empty());
  CHECK(rows_in(dir / "s.db") == 2);  // the kept row and the new one
  CHECK(outcomes == std::vector<std::string>{"disk is full (simulated)", "committed"});
}

TEST_CASE("a kept delta merged with one sharing its keys leaves nothing in flight", "[sensor]") {
  // rows_in_flight is what storage.max_rows_in_memory counts beside the
  // capture's table: a row left over would shrink the room for good.
  TempDir dir;
  sensor::StoreWorker worker(std::make_unique<store::SensorStore>(dir / "s.db", "s01", "UTC"), 0);
  bool fail = true;
  fail_commits_while(worker, fail);
  worker.submit(delta_of(445, 1));
  worker.drain();
  CHECK(worker.rows_in_flight() == 1);
  fail = false;
  worker.submit(delta_of(445, 1));  // the same key: the merged delta holds one row
  worker.drain();
  CHECK(worker.stats().flushes == 1);
  CHECK(worker.rows_in_flight() == 0);
  CHECK(rows_in(dir / "s.db") == 1);
}

TEST_CASE("waiting for rows in flight ends at a commit or the timeout", "[sensor]") {
  TempDir dir;
  sensor::StoreWorker worker(std::make_unique<store::SensorStore>(dir / "s.db", "s01", "UTC"), 0);
  std::promise<void> release;
  auto gate = release.get_future().share();
  worker.post([gate](store::SensorStore&) { gate.wait(); });  // holds the store thread
  worker.submit(delta_of(445, 1));
  worker.submit(delta_of(22, 2));
  CHECK(worker.rows_in_flight() == 2);
  auto started = std::chrono::steady_clock::now();
  worker.wait_in_flight_below(2, std::chrono::milliseconds(50));
  CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(50));
  CHECK(worker.rows_in_flight() == 2);
  release.set_value();
  worker.wait_in_flight_below(1, std::chrono::seconds(60));
  CHECK(worker.rows_in_flight() == 0);
}
