#include "daemon/synth/write_progress.h"

#include <cstdio>
#include <filesystem>

#include "common/base/human_units.h"

namespace teiten::synth {

WriteProgress& WriteProgress::run() {
  static WriteProgress progress;
  return progress;
}

void WriteProgress::wrote(const std::string& file, uint64_t packets) {
  packets_ += packets;
  line_.update([&] {
    std::optional<double> fraction;
    if (expected_ && *expected_ > 0)
      fraction = static_cast<double>(packets_) / static_cast<double>(*expected_);
    return process::progress_text(std::filesystem::path(file).filename().string(), fraction,
                                  packets_, "packets", line_.elapsed());
  });
}

void WriteProgress::finish() {
  char took[32];
  std::snprintf(took, sizeof took, "%.1fs", line_.elapsed());
  line_.finish("wrote " + base::grouped(packets_) + " packets to " + std::to_string(files_) +
               (files_ == 1 ? " file" : " files") + " in " + took);
}

}  // namespace teiten::synth
