// ReadProgress — what `teiten-sensor --read` shows on a terminal: a line
// redrawn a few times a second while files are read (file, percent of its
// bytes, packets, packets/s, ETA), and one summary line at the end. Writes
// nothing when stderr is not a terminal (common/process/progress_line.h).
// Runs on the capture thread.
#pragma once

#include <cstddef>
#include <string>

#include "common/process/progress_line.h"
#include "common/tally/day_stats.h"
#include "daemon/sensor/offline_reader.h"

namespace teiten::sensor {

/// What the summary line says, gathered once everything is committed.
struct ReadSummary {
  size_t files = 0;
  uint64_t packets = 0;
  tally::DayStats counted;  ///< every day of the run merged
  uint64_t rows_committed = 0;
};

/// "read 1 file in 2.4s: 3,000,000 packets, 2,990,000 accesses, ...".
std::string read_summary_text(const ReadSummary& s, double seconds);

class ReadProgress {
 public:
  explicit ReadProgress(size_t files, bool force = false) : files_(files), line_(force) {}

  /// After each dispatch of file number `index` (0-based).
  void update(size_t index, const std::string& file, const ReadPosition& at);
  void finish(const ReadSummary& summary);
  /// Erases the line (before a message of our own on stderr).
  void clear() { line_.clear(); }

 private:
  size_t files_;
  size_t index_ = 0;
  double file_started_ = 0;  // seconds into the run when file index_ began
  process::ProgressLine line_;
};

}  // namespace teiten::sensor
