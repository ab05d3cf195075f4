// teiten::base::SpscRing — a bounded lock-free ring between exactly one
// producer thread and one consumer thread, for handing over slots that are
// filled in place (the sensor's capture thread hands batches of decoded
// records to its counting thread: docs/performance.md, "Pipelining").
//
// The producer fills write_slot() and publish()es it; the consumer reads
// read_slot() and release()s it. Slots are reused, never freed, so neither
// side allocates. Indices are free-running 32-bit counters (the capacity is
// a power of two, so they wrap cleanly); the publish is a release store the
// consumer reads with acquire, and the release the same the other way, so
// whatever one side wrote into a slot, or anywhere else, before handing it
// over is visible to the other side after it takes it.
//
// Either side may block while the ring is empty or full (wait_readable,
// wait_writable); waking costs nothing unless the other side sleeps
// (C++20 atomic wait/notify, a futex on Linux).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>

namespace teiten::base {

template <class T>
class SpscRing {
 public:
  /// capacity: slots, a power of two from 1 to 2^30. first: the indices'
  /// starting value (tests start near 2^32 to cross the wrap).
  explicit SpscRing(uint32_t capacity, uint32_t first = 0)
      : mask_(capacity - 1), slots_(std::make_unique<T[]>(capacity)), head_(first), tail_(first) {
    if (capacity == 0 || capacity > (uint32_t{1} << 30) || (capacity & mask_) != 0)
      throw std::invalid_argument("SpscRing capacity must be a power of two");
  }
  SpscRing(const SpscRing&) = delete;
  SpscRing& operator=(const SpscRing&) = delete;

  uint32_t capacity() const { return mask_ + 1; }

  // --- producer ---
  /// The next free slot, to fill in place; nullptr while the ring is full.
  T* write_slot() {
    uint32_t head = head_.load(std::memory_order_relaxed);
    if (head - tail_.load(std::memory_order_acquire) > mask_) return nullptr;
    return &slots_[head & mask_];
  }
  /// Hands the slot write_slot() returned to the consumer.
  void publish() {
    head_.store(head_.load(std::memory_order_relaxed) + 1, std::memory_order_release);
    head_.notify_one();
  }
  /// Blocks until write_slot() has a slot.
  void wait_writable() {
    for (;;) {
      uint32_t tail = tail_.load(std::memory_order_acquire);
      if (head_.load(std::memory_order_relaxed) - tail <= mask_) return;
      tail_.wait(tail, std::memory_order_acquire);
    }
  }
  /// Blocks until the consumer has released every published slot.
  void wait_empty() {
    for (;;) {
      uint32_t tail = tail_.load(std::memory_order_acquire);
      if (tail == head_.load(std::memory_order_relaxed)) return;
      tail_.wait(tail, std::memory_order_acquire);
    }
  }

  // --- consumer ---
  /// The oldest published slot; nullptr while the ring is empty.
  T* read_slot() {
    uint32_t tail = tail_.load(std::memory_order_relaxed);
    if (head_.load(std::memory_order_acquire) == tail) return nullptr;
    return &slots_[tail & mask_];
  }
  /// Gives the slot read_slot() returned back to the producer.
  void release() {
    tail_.store(tail_.load(std::memory_order_relaxed) + 1, std::memory_order_release);
    tail_.notify_one();
  }
  /// Blocks until read_slot() has a slot.
  void wait_readable() {
    for (;;) {
      uint32_t head = head_.load(std::memory_order_acquire);
      if (head != tail_.load(std::memory_order_relaxed)) return;
      head_.wait(head, std::memory_order_acquire);
    }
  }

  /// Published slots not yet released (either side; exact on neither
  /// while the other moves).
  uint32_t size() const {
    return head_.load(std::memory_order_acquire) - tail_.load(std::memory_order_acquire);
  }

 private:
  const uint32_t mask_;
  std::unique_ptr<T[]> slots_;
  // Each index on its own cache line: each side writes one and only reads the other.
  alignas(64) std::atomic<uint32_t> head_;  ///< slots published (producer)
  alignas(64) std::atomic<uint32_t> tail_;  ///< slots released (consumer)
};

}  // namespace teiten::base
