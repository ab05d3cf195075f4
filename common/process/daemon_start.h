// teiten::process daemon start — what both daemons do between parsing their
// flags and serving: load the configuration (every error printed as
// FILE:LINE:COLUMN, exit 2), answer -t, and run with a last-resort handler
// so a fatal error is logged, told to systemd, and exits 1.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/config/config_error.h"
#include "common/process/notifier.h"

namespace teiten::process {

/// Prints the errors on stderr, one per line, the first 100 and a count of the rest.
void print_config_errors(const std::vector<config::ConfigError>& errors);

/// The -t answer after the configuration loaded: the environment check's
/// errors and exit 2, or "FILE: configuration OK" and exit 0; warnings
/// (FILE:LINE:COLUMN: warning: ...) are printed either way.
int report_check(const std::string& file, const std::vector<config::ConfigError>& errors,
                 const std::vector<config::ConfigError>& warnings = {});

/// Runs serve(); an exception that escapes it is logged as critical under
/// `logger_name`, printed as "PROGRAM: what", sent as STOPPING=1, and
/// becomes exit 1.
int serve_guarded(const std::string& program, const std::string& logger_name, Notifier& notifier,
                  const std::function<int()>& serve);

}  // namespace teiten::process
