// CountingThread — the second half of counting on a thread of its own, so
// a sensor with two cores reads and decodes the next packets while the
// last ones go into the row table (docs/performance.md, "Pipelining").
//
// The capture thread classifies each frame (PacketCounter::classify: the
// decoder, the rules, the day's stats) and push()es what counts as a
// compact record; records travel in batches through a lock-free
// single-producer/single-consumer ring (base::SpscRing) to this thread,
// which adds them to the counter's rows (PacketCounter::add). The table
// is an order-free sum, so the rows are the same as counting on one
// thread. The capture thread touches the rows only after quiesce(), which
// hands over the batch being filled and waits until every record is in
// the table: the ring's release/acquire makes the table the capture
// thread then reads the one this thread wrote, and the other way round.
//
// Between quiesces the capture thread knows the table's size only as an
// upper bound, rows_upper_bound(): the rows this thread last published
// plus every record it has not added yet (a record makes at most one
// row), which is what storage.max_rows_in_memory needs.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>
#include <thread>

#include "common/base/spsc_ring.h"
#include "common/tally/packet_counter.h"

namespace teiten::sensor {

class CountingThread {
 public:
  /// A ring slot: the records of up to kV4 IPv4 and kV6 IPv6 accesses.
  struct Batch {
    static constexpr uint32_t kV4 = 512;
    static constexpr uint32_t kV6 = 64;
    struct V4 {
      uint32_t src, ts;
      uint16_t port, day;
      uint8_t proto_kind;
    };
    struct V6 {
      uint8_t src[16];
      uint32_t ts;
      uint16_t port, day;
      uint8_t proto_kind;
    };
    uint32_t n4 = 0, n6 = 0;
    bool stop = false;  ///< the last batch: the thread ends after it
    V4 v4[kV4];
    V6 v6[kV6];
  };
  /// Slots in the ring: 32 batches keep up to 16k records in flight,
  /// about one dispatch, in about 300 KiB.
  static constexpr uint32_t kBatches = 32;

  /// Starts the thread; it adds to `counter`'s rows until destroyed.
  explicit CountingThread(tally::PacketCounter& counter);
  ~CountingThread();
  CountingThread(const CountingThread&) = delete;
  CountingThread& operator=(const CountingThread&) = delete;

  // --- capture thread ---
  void push(const tally::CountedAccess& a) {
    Batch& b = *filling_;
    if (a.v6) {
      auto& r = b.v6[b.n6++];
      std::memcpy(r.src, a.src6, 16);
      fill(r, a);
    } else {
      auto& r = b.v4[b.n4++];
      r.src = a.src4;
      fill(r, a);
    }
    ++pushed_;
    if (b.n4 == Batch::kV4 || b.n6 == Batch::kV6) [[unlikely]]
      hand_over();
  }
  /// Hands over the batch being filled, if it holds any record (the end
  /// of a dispatch: records must not wait for a full batch).
  void publish() {
    if (filling_->n4 + filling_->n6 > 0) hand_over();
  }
  /// Publishes and waits until every record pushed is in the table; the
  /// capture thread may then read and change the counter's rows until
  /// its next push(). Call refresh() after changing them.
  void quiesce();
  /// Publishes the table's size for rows_upper_bound(): this thread after
  /// each batch, the capture thread after it changed the rows while quiesced.
  void refresh();
  /// Rows in the table, at most: exact right after quiesce().
  uint64_t rows_upper_bound() const {
    // One atomic holds the rows and the records added when they were
    // counted, so no record is counted both as a row and as pending.
    uint64_t state = state_.load(std::memory_order_acquire);
    auto pending = static_cast<uint32_t>(static_cast<uint32_t>(pushed_) - (state >> 32));
    return (state & 0xFFFFFFFFu) + pending;
  }
  /// Bytes of the table as last published.
  uint64_t table_bytes() const { return bytes_.load(std::memory_order_relaxed); }

 private:
  template <class Record>
  static void fill(Record& r, const tally::CountedAccess& a) {
    r.ts = a.ts;
    r.port = a.port;
    r.day = a.day;
    r.proto_kind = a.proto_kind;
  }
  void hand_over();
  void run();

  tally::PacketCounter& counter_;
  base::SpscRing<Batch> ring_{kBatches};
  Batch* filling_ = nullptr;  // capture thread: the slot being filled
  uint64_t pushed_ = 0;       // capture thread: records pushed since start
  // Written by this thread after each batch and by the capture thread in
  // refresh() while quiesced: records added (mod 2^32) << 32 | rows.
  std::atomic<uint64_t> state_{0};
  std::atomic<uint64_t> bytes_{0};
  uint64_t added_ = 0;  // records added: this thread, or the capture thread while quiesced
  std::thread thread_;  // last: starts once the rest is ready
};

}  // namespace teiten::sensor
