// LiveCapture — a libpcap handle on the sensor's interface and the loop
// that feeds the capture pipeline from it. Opens with pcap_create /
// pcap_activate (snaplen, buffer, timeout, promiscuity from the config and
// an optional BPF filter). After a link error it closes the handle and
// reopens with backoff, so a link flap costs coverage, not the daemon.
// Kernel and interface drops are read as 32-bit libpcap counters and
// accumulated wrap-safe into 64 bits.
#pragma once

#include <pcap/pcap.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>

#include "common/config/sensor_config.h"
#include "daemon/sensor/capture_pipeline.h"

namespace teiten::sensor {

class CaptureError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct LiveStats {
  bool up = false;
  std::string interface;
  int link_type = -1;
  uint64_t received = 0;             ///< packets libpcap delivered (ps_recv, wrap-safe)
  uint64_t kernel_drops = 0;         ///< ps_drop, wrap-safe
  std::optional<uint64_t> if_drops;  ///< ps_ifdrop; nullopt when unsupported
  uint64_t reopens = 0;
  std::string last_error;
  int64_t last_dispatch = 0;  ///< Unix seconds the loop last came back from libpcap
};

class LiveCapture {
 public:
  /// Opens the capture; throws CaptureError with libpcap's reason.
  explicit LiveCapture(const config::SensorConfig::Capture& config);
  ~LiveCapture();
  LiveCapture(const LiveCapture&) = delete;
  LiveCapture& operator=(const LiveCapture&) = delete;

  int link_type() const { return link_type_; }
  /// Runs on the capture thread until a stop is requested.
  void run(CapturePipeline& pipeline);
  /// Adds coverage and drops since the last call to the counter's day stats
  /// (capture thread, before a flush).
  void account(tally::PacketCounter& counter);
  /// Interrupts a blocked dispatch (any thread).
  void wake();
  LiveStats stats() const;

 private:
  pcap_t* open();
  void close_after_error(const std::string& error, tally::PacketCounter& counter);
  void read_pcap_stats();

  config::SensorConfig::Capture config_;
  pcap_t* handle_ = nullptr;
  std::mutex handle_mutex_;  // guards handle_ against wake() during reopen
  int link_type_ = -1;
  bool if_drops_supported_ = false;
  uint32_t last_recv_ = 0, last_drop_ = 0, last_ifdrop_ = 0;
  uint64_t pending_drops_ = 0, pending_ifdrops_ = 0;
  int64_t coverage_mark_ = 0;  // Unix seconds coverage was last accounted up to
  mutable std::mutex stats_mutex_;
  LiveStats stats_;
  std::atomic<int64_t> last_dispatch_{0};
};

}  // namespace teiten::sensor
