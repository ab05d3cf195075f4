#include "daemon/sensor/offline_reader.h"

#include <pthread.h>

#include <csignal>
#include <memory>

#include "common/packet/decoder.h"
#include "common/process/logging.h"
#include "daemon/sensor/capture_file.h"

namespace teiten::sensor {
namespace {

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

}  // namespace

ReadOutcome read_capture_file(const std::string& path, CapturePipeline& pipeline,
                              const ReadProgressHook& progress) {
  static auto log = process::logger("capture");
  ReadOutcome out;
  ReloadSignalBlocked reloads_elsewhere;
  std::string why;
  std::unique_ptr<CaptureFile> file = CaptureFile::open(path, why);
  if (!file) {
    out.error = path + ": cannot read capture file: " + why;
    return out;
  }
  auto note_link = [&](int link, const std::string& where) {
    if (!packet::Decoder::supports(link))
      log->warn("unsupported_link_type file={}{} link_type={} effect=packets_counted_as_malformed",
                path, where, packet::Decoder::link_type_name(link));
  };
  if (auto link = file->link_type()) {
    note_link(*link, "");
    pipeline.counter().set_link_type(*link);
    log->info("read_start file={} link_type={}", path, packet::Decoder::link_type_name(*link));
  } else {
    // pcapng: every interface has its link type, and each packet is decoded with its own.
    file->on_interface([&](uint64_t section, uint32_t number, int interface_link) {
      std::string where = " section=" + std::to_string(section) + " interface=" + std::to_string(number);
      note_link(interface_link, where);
      log->info("read_interface file={}{} link_type={}", path, where,
                packet::Decoder::link_type_name(interface_link));
    });
    log->info("read_start file={} format=pcapng", path);
  }

  // Counted from the counter: pcap_dispatch reports -1 for a batch that
  // failed part way, after some of its packets were already counted.
  const uint64_t before = pipeline.counter().total_packets();
  ReadPosition position{.size = file->size()};
  for (;;) {
    // No room under the bound only when a stop ended the wait for it.
    int budget = pipeline.packet_budget(CapturePipeline::kDispatchBatch);
    int n = budget > 0 ? file->dispatch(budget, pipeline) : PCAP_ERROR_BREAK;
    out.packets = pipeline.counter().total_packets() - before;
    pipeline.between_batches();
    if (progress) {
      position.bytes = file->bytes_read();
      position.packets = out.packets;
      progress(position);
    }
    if (n == 0) {
      out.complete = true;
      break;
    }
    if (n == PCAP_ERROR) {
      out.error = path + ": read error after " + std::to_string(out.packets) +
                  " packets: " + file->error();
      break;
    }
    if (n == PCAP_ERROR_BREAK || pipeline.control().stop_requested()) {
      out.error = path + ": stopped after " + std::to_string(out.packets) + " packets";
      break;
    }
  }
  file.reset();
  log->info("read_end file={} packets={} complete={}", path, out.packets, out.complete);
  return out;
}

}  // namespace teiten::sensor
