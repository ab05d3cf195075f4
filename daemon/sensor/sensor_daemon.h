// SensorDaemon — teiten-sensor's lifecycle: configure (shared by startup,
// -t and reload), then run live capture or replay files, then shut down
// flushing what was counted. Threads: the capture thread (the caller of
// run()), the store thread (StoreWorker), and an io thread for signals
// and timers; they exchange deltas and requests by message passing.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/config/sensor_config.h"

namespace teiten::sensor {

struct SensorOptions {
  std::string config_path;
  bool check_only = false;
  std::vector<std::string> read_files;  ///< non-empty: --read mode
  int ship_timeout_seconds = 30;
};

class SensorDaemon {
 public:
  explicit SensorDaemon(SensorOptions options);
  ~SensorDaemon();
  /// Returns the process exit code (common/process/exit_codes.h).
  int run();

 private:
  struct Runtime;
  int check(const config::SensorConfig& config);
  int serve(const config::SensorConfig& config);

  SensorOptions options_;
  config::SensorMode mode_;
  std::unique_ptr<Runtime> rt_;
};

}  // namespace teiten::sensor
