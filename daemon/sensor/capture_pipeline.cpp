#include "daemon/sensor/capture_pipeline.h"

#include <algorithm>
#include <thread>

#include "common/process/fault_injection.h"

namespace teiten::sensor {
namespace {

int64_t steady_ms(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

CapturePipeline::CapturePipeline(tally::PacketCounter& counter, CaptureControl& control,
                                 StoreWorker& store, bool counting_thread)
    : counter_(counter), control_(control), store_(store) {
  if (counting_thread) counting_ = std::make_unique<CountingThread>(counter_);
  heartbeat_ms_ = steady_ms(std::chrono::steady_clock::now());
}

uint64_t CapturePipeline::table_rows() const {
  return counting_ ? counting_->rows_upper_bound() : counter_.delta().rows.rows();
}

void CapturePipeline::quiesce() {
  if (counting_) counting_->quiesce();
}

void CapturePipeline::between_batches() {
  // The dispatch's last records go to the counting thread now, not when a
  // batch fills: a quiet live capture must not hold them back.
  if (counting_) counting_->publish();
  auto now = std::chrono::steady_clock::now();
  heartbeat_ms_.store(steady_ms(now), std::memory_order_relaxed);
  // Test builds only: hang here, heartbeat frozen, until told to stop.
  if (TEITEN_FAULT_FIRES(capture_stall))
    while (!control_.stop_requested()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (auto rules = control_.take_rules()) counter_.set_rules(std::move(rules));
  uint64_t rows = table_rows();
  uint64_t held = rows_held();
  if (held > peak_rows_.load(std::memory_order_relaxed))
    peak_rows_.store(held, std::memory_order_relaxed);
  // Half the bound: the other half is room to count in while this commits.
  bool full = rows > 0 && rows >= control_.max_rows() / 2;
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
  wait_for_room();
}

uint64_t CapturePipeline::rows_held() const {
  return table_rows() + store_.rows_in_flight();
}

int CapturePipeline::packet_budget(int most) const {
  uint64_t held = rows_held();
  uint64_t max = control_.max_rows();
  uint64_t room = held < max ? max - held : 0;
  return static_cast<int>(std::min<uint64_t>(room, static_cast<uint64_t>(most)));
}

void CapturePipeline::wait_for_room() {
  auto last_retry = std::chrono::steady_clock::now();
  while (packet_budget(1) == 0 && !control_.stop_requested()) {
    // The table goes to the store first: it commits, and counting goes on
    // into an empty one.
    if (table_rows() > 0) {
      flush();
      continue;
    }
    ++store_waits_;
    uint64_t max = control_.max_rows();
    store_.wait_in_flight_below(max, std::chrono::milliseconds(100));
    auto now = std::chrono::steady_clock::now();
    heartbeat_ms_.store(steady_ms(now), std::memory_order_relaxed);  // waiting, not hung
    if (control_.take_flush_request()) flush();
    // A failed commit is retried only with the next delta: ask for one
    // now and then, or a full disk would hold the capture for good.
    if (now - last_retry >= std::chrono::seconds(1)) {
      last_retry = now;
      if (store_.stats().retained_rows > 0) store_.submit(tally::TallyDelta{});
      publish();
    }
  }
}

void CapturePipeline::flush() {
  quiesce();
  if (accountant_) accountant_(counter_);
  auto waiters = control_.take_flush_waiters();
  hand_over(counter_.take(), std::move(waiters));
}

void CapturePipeline::flush_before(base::Day day) {
  quiesce();
  if (accountant_) accountant_(counter_);
  // A `flush` command waits for everything counted, so its waiters stay
  // for the next full flush.
  hand_over(counter_.take_before(day), {});
}

void CapturePipeline::hand_over(tally::TallyDelta delta, std::vector<FlushDone> waiters) {
  if (counting_) counting_->refresh();  // the rows left after the take
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
  s.rows_in_memory = table_rows();
  s.bytes_in_memory = counting_ ? counting_->table_bytes() : counter_.delta().rows.memory_bytes();
  s.rows_uncommitted = store_.rows_in_flight();
  s.peak_rows_in_memory = peak_rows_.load(std::memory_order_relaxed);
  s.max_rows_in_memory = control_.max_rows();
  s.store_waits = store_waits_;
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
