// teiten::config::SensorConfig — the typed form of teiten-sensor's YAML file.
//
// load_sensor_config() parses and validates strictly: unknown keys, wrong
// types and bad values are all errors, collected (not stopping at the
// first) and thrown together as ConfigErrors with FILE:LINE:COLUMN. A YAML
// syntax error stops at the first. Relative paths are resolved against the
// config file's directory. Defaults and reload rules live in one table per
// section in the .cpp, which config/sensor.yaml and the README mirror; the
// structs below restate no default (a field the loader did not fill is
// empty, zero or false).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/base/prefix.h"
#include "common/base/units.h"
#include "common/config/config_error.h"
#include "common/config/key_info.h"

namespace teiten::config {

/// Where each key was found, by dotted path ("capture.interface"), for
/// errors found after loading (check mode, reload).
struct SourceMarks {
  std::string file;
  std::map<std::string, std::pair<int, int>> positions;  ///< 1-based line, column
  /// An error "KEY_PATH: message" at the key's position; a key that was not
  /// written (a default) falls back to its nearest written parent
  /// ("capture.observed[2]" -> "capture.observed" -> "capture"), else the file.
  ConfigError error_at(const std::string& key_path, std::string message) const;
};

enum class SensorMode { live, read };

struct SensorConfig {
  struct Sensor {
    std::string id;        ///< required; [A-Za-z0-9._-]{1,64}
    std::string timezone;  ///< IANA name known to tzdata
    bool operator==(const Sensor&) const = default;
  } sensor;

  struct Capture {
    std::string interface;               ///< required in live mode
    std::vector<base::Prefix> observed;  ///< empty: follow the interface (live), all (read)
    std::vector<base::Prefix> ignore_sources;
    std::string filter;      ///< optional BPF expression
    uint32_t snaplen{};      ///< bytes kept of each packet
    uint64_t buffer_size{};  ///< kernel buffer, bytes
    bool promiscuous{};
    base::Duration timeout{};       ///< libpcap buffer timeout
    base::Duration address_poll{};  ///< how often interface addresses are re-read
    bool operator==(const Capture&) const = default;
  } capture;

  struct Storage {
    std::string path;
    base::Duration flush_interval{};
    base::Duration retention{};
    uint64_t max_rows_in_memory{};  ///< flush early past this many rows
    bool operator==(const Storage&) const = default;
  } storage;

  /// One collector the sensor may ship to.
  struct Endpoint {
    std::string address;      ///< as written: "host:port" or "[v6]:port"
    std::string host;         ///< split from address
    uint16_t port = 0;        ///< split from address
    std::string server_name;  ///< the name its certificate must carry
    bool operator==(const Endpoint&) const = default;
  };

  struct Collector {
    bool enabled = false;  ///< true when the `collector` section is present
    /// One address or several, in order of preference (docs/postgresql.md:
    /// several collectors on one database); required when enabled.
    std::vector<std::string> address;
    std::vector<Endpoint> endpoints;  ///< address split, one per entry, in its order
    std::string server_name;          ///< name to verify for every address; empty: each host
    std::string ca, cert, key;  ///< required when enabled; resolved paths
    uint32_t batch_rows{};      ///< rows per batch
    base::Duration backoff_initial{};
    base::Duration backoff_max{};
    base::Duration ack_timeout{};
    bool operator==(const Collector&) const = default;
  } collector;

  struct Control {
    std::string socket;
    bool operator==(const Control&) const = default;
  } control;

  struct Metrics {
    std::string textfile;  ///< Prometheus textfile to rewrite; empty: none
    bool operator==(const Metrics&) const = default;
  } metrics;

  struct Process {
    std::string user;  ///< used only when started as root
    std::string group;
    bool operator==(const Process&) const = default;
  } process;

  struct Log {
    std::string level;  ///< trace, debug, info, warn, error, critical, off
    bool operator==(const Log&) const = default;
  } log;

  std::string file;  ///< the config file as given
  SourceMarks marks;
};

/// Where the daemon looks without -c (the path the systemd unit names).
inline constexpr const char* kDefaultSensorConfig = "/etc/teiten/sensor.yaml";

/// Throws ConfigErrors (every error) or, for an unreadable file, ConfigErrors
/// with one positionless error naming the file.
SensorConfig load_sensor_config(const std::string& path, SensorMode mode);

/// `--read` without a file: every key at its default, `sensor_id` as the
/// id, `name` standing where a file name would ("command line"). Throws
/// ConfigErrors when `sensor_id` is not a valid id.
SensorConfig default_read_config(const std::string& name, const std::string& sensor_id);

/// Checks what exists outside the file without side effects: files readable,
/// certificates and keys parse, the interface exists (live mode). Returns
/// every problem, located at the key that named it.
std::vector<ConfigError> check_sensor_environment(const SensorConfig& config, SensorMode mode);

/// Every key of the sensor file with its default, range and reload rule,
/// from the tables the loader reads (for docs and for tests of config/sensor.yaml).
std::vector<KeyInfo> sensor_config_keys();

/// The keys whose values differ between the running configuration and a
/// freshly loaded one, in table order, each with its reload rule.
std::vector<KeyChange> changed_keys(const SensorConfig& running, const SensorConfig& fresh);
/// What a reload runs with: `running` with every hot key (and the file name
/// and key positions) taken from `fresh`; restart keys keep their running values.
SensorConfig with_hot_keys(const SensorConfig& running, const SensorConfig& fresh);

}  // namespace teiten::config
