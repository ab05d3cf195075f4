// CapturePipeline — the capture thread's side of the sensor: the packet
// counter, and what happens between libpcap dispatches (new rules, flushes
// on request or when the tally grows past its limit, a snapshot for status
// about once a second). Everything here runs on the capture thread; other
// threads reach it only through CaptureControl and snapshot().
//
// storage.max_rows_in_memory bounds the rows held: the counting table plus
// every row handed to the store thread and not yet committed. The table is
// handed over at half the bound, so one half commits while the other
// fills; each dispatch may count no more packets than the room left (a
// packet adds at most one row); with no room left the capture waits for
// the store (read mode reads slower; a live capture's kernel buffer fills
// and its drops are counted as such).
//
// With a counting thread (two cores or more), the capture thread classifies
// each frame and the rows are added on that thread (counting_thread.h);
// everything here that reads or takes the rows first waits for it.
#pragma once

#include <pcap/pcap.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>

#include "common/tally/packet_counter.h"
#include "daemon/sensor/capture_control.h"
#include "daemon/sensor/counting_thread.h"
#include "daemon/sensor/store_worker.h"

namespace teiten::sensor {

/// What status shows of the capture thread's state; published about once
/// a second and at every flush.
struct CaptureSnapshot {
  uint64_t packets = 0;                            ///< frames seen since start
  tally::DayStats since_start;                     ///< every day merged, flushed or not
  std::map<base::Day, tally::DayStats> unflushed;  ///< per day, not yet committed
  uint64_t rows_in_memory = 0;
  uint64_t bytes_in_memory = 0;
  uint64_t rows_uncommitted = 0;  ///< handed to the store, not yet committed
  uint64_t peak_rows_in_memory = 0;
  uint64_t max_rows_in_memory = 0;  ///< the bound peak_rows_in_memory stays within
  uint64_t store_waits = 0;         ///< times the capture waited for the store at the bound
  int link_type = -1;
};

class CapturePipeline {
 public:
  /// Called before each flush to add coverage and drop counters (live capture).
  using Accountant = std::function<void(tally::PacketCounter&)>;

  /// counting_thread: add rows on a second thread (see above).
  CapturePipeline(tally::PacketCounter& counter, CaptureControl& control, StoreWorker& store,
                  bool counting_thread = false);

  /// Most packets per pcap_dispatch call: bounds how long flush and stop
  /// requests wait.
  static constexpr int kDispatchBatch = 16384;

  void set_accountant(Accountant a) { accountant_ = std::move(a); }
  tally::PacketCounter& counter() { return counter_; }
  CaptureControl& control() { return control_; }

  /// One frame: classified here, its row added here or on the counting thread.
  void count(int64_t ts, const uint8_t* data, uint32_t caplen, uint32_t wirelen) {
    tally::CountedAccess a;
    if (!counter_.classify(ts, data, caplen, wirelen, a)) return;
    if (counting_)
      counting_->push(a);
    else
      counter_.add(a);
  }
  /// libpcap callback; `user` is the CapturePipeline (callback_arg()).
  static void on_packet(u_char* user, const pcap_pkthdr* header, const u_char* bytes) {
    reinterpret_cast<CapturePipeline*>(user)->count(seconds_of(header->ts), bytes, header->caplen,
                                                    header->len);
  }
  /// Whole seconds of a capture time. Files can hold a microsecond field of
  /// a million or more, which libpcap passes on; it carries into the seconds.
  /// A pcap file's seconds are unsigned 32 bits, but libpcap reads them
  /// signed: 2038-01-19 and later arrive negative and are taken back, so
  /// times up to 2106 count. No capture holds times before 1970.
  static int64_t seconds_of(const timeval& ts) {
    int64_t sec = ts.tv_sec;
    if (sec < 0 && sec >= INT32_MIN) [[unlikely]]
      sec += int64_t{1} << 32;
    if (ts.tv_usec >= 1'000'000) [[unlikely]]
      sec += ts.tv_usec / 1'000'000;
    return sec;
  }
  u_char* callback_arg() { return reinterpret_cast<u_char*>(this); }

  /// Between dispatches: applies new rules, flushes when asked, when full
  /// or when the capture has moved on to a new day (the finished days' rows
  /// then commit while the next day is being counted), publishes the
  /// snapshot when it is due, and waits for the store while the rows held
  /// leave no room (see above). Afterwards packet_budget() > 0 unless a
  /// stop was requested.
  void between_batches();
  /// How many packets the next dispatch may count, at most `most`: the
  /// room left under storage.max_rows_in_memory.
  int packet_budget(int most) const;
  /// Hands everything counted so far to the store thread.
  void flush();

  CaptureSnapshot snapshot() const;
  /// Most rows held in memory at once so far: the capture's table plus what
  /// the store thread has not committed yet, sampled between dispatches.
  uint64_t peak_rows_in_memory() const { return peak_rows_.load(std::memory_order_relaxed); }
  /// Steady-clock milliseconds of the last return from libpcap (watchdog).
  int64_t heartbeat_ms() const { return heartbeat_ms_.load(std::memory_order_relaxed); }

 private:
  /// Hands what was counted before `day` to the store thread and keeps the
  /// rest: a finished day's flush then holds no rows of the new day, whose
  /// keys would sit above the rows the next flush appends and make SQLite
  /// seek for each of them (about 40% of that commit, measured).
  void flush_before(base::Day day);
  void hand_over(tally::TallyDelta delta, std::vector<FlushDone> waiters);
  void publish();
  /// Rows held: the counting table plus the rows the store has not committed.
  uint64_t rows_held() const;
  /// Rows in the counting table (with a counting thread, at most that many).
  uint64_t table_rows() const;
  /// Waits until the rows are the capture thread's to read and take.
  void quiesce();
  void wait_for_room();

  tally::PacketCounter& counter_;
  CaptureControl& control_;
  StoreWorker& store_;
  std::unique_ptr<CountingThread> counting_;
  Accountant accountant_;
  tally::DayStats flushed_;  // merged stats of everything handed to the store
  base::Day day_ = std::numeric_limits<base::Day>::min();  // newest day at the last check
  std::chrono::steady_clock::time_point next_publish_{};
  std::atomic<int64_t> heartbeat_ms_{0};
  std::atomic<uint64_t> peak_rows_{0};
  uint64_t store_waits_ = 0;
  mutable std::mutex snapshot_mutex_;
  CaptureSnapshot snapshot_;
};

}  // namespace teiten::sensor
