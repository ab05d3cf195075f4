// CollectorDaemon — teiten-collector's lifecycle: configure (startup and
// -t share it), open the collector database on its store thread, serve
// sensors over mutual TLS on the network thread until SIGTERM/SIGINT.
#pragma once

#include <string>

namespace teiten::collector {

struct CollectorOptions {
  std::string config_path;
  bool check_only = false;
};

class CollectorDaemon {
 public:
  explicit CollectorDaemon(CollectorOptions options) : options_(std::move(options)) {}
  /// Returns the process exit code (common/process/exit_codes.h).
  int run();

 private:
  CollectorOptions options_;
};

}  // namespace teiten::collector
