// teiten::config::CollectorConfig — the typed form of teiten-collector's YAML
// file; same strictness and error reporting as SensorConfig.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/base/units.h"
#include "common/config/config_error.h"
#include "common/config/sensor_config.h"  // SourceMarks

namespace teiten::config {

struct CollectorConfig {
  struct Listen {
    std::string address = "0.0.0.0:7450";
    std::string host;  ///< split from address ("0.0.0.0", "::", "127.0.0.1")
    uint16_t port = 7450;
    std::string ca, cert, key;             ///< required; resolved paths
    base::Duration idle_timeout{120'000};  ///< a connection silent this long is closed
    base::Duration handshake_timeout{10'000};
    uint32_t max_frame = 16u << 20;  ///< bytes, 1 KiB..256 MiB
    uint32_t max_connections = 1024;
    bool operator==(const Listen&) const = default;
  } listen;

  std::vector<std::string> sensors;  ///< allowlist of sensor ids; required, non-empty, unique

  struct Fleet {
    std::string timezone = "UTC";  ///< every sensor must report this zone
    bool operator==(const Fleet&) const = default;
  } fleet;

  struct Storage {
    std::string path = "/var/lib/teiten-collector/collector.db";
    bool operator==(const Storage&) const = default;
  } storage;

  struct Control {
    std::string socket = "/run/teiten-collector/control.sock";
    bool operator==(const Control&) const = default;
  } control;

  struct Process {
    std::string user;
    std::string group;
    bool operator==(const Process&) const = default;
  } process;

  struct Log {
    std::string level = "info";
    bool operator==(const Log&) const = default;
  } log;

  std::string file;
  SourceMarks marks;
};

CollectorConfig load_collector_config(const std::string& path);
std::vector<ConfigError> check_collector_environment(const CollectorConfig& config);

/// Every key of the collector file with its default and range (see sensor_config_keys).
std::vector<KeyInfo> collector_config_keys();

}  // namespace teiten::config
