// Reading capture files for `--read`: every packet goes through the same
// pipeline as live capture (pcap through libpcap, pcapng through teiten's own
// reader: capture_file.h). A file that cannot be read, or that fails part
// way, keeps what was counted and reports an error naming the file.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "daemon/sensor/capture_pipeline.h"

namespace teiten::sensor {

struct ReadOutcome {
  uint64_t packets = 0;
  bool complete = false;  ///< false: unreadable, failed part way, or stopped
  std::string error;      ///< names the file when !complete
};

/// Where a read has got to, after each dispatch: for progress lines.
struct ReadPosition {
  uint64_t bytes = 0;            ///< bytes of the file consumed so far
  std::optional<uint64_t> size;  ///< the file's size; unknown for a pipe
  uint64_t packets = 0;          ///< packets of this file so far
};
using ReadProgressHook = std::function<void(const ReadPosition&)>;

ReadOutcome read_capture_file(const std::string& path, CapturePipeline& pipeline,
                              const ReadProgressHook& progress = {});

}  // namespace teiten::sensor
