// teiten::config::CollectorConfig — the typed form of teiten-collector's YAML
// file; same strictness and error reporting as SensorConfig, and likewise
// its defaults and reload rules live only in the tables of the .cpp.
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
    std::string address;
    std::string host;               ///< split from address ("0.0.0.0", "::", "127.0.0.1")
    uint16_t port = 0;              ///< split from address
    std::string ca, cert, key;      ///< required; resolved paths
    base::Duration idle_timeout{};  ///< a connection silent this long is closed
    base::Duration handshake_timeout{};  ///< TLS handshake and HELLO, from accept
    uint32_t max_frame{};                ///< bytes
    uint32_t max_connections{};
    uint32_t max_unauthenticated{};  ///< connections without an accepted HELLO
    uint32_t max_unauthenticated_per_address{};
    uint64_t frame_memory{};  ///< bytes of frames held for all connections
    bool operator==(const Listen&) const = default;
  } listen;

  std::vector<std::string> sensors;  ///< allowlist of sensor ids; required, non-empty, unique

  struct Fleet {
    std::string timezone;  ///< every sensor must report this zone
    bool operator==(const Fleet&) const = default;
  } fleet;

  /// Exactly one backend: an SQLite file (path, the default) or a
  /// PostgreSQL database (postgres; path is then empty).
  struct Storage {
    std::string path;
    std::string postgres;       ///< libpq conninfo or URI, without a password
    std::string password_file;  ///< optional, with postgres: its first line is the password
    bool operator==(const Storage&) const = default;
  } storage;

  struct Control {
    std::string socket;
    bool operator==(const Control&) const = default;
  } control;

  struct Metrics {
    std::string textfile;  ///< Prometheus textfile to rewrite; empty: none
    bool operator==(const Metrics&) const = default;
  } metrics;

  struct Process {
    std::string user;
    std::string group;
    bool operator==(const Process&) const = default;
  } process;

  struct Log {
    std::string level;
    bool operator==(const Log&) const = default;
  } log;

  std::string file;
  SourceMarks marks;
};

/// Where the daemon looks without -c (the path the systemd unit names).
inline constexpr const char* kDefaultCollectorConfig = "/etc/teiten/collector.yaml";

CollectorConfig load_collector_config(const std::string& path);
std::vector<ConfigError> check_collector_environment(const CollectorConfig& config);

/// Every key of the collector file with its default, range and reload rule
/// (see sensor_config_keys).
std::vector<KeyInfo> collector_config_keys();

/// As for the sensor: changed keys with their rules, and the configuration
/// a reload runs with.
std::vector<KeyChange> changed_keys(const CollectorConfig& running, const CollectorConfig& fresh);
CollectorConfig with_hot_keys(const CollectorConfig& running, const CollectorConfig& fresh);

}  // namespace teiten::config
