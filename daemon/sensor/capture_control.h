// CaptureControl — how other threads talk to the capture thread without
// locks on its hot path: flags it polls between libpcap dispatches, and a
// slot for new counting rules. Thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

#include "common/tally/packet_counter.h"

namespace teiten::sensor {

class CaptureControl {
 public:
  /// Asks for a flush at the next dispatch boundary; wakes a blocked capture.
  void request_flush() {
    flush_.store(true, std::memory_order_relaxed);
    wake();
  }
  bool take_flush_request() { return flush_.exchange(false, std::memory_order_relaxed); }

  /// Stops the capture loop soon; wakes a blocked libpcap call when a waker is set.
  void request_stop() {
    stop_.store(true);
    wake();
  }
  bool stop_requested() const { return stop_.load(std::memory_order_relaxed); }
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

 private:
  std::atomic<bool> flush_{false};
  std::atomic<bool> stop_{false};
  std::atomic<bool> rules_changed_{false};
  std::mutex mutex_;
  std::shared_ptr<const tally::CountingRules> pending_;
  std::function<void()> waker_;
};

}  // namespace teiten::sensor
