#include "daemon/sensor/offline_reader.h"

#include <pthread.h>
#include <stdio_ext.h>
#include <sys/stat.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>

#include "common/packet/decoder.h"
#include "common/process/logging.h"

namespace teiten::sensor {
namespace {

// libpcap reads a savefile with two freads per packet. Once the store thread
// exists glibc locks the stream on each, about a tenth of a replay's time;
// only this thread touches the stream, so locking is ours to skip. A larger
// buffer also cuts the read syscalls.
constexpr size_t kReadBuffer = 1 << 20;

struct OpenedFile {
  pcap_t* pcap = nullptr;
  std::unique_ptr<char[]> buffer;  // must outlive the FILE, which pcap_close closes
};

OpenedFile open_capture_file(const std::string& path, char* errbuf) {
  OpenedFile f;
  if (path == "-") {  // libpcap's name for standard input
    f.pcap =
        pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_MICRO, errbuf);
    return f;
  }
  FILE* fp = std::fopen(path.c_str(), "rb");
  if (!fp) {
    std::snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s", std::strerror(errno));
    return f;
  }
  __fsetlocking(fp, FSETLOCKING_BYCALLER);
  f.buffer = std::make_unique_for_overwrite<char[]>(kReadBuffer);  // stdio fills it; no memset
  std::setvbuf(fp, f.buffer.get(), _IOFBF, kReadBuffer);
  f.pcap = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
  if (!f.pcap) std::fclose(fp);  // libpcap owns the FILE only once it opened
  return f;
}

// The daemon's signal handlers (Boost.Asio's) are installed without
// SA_RESTART, so a SIGHUP delivered to this thread while libpcap waits in
// read() on a pipe (--read -) failed the read with EINTR, and a reload
// ended the replay as a read error. SIGHUP is blocked here for the read, so
// the kernel hands it to a thread that is not reading; SIGTERM and SIGINT
// stay deliverable, so a stop still ends a read that waits on a silent pipe.
class ReloadSignalBlocked {
 public:
  ReloadSignalBlocked() {
    sigset_t hup;
    sigemptyset(&hup);
    sigaddset(&hup, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &hup, &previous_);
  }
  ~ReloadSignalBlocked() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  ReloadSignalBlocked(const ReloadSignalBlocked&) = delete;
  ReloadSignalBlocked& operator=(const ReloadSignalBlocked&) = delete;

 private:
  sigset_t previous_;
};

// A regular file's size, for the percentage; standard input has none.
std::optional<uint64_t> file_size(FILE* fp) {
  struct stat st {};
  if (!fp || fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return static_cast<uint64_t>(st.st_size);
}

}  // namespace

ReadOutcome read_capture_file(const std::string& path, CapturePipeline& pipeline,
                              const ReadProgressHook& progress) {
  static auto log = process::logger("capture");
  ReadOutcome out;
  ReloadSignalBlocked reloads_elsewhere;
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  OpenedFile file = open_capture_file(path, errbuf);
  pcap_t* p = file.pcap;
  if (!p) {
    out.error = path + ": cannot read capture file: " + errbuf;
    return out;
  }
  int link = pcap_datalink(p);
  if (!packet::Decoder::supports(link))
    log->warn("unsupported_link_type file={} link_type={} effect=packets_counted_as_malformed",
              path, packet::Decoder::link_type_name(link));
  pipeline.counter().set_link_type(link);
  log->info("read_start file={} link_type={}", path, packet::Decoder::link_type_name(link));

  // Counted from the counter: pcap_dispatch reports -1 for a batch that
  // failed part way, after some of its packets were already counted.
  const uint64_t before = pipeline.counter().total_packets();
  ReadPosition position{.size = file_size(pcap_file(p))};
  for (;;) {
    // No room under the bound only when a stop ended the wait for it.
    int budget = pipeline.packet_budget(CapturePipeline::kDispatchBatch);
    int n = budget > 0
                ? pcap_dispatch(p, budget, &CapturePipeline::on_packet, pipeline.callback_arg())
                : PCAP_ERROR_BREAK;
    out.packets = pipeline.counter().total_packets() - before;
    pipeline.between_batches();
    if (progress) {
      long offset = std::ftell(pcap_file(p));
      position.bytes = offset > 0 ? static_cast<uint64_t>(offset) : 0;
      position.packets = out.packets;
      progress(position);
    }
    if (n == 0) {
      out.complete = true;
      break;
    }
    if (n == PCAP_ERROR) {
      out.error = path + ": read error after " + std::to_string(out.packets) +
                  " packets: " + pcap_geterr(p);
      break;
    }
    if (n == PCAP_ERROR_BREAK || pipeline.control().stop_requested()) {
      out.error = path + ": stopped after " + std::to_string(out.packets) + " packets";
      break;
    }
  }
  pcap_close(p);
  log->info("read_end file={} packets={} complete={}", path, out.packets, out.complete);
  return out;
}

}  // namespace teiten::sensor
