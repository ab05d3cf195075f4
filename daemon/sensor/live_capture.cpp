#include "daemon/sensor/live_capture.h"

#include <sys/stat.h>

#include <chrono>
#include <thread>

#include "common/base/wall_clock.h"
#include "common/process/logging.h"

namespace teiten::sensor {
namespace {

// libpcap on Linux takes ps_ifdrop from the interface's sysfs counters;
// where they do not exist (the "any" device) it reports 0, which must not
// be mistaken for "no drops".
bool interface_drops_supported(const std::string& interface) {
  struct stat st {};
  return interface != "any" &&
         ::stat(("/sys/class/net/" + interface + "/statistics/rx_dropped").c_str(), &st) == 0;
}

}  // namespace

LiveCapture::LiveCapture(const config::SensorConfig::Capture& config) : config_(config) {
  handle_ = open();
  if_drops_supported_ = interface_drops_supported(config_.interface);
  coverage_mark_ = base::unix_now();
  std::lock_guard lock(stats_mutex_);
  stats_.up = true;
  stats_.interface = config_.interface;
  stats_.link_type = link_type_;
  if (if_drops_supported_) stats_.if_drops = 0;
}

LiveCapture::~LiveCapture() {
  std::lock_guard lock(handle_mutex_);
  if (handle_) pcap_close(handle_);
}

pcap_t* LiveCapture::open() {
  static auto log = process::logger("capture");
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  const std::string& dev = config_.interface;
  pcap_t* p = pcap_create(dev.c_str(), errbuf);
  if (!p) throw CaptureError("cannot open interface " + dev + ": " + errbuf);
  pcap_set_snaplen(p, static_cast<int>(config_.snaplen));
  pcap_set_promisc(p, config_.promiscuous ? 1 : 0);
  pcap_set_timeout(p, static_cast<int>(config_.timeout.count()));
  pcap_set_buffer_size(p, static_cast<int>(config_.buffer_size));
  int rc = pcap_activate(p);
  if (rc < 0) {
    std::string why = std::string(pcap_statustostr(rc)) + ": " + pcap_geterr(p);
    pcap_close(p);
    throw CaptureError("cannot capture on " + dev + ": " + why);
  }
  if (rc > 0)
    log->warn("capture_warning interface={} warning=\"{}: {}\"", dev, pcap_statustostr(rc),
              pcap_geterr(p));
  if (!config_.filter.empty()) {
    bpf_program prog{};
    if (pcap_compile(p, &prog, config_.filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0 ||
        pcap_setfilter(p, &prog) != 0) {
      std::string why = pcap_geterr(p);
      pcap_freecode(&prog);
      pcap_close(p);
      throw CaptureError("capture.filter '" + config_.filter + "': " + why);
    }
    pcap_freecode(&prog);
  }
  link_type_ = pcap_datalink(p);
  last_recv_ = last_drop_ = last_ifdrop_ = 0;
  log->info("capture_open interface={} link_type={} snaplen={} buffer_size={} filter=\"{}\"", dev,
            pcap_datalink_val_to_name(link_type_) ? pcap_datalink_val_to_name(link_type_) : "?",
            config_.snaplen, config_.buffer_size, config_.filter);
  return p;
}

void LiveCapture::wake() {
  std::lock_guard lock(handle_mutex_);
  if (handle_) pcap_breakloop(handle_);
}

void LiveCapture::read_pcap_stats() {
  pcap_stat ps{};
  if (!handle_ || pcap_stats(handle_, &ps) != 0) return;
  // Unsigned 32-bit differences stay right across one wrap of the counter.
  uint32_t recv = ps.ps_recv - last_recv_, drop = ps.ps_drop - last_drop_,
           ifdrop = ps.ps_ifdrop - last_ifdrop_;
  last_recv_ = ps.ps_recv;
  last_drop_ = ps.ps_drop;
  last_ifdrop_ = ps.ps_ifdrop;
  pending_drops_ += drop;
  pending_ifdrops_ += ifdrop;
  std::lock_guard lock(stats_mutex_);
  stats_.received += recv;
  stats_.kernel_drops += drop;
  if (if_drops_supported_) stats_.if_drops = stats_.if_drops.value_or(0) + ifdrop;
}

void LiveCapture::account(tally::PacketCounter& counter) {
  read_pcap_stats();
  auto& clock = counter.clock();
  int64_t now = base::unix_now();
  bool up = handle_ != nullptr;
  // Coverage: wall seconds with an open capture, split at local midnights.
  if (up) {
    int64_t from = coverage_mark_;
    while (from < now) {
      base::Day day = clock.day_of(from);
      int64_t until = std::min(now, clock.day_end(day));
      counter.day_stats(day).capture_seconds += until - from;
      from = until;
    }
  }
  coverage_mark_ = now;
  auto& today = counter.day_stats(clock.day_of(now));
  today.kernel_drops = today.kernel_drops.value_or(0) + pending_drops_;
  if (if_drops_supported_) today.if_drops = today.if_drops.value_or(0) + pending_ifdrops_;
  pending_drops_ = pending_ifdrops_ = 0;
}

void LiveCapture::close_after_error(const std::string& error, tally::PacketCounter& counter) {
  static auto log = process::logger("capture");
  log->error("capture_failed interface={} error=\"{}\" action=reopen", config_.interface, error);
  account(counter);
  {
    std::lock_guard lock(handle_mutex_);
    pcap_close(handle_);
    handle_ = nullptr;
  }
  std::lock_guard lock(stats_mutex_);
  stats_.up = false;
  stats_.last_error = error;
}

void LiveCapture::run(CapturePipeline& pipeline) {
  static auto log = process::logger("capture");
  auto& control = pipeline.control();
  control.set_waker([this] { wake(); });
  auto backoff = std::chrono::milliseconds(500);
  while (!control.stop_requested()) {
    if (!handle_) {
      // Sleep in small steps so stop and flush requests stay prompt.
      auto until = std::chrono::steady_clock::now() + backoff;
      while (!control.stop_requested() && std::chrono::steady_clock::now() < until) {
        pipeline.between_batches();
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      if (control.stop_requested()) break;
      try {
        pcap_t* p = open();
        std::lock_guard lock(handle_mutex_);
        handle_ = p;
      } catch (const CaptureError& e) {
        backoff = std::min(backoff * 2, std::chrono::milliseconds(30'000));
        log->warn("capture_reopen_failed error=\"{}\" retry_in_ms={}", e.what(), backoff.count());
        continue;
      }
      pipeline.counter().set_link_type(link_type_);
      coverage_mark_ = base::unix_now();
      backoff = std::chrono::milliseconds(500);
      std::lock_guard lock(stats_mutex_);
      stats_.up = true;
      stats_.link_type = link_type_;
      ++stats_.reopens;
      continue;
    }
    // A count, not -1 (every ready block), so the rows held stay within
    // storage.max_rows_in_memory; 0 room only when a stop ended the wait.
    int budget = pipeline.packet_budget(CapturePipeline::kDispatchBatch);
    if (budget == 0) continue;
    int n = pcap_dispatch(handle_, budget, &CapturePipeline::on_packet, pipeline.callback_arg());
    last_dispatch_.store(base::unix_now(), std::memory_order_relaxed);
    if (n == PCAP_ERROR) {
      close_after_error(pcap_geterr(handle_), pipeline.counter());
      continue;
    }
    pipeline.between_batches();
  }
  control.set_waker(nullptr);
}

LiveStats LiveCapture::stats() const {
  std::lock_guard lock(stats_mutex_);
  LiveStats s = stats_;
  s.last_dispatch = last_dispatch_.load(std::memory_order_relaxed);
  return s;
}

}  // namespace teiten::sensor
