#include "daemon/sensor/store_worker.h"

#include <future>
#include <utility>

#include "common/base/wall_clock.h"
#include "common/process/logging.h"

namespace teiten::sensor {
StoreWorker::StoreWorker(std::unique_ptr<store::SensorStore> store, size_t max_queued)
    : store_(std::move(store)), database_id_(store_->database_id()), max_queued_(max_queued) {}

StoreWorker::~StoreWorker() {
  stop();
}

void StoreWorker::stop() {
  thread_.stop();
}

void StoreWorker::submit(tally::TallyDelta delta, std::vector<FlushDone> done) {
  {
    std::unique_lock lock(mutex_);
    if (max_queued_ > 0) space_.wait(lock, [this] { return stats_.queued < max_queued_; });
    ++stats_.queued;
  }
  rows_in_flight_ += delta.rows.rows();
  auto shared = std::make_shared<tally::TallyDelta>(std::move(delta));
  thread_.post([this, shared, done = std::move(done)] { commit(std::move(*shared), done); });
}

void StoreWorker::post(std::function<void(store::SensorStore&)> fn) {
  thread_.post([this, fn = std::move(fn)] { fn(*store_); });
}

void StoreWorker::drain() {
  thread_.drain();
}

store::OutboxState StoreWorker::outbox_state() {
  std::promise<store::OutboxState> result;
  auto f = result.get_future();
  post([&result](store::SensorStore& s) {
    try {
      result.set_value(s.outbox_state());
    } catch (...) {
      result.set_exception(std::current_exception());
    }
  });
  return f.get();
}

void StoreWorker::wait_in_flight_below(uint64_t rows, std::chrono::milliseconds most) {
  // commit() lowers the count before it takes the lock to notify, so a
  // lower count is never missed between the check and the wait.
  std::unique_lock lock(mutex_);
  space_.wait_for(lock, most, [&] { return rows_in_flight() < rows; });
}

StoreWorker::Stats StoreWorker::stats() const {
  std::lock_guard lock(mutex_);
  Stats s = stats_;
  s.rows_in_flight = rows_in_flight_.load(std::memory_order_relaxed);
  return s;
}

void StoreWorker::commit(tally::TallyDelta delta, const std::vector<FlushDone>& done) {
  static auto log = process::logger("store");
  // What this commit takes out of rows_in_flight_ when it succeeds: the
  // rows submitted, not the merged count, which is smaller when a retained
  // delta and this one share keys.
  uint64_t accounted = delta.rows.rows() + std::exchange(retained_in_flight_, 0);
  if (retained_) {
    retained_->merge(delta);
    delta = std::move(*retained_);
    retained_.reset();
  }
  auto started = std::chrono::steady_clock::now();
  uint64_t rows = delta.rows.rows();
  std::string error;
  tally::SortedRows sorted;
  bool freed = false;
  try {
    // Sorted once for the database and the batches; the hash tables are then
    // freed, so a big flush does not hold both while SQLite works.
    sorted = tally::sort_rows(delta.rows);
    delta.rows = tally::Tally();
    freed = true;
    std::vector<store::OutboxBatch> batches;
    if (freezer_) batches = freezer_(sorted, delta.days);
    store_->commit(sorted, delta.days, std::move(batches));
  } catch (const std::exception& e) {
    error = e.what();
    if (freed) tally::restore(delta.rows, sorted);  // kept for the next attempt
  }
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // Rows of a failed commit stay in memory (retained) until the next one.
  if (error.empty())
    rows_in_flight_ -= std::min<uint64_t>(rows_in_flight_, accounted);
  else
    retained_in_flight_ = accounted;
  {
    std::lock_guard lock(mutex_);
    --stats_.queued;
    if (error.empty()) {
      ++stats_.flushes;
      stats_.last_flush = base::unix_now();
      stats_.last_flush_seconds = took;
      stats_.last_flush_rows = rows;
      stats_.rows_committed += rows;
      stats_.retained_rows = 0;
      stats_.last_error.clear();
    } else {
      ++stats_.failures;
      stats_.retained_rows = rows;
      stats_.last_error = error;
    }
  }
  space_.notify_all();
  for (const auto& d : done) d(error.empty(), error);
  if (!error.empty()) {
    log->error("flush_failed rows={} error=\"{}\" action=kept_in_memory_for_next_flush", rows,
               error);
    retained_ = std::move(delta);
    return;
  }
  log->debug("flush rows={} days={} seconds={:.3f}", rows, delta.days.size(), took);
  if (hook_) hook_();
}

}  // namespace teiten::sensor
