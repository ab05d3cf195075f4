// The flags that let `teiten-sensor --read` count capture files without a
// configuration file: `--db OUT.db [--id ID] [--timezone ZONE] [--observed
// PREFIX...]`. Without -c they stand on the defaults of the config tables;
// with -c they override the file's keys. Each value is checked by the same
// rule the file's key follows (common/config/value_rules.h), so a flag
// cannot hold what the file could not.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/config/sensor_config.h"

namespace teiten::sensor {

struct ReadFlags {
  std::optional<std::string> db;        ///< storage.path
  std::optional<std::string> id;        ///< sensor.id
  std::optional<std::string> timezone;  ///< sensor.timezone
  std::vector<std::string> observed;    ///< capture.observed
};

/// Adds the flags to `app`; each needs `read` (the --read option).
void add_read_flags(CLI::App& app, CLI::Option* read, ReadFlags& flags);

/// The id of a configless read: the capture file's name without its
/// extensions ("s01.pcap" -> "s01") when there is one file and that makes
/// a valid id, else "local".
std::string sensor_id_for(const std::vector<std::string>& files);

/// Writes the flags given over the configuration's keys, and forgets those
/// keys' positions in the file (the value no longer comes from there).
void apply_read_flags(const ReadFlags& flags, config::SensorConfig& config);

}  // namespace teiten::sensor
