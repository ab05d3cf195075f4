#include "daemon/sensor/counting_thread.h"

#include <pthread.h>

#include <algorithm>
#include <csignal>
#include <type_traits>

namespace teiten::sensor {
namespace {

template <class Record>
tally::CountedAccess access_of(const Record& r) {
  tally::CountedAccess a{};
  a.day = r.day;
  a.proto_kind = r.proto_kind;
  a.port = r.port;
  a.ts = r.ts;
  if constexpr (std::is_same_v<Record, CountingThread::Batch::V6>) {
    a.v6 = true;
    a.src6 = r.src;
  } else {
    a.src4 = r.src;
  }
  return a;
}

}  // namespace

CountingThread::CountingThread(tally::PacketCounter& counter) : counter_(counter) {
  filling_ = ring_.write_slot();  // an empty ring always has a slot
  // Signals go to the other threads: this one only adds rows, and the
  // daemon's handlers have nothing to do here.
  sigset_t all, previous;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &previous);
  thread_ = std::thread([this] { run(); });
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

CountingThread::~CountingThread() {
  publish();
  ring_.wait_writable();
  Batch* last = ring_.write_slot();
  last->n4 = last->n6 = 0;
  last->stop = true;
  ring_.publish();
  thread_.join();
}

void CountingThread::hand_over() {
  ring_.publish();
  filling_ = ring_.write_slot();
  if (!filling_) [[unlikely]] {
    ring_.wait_writable();
    filling_ = ring_.write_slot();
  }
  filling_->n4 = filling_->n6 = 0;
  filling_->stop = false;
}

void CountingThread::quiesce() {
  publish();
  ring_.wait_empty();
}

void CountingThread::refresh() {
  uint64_t rows = std::min<uint64_t>(counter_.delta().rows.rows(), 0xFFFFFFFFu);
  bytes_.store(counter_.delta().rows.memory_bytes(), std::memory_order_relaxed);
  state_.store(((added_ & 0xFFFFFFFFu) << 32) | rows, std::memory_order_release);
}

void CountingThread::run() {
  for (;;) {
    ring_.wait_readable();
    const Batch& b = *ring_.read_slot();
    if (b.stop) {
      ring_.release();
      return;
    }
    for (uint32_t i = 0; i < b.n4; ++i) counter_.add(access_of(b.v4[i]));
    for (uint32_t i = 0; i < b.n6; ++i) counter_.add(access_of(b.v6[i]));
    added_ += b.n4 + b.n6;
    refresh();
    ring_.release();
  }
}

}  // namespace teiten::sensor
