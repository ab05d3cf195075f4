// CaptureControl — how other threads talk to the capture thread without
// locks on its hot path: flags it polls between libpcap dispatches, a slot
// for new counting rules, and the limits a reload may change. Thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/tally/packet_counter.h"

namespace teiten::sensor {

/// Called on the store thread once a requested flush is committed (or failed).
using FlushDone = std::function<void(bool committed, const std::string& error)>;

class CaptureControl {
 public:
  /// Asks for a flush at the next dispatch boundary; wakes a blocked capture.
  /// `done`, when given, runs after that flush's commit.
  /// After capture_finished(), nothing is left to flush: `done` runs at once,
  /// on the caller's thread, with the outcome of the last flush.
  void request_flush(FlushDone done = nullptr) {
    if (done) {
      std::unique_lock lock(mutex_);
      if (finished_) {
        auto [committed, error] = *finished_;
        lock.unlock();
        done(committed, error);
        return;
      }
      waiters_.push_back(std::move(done));
    }
    flush_.store(true, std::memory_order_relaxed);
    wake();
  }
  /// The capture loop has ended and its last flush was stored (or failed):
  /// answers the requests that came too late for it, and every later one.
  void capture_finished(bool committed, const std::string& error) {
    std::vector<FlushDone> late;
    {
      std::lock_guard lock(mutex_);
      finished_ = std::make_pair(committed, error);
      late = std::exchange(waiters_, {});
    }
    for (auto& done : late) done(committed, error);
  }
  bool take_flush_request() { return flush_.exchange(false, std::memory_order_relaxed); }
  /// Callbacks of the flush requests answered by the flush about to happen.
  std::vector<FlushDone> take_flush_waiters() {
    std::lock_guard lock(mutex_);
    return std::exchange(waiters_, {});
  }

  /// Stops the capture loop soon; wakes a blocked libpcap call when a waker is set.
  /// Each request counts: a later one also ends the wait for acknowledgements.
  void request_stop() {
    stops_.fetch_add(1);
    wake();
  }
  bool stop_requested() const { return stop_requests() > 0; }
  uint64_t stop_requests() const { return stops_.load(std::memory_order_relaxed); }
  void set_waker(std::function<void()> waker) {
    std::lock_guard lock(mutex_);
    waker_ = std::move(waker);
  }
  void wake() {
    std::lock_guard lock(mutex_);
    if (waker_) waker_();
  }

  /// New rules apply from the next packet the capture thread handles.
  void set_rules(std::shared_ptr<const tally::CountingRules> rules) {
    {
      std::lock_guard lock(mutex_);
      pending_ = std::move(rules);
      rules_changed_.store(true, std::memory_order_release);
    }
    wake();
  }
  /// New rules since the last call, or nullptr.
  std::shared_ptr<const tally::CountingRules> take_rules() {
    if (!rules_changed_.load(std::memory_order_acquire)) return nullptr;
    std::lock_guard lock(mutex_);
    rules_changed_.store(false, std::memory_order_relaxed);
    return std::move(pending_);
  }

  void set_max_rows(size_t rows) { max_rows_.store(rows, std::memory_order_relaxed); }
  size_t max_rows() const { return max_rows_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> flush_{false};
  std::atomic<uint64_t> stops_{0};
  std::atomic<bool> rules_changed_{false};
  // No limit until the configuration sets one (storage.max_rows_in_memory).
  std::atomic<size_t> max_rows_{std::numeric_limits<size_t>::max()};
  std::mutex mutex_;
  std::shared_ptr<const tally::CountingRules> pending_;
  std::vector<FlushDone> waiters_;
  std::optional<std::pair<bool, std::string>> finished_;  ///< the last flush's outcome
  std::function<void()> waker_;
};

}  // namespace teiten::sensor
