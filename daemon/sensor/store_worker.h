// StoreWorker — the thread that owns the sensor's database. It commits the
// deltas the capture thread hands over, one transaction each, and runs any
// other database work posted to it (queries for status, the shipper's
// reads and acknowledgements), so SQLite never blocks capture.
//
// A delta that fails to commit (disk full, I/O error) is kept in memory and
// merged into the next one, so nothing is dropped silently; the error shows
// in stats() and the log until a commit succeeds.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/process/worker_thread.h"
#include "common/store/sensor_store.h"
#include "daemon/sensor/capture_control.h"

namespace teiten::sensor {

class StoreWorker {
 public:
  struct Stats {
    uint64_t flushes = 0;
    uint64_t failures = 0;
    std::optional<int64_t> last_flush;  ///< Unix seconds of the last successful commit
    double last_flush_seconds = 0;      ///< how long it took
    uint64_t last_flush_rows = 0;
    uint64_t rows_committed = 0;  ///< every successful commit's rows since start
    uint64_t retained_rows = 0;   ///< rows kept in memory after a failed commit
    std::string last_error;       ///< empty after a success
    uint64_t queued = 0;          ///< deltas waiting for the thread
    uint64_t rows_in_flight = 0;  ///< rows handed over and not yet committed (or retained)
  };
  /// Turns a flush into the batches frozen with it (empty: not shipping).
  using Freezer = std::function<std::vector<store::OutboxBatch>(
      const tally::SortedRows&, const std::map<base::Day, tally::DayStats>&)>;
  /// Called on the store thread after each successful commit.
  using CommitHook = std::function<void()>;

  /// max_queued: submit() blocks while this many deltas wait (read mode);
  /// 0 never blocks (live capture must not stall).
  StoreWorker(std::unique_ptr<store::SensorStore> store, size_t max_queued);
  ~StoreWorker();
  StoreWorker(const StoreWorker&) = delete;
  StoreWorker& operator=(const StoreWorker&) = delete;

  void set_freezer(Freezer f) { freezer_ = std::move(f); }
  void set_commit_hook(CommitHook h) { hook_ = std::move(h); }

  /// Queues a delta; each `done` runs on the store thread after its commit.
  void submit(tally::TallyDelta delta, std::vector<FlushDone> done = {});
  /// Runs fn(store) on the store thread.
  void post(std::function<void(store::SensorStore&)> fn);
  /// Blocks until everything submitted or posted so far has run.
  void drain();
  /// Reads the outbox state on the store thread and waits for it (not from that thread).
  store::OutboxState outbox_state();
  /// Stops the thread after the queued work.
  void stop();
  Stats stats() const;
  /// rows_in_flight without taking the lock (the capture thread samples it).
  uint64_t rows_in_flight() const { return rows_in_flight_.load(std::memory_order_relaxed); }
  /// Waits until fewer than `rows` are in flight, at most `most`.
  void wait_in_flight_below(uint64_t rows, std::chrono::milliseconds most);
  const std::string& database_id() const { return database_id_; }

 private:
  void commit(tally::TallyDelta delta, const std::vector<FlushDone>& done);

  std::unique_ptr<store::SensorStore> store_;
  std::string database_id_;
  size_t max_queued_;
  Freezer freezer_;
  CommitHook hook_;
  std::optional<tally::TallyDelta> retained_;
  mutable std::mutex mutex_;
  std::condition_variable space_;
  Stats stats_;
  std::atomic<uint64_t> rows_in_flight_{0};
  uint64_t retained_in_flight_ = 0;  // what rows_in_flight_ counts for retained_ (store thread)
  process::WorkerThread thread_;     // last: stops (running queued work) before the rest goes
};

}  // namespace teiten::sensor
