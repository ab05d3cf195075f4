// CapturePipeline — the capture thread's side of the sensor: the packet
// counter, and what happens between libpcap dispatches (new rules, flushes
// on request or when the tally grows past its limit). Everything here runs
// on the capture thread; other threads reach it only through CaptureControl.
#pragma once

#include <pcap/pcap.h>

#include <functional>
#include <memory>

#include "common/tally/packet_counter.h"
#include "daemon/sensor/capture_control.h"
#include "daemon/sensor/store_worker.h"

namespace teiten::sensor {

class CapturePipeline {
 public:
  /// Called before each flush to add coverage and drop counters (live capture).
  using Accountant = std::function<void(tally::PacketCounter&)>;

  CapturePipeline(tally::PacketCounter& counter, CaptureControl& control, StoreWorker& store,
                  size_t max_rows_in_memory);

  void set_accountant(Accountant a) { accountant_ = std::move(a); }
  tally::PacketCounter& counter() { return counter_; }
  CaptureControl& control() { return control_; }

  /// libpcap callback; `user` is the PacketCounter.
  static void on_packet(u_char* user, const pcap_pkthdr* header, const u_char* bytes) {
    reinterpret_cast<tally::PacketCounter*>(user)->count(seconds_of(header->ts), bytes,
                                                         header->caplen, header->len);
  }
  /// Whole seconds of a capture time. Files can hold a microsecond field of
  /// a million or more, which libpcap passes on; it carries into the seconds.
  static int64_t seconds_of(const timeval& ts) {
    int64_t sec = ts.tv_sec;
    if (ts.tv_usec >= 1'000'000) [[unlikely]]
      sec += ts.tv_usec / 1'000'000;
    return sec;
  }
  u_char* callback_arg() { return reinterpret_cast<u_char*>(&counter_); }

  /// Between dispatches: applies new rules, flushes when asked or full.
  void between_batches();
  /// Hands everything counted so far to the store thread.
  void flush();

 private:
  tally::PacketCounter& counter_;
  CaptureControl& control_;
  StoreWorker& store_;
  size_t max_rows_;
  Accountant accountant_;
};

}  // namespace teiten::sensor
