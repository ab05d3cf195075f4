// Helpers for the config tests: throwaway directories holding config,
// certificate and key files, and a load's errors as "LINE:COLUMN: message"
// strings so expectations read like the daemon's `-t` output.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/config/collector_config.h"
#include "common/config/config_error.h"
#include "common/config/sensor_config.h"
#include "support/temp_dir.h"

namespace teiten::config::test {

using teiten::test::TempDir;

/// Drops the newline that opens a raw string, so the text's line 1 is the
/// line after R"(.
std::string yaml(const char* text);

/// "LINE:COLUMN: message", or "message" for an error without a position.
std::string located(const ConfigError& e);
std::vector<std::string> located(const std::vector<ConfigError>& errors);

/// The errors load_*_config throws for FILE, located; empty when it loads.
std::vector<std::string> sensor_errors(const std::string& file, SensorMode mode = SensorMode::live);
std::vector<std::string> collector_errors(const std::string& file);

/// Runs a shell command (openssl); fails the test when it exits non-zero.
void run(const std::string& command);

/// A CA, a certificate for CN=NAME signed by it, and its key, written as
/// DIR/ca.pem, DIR/NAME.pem and DIR/NAME.key.
void make_certificates(const TempDir& dir, const std::string& name);

std::string read_file(const std::string& path);
std::string source_file(const std::string& relative);  ///< path in the repository
std::string data_file(const std::string& name);        ///< tests/config/data/NAME

}  // namespace teiten::config::test
