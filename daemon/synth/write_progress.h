// WriteProgress — teiten-synth's progress line on a terminal: the capture
// being written, packets so far (with a percentage and ETA when the
// scenario knows its total), packets per second, and a summary at the end.
// Fed by PcapWriter at each buffer it writes; silent when stderr is not a
// terminal (common/process/progress_line.h). One per process: scenarios
// write many files through many writers, and the line covers them all.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/process/progress_line.h"

namespace teiten::synth {

class WriteProgress {
 public:
  /// This process's line.
  static WriteProgress& run();

  /// The packets the whole run will write, when the scenario knows.
  void expect(uint64_t packets) { expected_ = packets; }
  /// `packets` more were written to `file`.
  void wrote(const std::string& file, uint64_t packets);
  /// A capture file is complete.
  void closed() { ++files_; }
  /// "wrote 3,000,000 packets to 1 file in 2.1s"; nothing when not a terminal.
  void finish();

 private:
  WriteProgress() = default;

  process::ProgressLine line_;
  std::optional<uint64_t> expected_;
  uint64_t packets_ = 0;
  uint64_t files_ = 0;
};

}  // namespace teiten::synth
