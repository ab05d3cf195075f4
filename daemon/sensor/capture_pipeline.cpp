#include "daemon/sensor/capture_pipeline.h"

#include <thread>

#include "common/process/fault_injection.h"

namespace teiten::sensor {
namespace {

int64_t steady_ms(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

CapturePipeline::CapturePipeline(tally::PacketCounter& counter, CaptureControl& control,
                                 StoreWorker& store)
    : counter_(counter), control_(control), store_(store) {
  heartbeat_ms_ = steady_ms(std::chrono::steady_clock::now());
}

void CapturePipeline::between_batches() {
  auto now = std::chrono::steady_clock::now();
  heartbeat_ms_.store(steady_ms(now), std::memory_order_relaxed);
  // Test builds only: hang here, heartbeat frozen, until told to stop.
  if (TEITEN_FAULT_FIRES(capture_stall))
    while (!control_.stop_requested()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (auto rules = control_.take_rules()) counter_.set_rules(std::move(rules));
  size_t rows = counter_.delta().rows.rows();
  uint64_t held = rows + store_.rows_in_flight();
  if (held > peak_rows_.load(std::memory_order_relaxed))
    peak_rows_.store(held, std::memory_order_relaxed);
  bool full = rows >= control_.max_rows();
  base::Day newest = counter_.newest_day();
  bool new_day = counter_.total_packets() > 0 && newest > day_ &&
                 day_ != std::numeric_limits<base::Day>::min();
  if (counter_.total_packets() > 0) day_ = std::max(day_, newest);
  if (control_.take_flush_request() || full) {
    flush();
  } else if (new_day) {
    flush_before(newest);
  } else if (now >= next_publish_) {
    publish();
  }
}

void CapturePipeline::flush() {
  if (accountant_) accountant_(counter_);
  auto waiters = control_.take_flush_waiters();
  hand_over(counter_.take(), std::move(waiters));
}

void CapturePipeline::flush_before(base::Day day) {
  if (accountant_) accountant_(counter_);
  // A `flush` command waits for everything counted, so its waiters stay
  // for the next full flush.
  hand_over(counter_.take_before(day), {});
}

void CapturePipeline::hand_over(tally::TallyDelta delta, std::vector<FlushDone> waiters) {
  for (const auto& [day, stats] : delta.days) flushed_.merge(stats);
  if (!delta.empty() || !waiters.empty()) store_.submit(std::move(delta), std::move(waiters));
  publish();
}

void CapturePipeline::publish() {
  // The copy is small (a few days of counters) and happens about once a second.
  CaptureSnapshot s;
  s.packets = counter_.total_packets();
  s.since_start = flushed_;
  s.unflushed = counter_.delta().days;
  for (const auto& [day, stats] : s.unflushed) s.since_start.merge(stats);
  s.rows_in_memory = counter_.delta().rows.rows();
  s.bytes_in_memory = counter_.delta().rows.memory_bytes();
  s.peak_rows_in_memory = peak_rows_.load(std::memory_order_relaxed);
  s.link_type = counter_.link_type();
  next_publish_ = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  std::lock_guard lock(snapshot_mutex_);
  snapshot_ = std::move(s);
}

CaptureSnapshot CapturePipeline::snapshot() const {
  std::lock_guard lock(snapshot_mutex_);
  return snapshot_;
}

}  // namespace teiten::sensor
