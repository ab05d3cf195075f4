// Reading capture files for `--read`: every packet goes through the same
// pipeline as live capture. A file libpcap cannot open, or that fails part
// way, keeps what was counted and reports an error naming the file.
#pragma once

#include <cstdint>
#include <string>

#include "daemon/sensor/capture_pipeline.h"

namespace teiten::sensor {

struct ReadOutcome {
  uint64_t packets = 0;
  bool complete = false;  ///< false: unreadable, failed part way, or stopped
  std::string error;      ///< names the file when !complete
};

ReadOutcome read_capture_file(const std::string& path, CapturePipeline& pipeline);

}  // namespace teiten::sensor
