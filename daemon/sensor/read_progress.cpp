#include "daemon/sensor/read_progress.h"

#include <cstdio>
#include <filesystem>
#include <numeric>

#include "common/base/human_units.h"

namespace teiten::sensor {

std::string read_summary_text(const ReadSummary& s, double seconds) {
  using base::grouped;
  const auto& c = s.counted;
  uint64_t accesses = std::accumulate(c.accesses.begin(), c.accesses.end(), uint64_t{0});
  char took[32];
  std::snprintf(took, sizeof took, "%.1fs", seconds);
  return "read " + std::to_string(s.files) + (s.files == 1 ? " file" : " files") + " in " + took +
         ": " + grouped(s.packets) + " packets, " + grouped(accesses) + " accesses, " +
         grouped(s.rows_committed) + " rows committed (a source per day, port type and kind), " +
         grouped(c.malformed_total()) + " malformed, " + grouped(c.ignored_total()) + " ignored";
}

void ReadProgress::update(size_t index, const std::string& file, const ReadPosition& at) {
  if (index != index_) {
    index_ = index;
    file_started_ = line_.elapsed();
  }
  line_.update([&] {
    std::string label = std::filesystem::path(file).filename().string();
    if (files_ > 1) label += " (" + std::to_string(index + 1) + "/" + std::to_string(files_) + ")";
    std::optional<double> fraction;
    if (at.size && *at.size > 0)
      fraction = static_cast<double>(at.bytes) / static_cast<double>(*at.size);
    // Rate and ETA are this file's: its bytes are what is left to read.
    return process::progress_text(label, fraction, at.packets, "packets",
                                  line_.elapsed() - file_started_);
  });
}

void ReadProgress::finish(const ReadSummary& summary) {
  line_.finish(read_summary_text(summary, line_.elapsed()));
}

}  // namespace teiten::sensor
