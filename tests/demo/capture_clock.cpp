// teiten-capture-clock.so: puts a live teiten-sensor at the time of the
// capture being replayed to it (scripts/demo --live). Loaded with
// LD_PRELOAD=teiten-capture-clock.so TEITEN_CAPTURE_CLOCK=FILE.pcap.
//
// Why: a live capture stamps each frame with its arrival time, so frames
// that tcpreplay sends today from a 2010 capture would all count on today.
// The demo must count them on the days they were captured, exactly as
// `--read` does, while everything else (veth, kernel ring, VLAN tags put
// back by libpcap, drops, the decoder, the daemon) stays the live path.
//
// What it does, and nothing more:
// - pcap_dispatch: each frame handed to the sensor's callback gets the
//   timestamp of the same frame in FILE (matched by its bytes as the
//   capture's snaplen keeps them; identical frames take FILE's times in
//   order). A frame FILE does not hold keeps the clock's current time and
//   is counted as unmatched.
// - std::chrono::system_clock::now(): the sensor's wall clock, for coverage
//   seconds, "today", flush and log times, is the latest frame time handed
//   over, starting at FILE's first frame. OpenSSL reads time() and keeps
//   checking certificates against the real clock.
// At exit it writes `capture_clock frames=N matched=M unmatched=U` to
// stderr, which the demo reads from the sensor's log.
//
// Without TEITEN_CAPTURE_CLOCK it changes nothing. Never used by the
// daemons themselves, never installed.
#include <dlfcn.h>
#include <pcap/pcap.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

struct Frame {
  std::string bytes;
  int64_t micros;
};

struct Times {
  std::vector<int64_t> micros;  // in FILE's order
  size_t next = 0;
};

class CaptureClock {
 public:
  CaptureClock() {
    const char* file = std::getenv("TEITEN_CAPTURE_CLOCK");
    if (!file || !*file) return;
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_t* p = pcap_open_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
    if (!p) {
      std::fprintf(stderr, "capture_clock: %s\n", errbuf);
      std::exit(1);
    }
    pcap_pkthdr* h = nullptr;
    const u_char* data = nullptr;
    while (pcap_next_ex(p, &h, &data) == 1)
      frames_.push_back({std::string(reinterpret_cast<const char*>(data), h->caplen),
                         int64_t{h->ts.tv_sec} * 1'000'000 + h->ts.tv_usec});
    pcap_close(p);
    frame_count_ = frames_.size();
    active_ = true;
    if (!frames_.empty()) now_.store(frames_.front().micros);
  }

  ~CaptureClock() {
    if (active_)
      std::fprintf(stderr, "capture_clock frames=%zu matched=%llu unmatched=%llu\n",
                   frame_count_, static_cast<unsigned long long>(matched_),
                   static_cast<unsigned long long>(unmatched_));
  }

  bool active() const { return active_; }
  int64_t now() const { return now_.load(std::memory_order_relaxed); }

  /// The capture time of a frame the kernel handed over (capture thread only).
  int64_t time_of(const u_char* data, uint32_t caplen, int snaplen) {
    std::call_once(indexed_, [&] { index(snaplen); });
    auto it = by_bytes_.find(std::string(reinterpret_cast<const char*>(data), caplen));
    if (it == by_bytes_.end() || it->second.next == it->second.micros.size()) {
      ++unmatched_;
      return now();
    }
    ++matched_;
    int64_t t = it->second.micros[it->second.next++];
    if (t > now()) now_.store(t, std::memory_order_relaxed);
    return t;
  }

 private:
  // Live frames are cut at the capture's snaplen, so FILE's frames are
  // keyed by the same prefix; known only once the capture is open.
  void index(int snaplen) {
    size_t keep = snaplen > 0 ? static_cast<size_t>(snaplen) : SIZE_MAX;
    for (auto& f : frames_)
      by_bytes_[f.bytes.substr(0, std::min(keep, f.bytes.size()))].micros.push_back(f.micros);
    frames_.clear();
    frames_.shrink_to_fit();
  }

  bool active_ = false;
  std::vector<Frame> frames_;  // until indexed
  size_t frame_count_ = 0;
  std::unordered_map<std::string, Times> by_bytes_;
  std::once_flag indexed_;
  std::atomic<int64_t> now_{0};
  uint64_t matched_ = 0, unmatched_ = 0;
};

CaptureClock& clock_instance() {
  static CaptureClock clock;
  return clock;
}

struct Relay {
  pcap_handler callback;
  u_char* user;
  int snaplen;
};

void relay(u_char* arg, const pcap_pkthdr* h, const u_char* data) {
  auto* r = reinterpret_cast<Relay*>(arg);
  pcap_pkthdr stamped = *h;
  int64_t t = clock_instance().time_of(data, h->caplen, r->snaplen);
  stamped.ts.tv_sec = static_cast<time_t>(t / 1'000'000);
  stamped.ts.tv_usec = static_cast<suseconds_t>(t % 1'000'000);
  r->callback(r->user, &stamped, data);
}

}  // namespace

extern "C" int pcap_dispatch(pcap_t* p, int count, pcap_handler callback, u_char* user) {
  using Dispatch = int (*)(pcap_t*, int, pcap_handler, u_char*);
  static auto real = reinterpret_cast<Dispatch>(dlsym(RTLD_NEXT, "pcap_dispatch"));
  auto& clock = clock_instance();
  if (!clock.active()) return real(p, count, callback, user);
  Relay r{callback, user, pcap_snapshot(p)};
  return real(p, count, relay, reinterpret_cast<u_char*>(&r));
}

std::chrono::system_clock::time_point std::chrono::system_clock::now() noexcept {
  auto& clock = clock_instance();
  if (clock.active()) return time_point(std::chrono::microseconds(clock.now()));
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return time_point(std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec));
}
