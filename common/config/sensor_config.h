// teiten::config::SensorConfig — the typed form of teiten-sensor's YAML file.
//
// load_sensor_config() parses and validates strictly: unknown keys, wrong
// types and bad values are all errors, collected (not stopping at the
// first) and thrown together as ConfigErrors with FILE:LINE:COLUMN. A YAML
// syntax error stops at the first. Relative paths are resolved against the
// config file's directory. Defaults live in one table per section in the
// .cpp, which config/sensor.yaml and the README mirror.
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
    std::string id;                ///< required; [A-Za-z0-9._-]{1,64}
    std::string timezone = "UTC";  ///< IANA name known to tzdata
    bool operator==(const Sensor&) const = default;
  } sensor;

  struct Capture {
    std::string interface;               ///< required in live mode
    std::vector<base::Prefix> observed;  ///< empty: follow the interface (live), all (read)
    std::vector<base::Prefix> ignore_sources;
    std::string filter;                  ///< optional BPF expression
    uint32_t snaplen = 256;              ///< 68..65535
    uint64_t buffer_size = 64ull << 20;  ///< bytes, 64 KiB..2 GiB
    bool promiscuous = false;
    base::Duration timeout{100};        ///< libpcap buffer timeout, 1ms..10s
    base::Duration address_poll{5000};  ///< how often interface addresses are re-read
    bool operator==(const Capture&) const = default;
  } capture;

  struct Storage {
    std::string path = "/var/lib/teiten-sensor/sensor.db";
    base::Duration flush_interval{60'000};         ///< 1s..1h
    base::Duration retention{400ll * 86'400'000};  ///< >= 1d
    uint64_t max_rows_in_memory = 4'000'000;       ///< flush early past this many rows
    bool operator==(const Storage&) const = default;
  } storage;

  struct Collector {
    bool enabled = false;          ///< true when the `collector` section is present
    std::string address;           ///< "host:port" or "[v6]:port"; required when enabled
    std::string host;              ///< split from address
    uint16_t port = 0;             ///< split from address
    std::string server_name;       ///< name to verify; defaults to host
    std::string ca, cert, key;     ///< required when enabled; resolved paths
    uint32_t batch_rows = 20'000;  ///< rows per batch, 1..1,000,000
    base::Duration backoff_initial{1000};
    base::Duration backoff_max{300'000};
    base::Duration ack_timeout{60'000};
    bool operator==(const Collector&) const = default;
  } collector;

  struct Control {
    std::string socket = "/run/teiten-sensor/control.sock";
    bool operator==(const Control&) const = default;
  } control;

  struct Process {
    std::string user;  ///< used only when started as root
    std::string group;
    bool operator==(const Process&) const = default;
  } process;

  struct Log {
    std::string level = "info";  ///< trace, debug, info, warn, error, critical, off
    bool operator==(const Log&) const = default;
  } log;

  std::string file;  ///< the config file as given
  SourceMarks marks;
};

/// Throws ConfigErrors (every error) or, for an unreadable file, ConfigErrors
/// with one positionless error naming the file.
SensorConfig load_sensor_config(const std::string& path, SensorMode mode);

/// Checks what exists outside the file without side effects: files readable,
/// certificates and keys parse, the interface exists (live mode). Returns
/// every problem, located at the key that named it.
std::vector<ConfigError> check_sensor_environment(const SensorConfig& config, SensorMode mode);

/// Every key of the sensor file with its default and range, from the tables
/// the loader reads (for docs and for tests of config/sensor.yaml).
std::vector<KeyInfo> sensor_config_keys();

}  // namespace teiten::config
