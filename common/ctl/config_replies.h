// teiten::ctl config replies — the answers both daemons give to
// `config-test` and `config-reload`, and the log lines a reload leaves, so
// the two daemons word them the same way.
#pragma once

#include <spdlog/logger.h>

#include <string>
#include <vector>

#include "common/config/config_error.h"
#include "common/ctl/command_registry.h"

namespace teiten::ctl {

/// Result 1 with every error as FILE:LINE:COLUMN text under "errors".
Reply config_errors(const std::string& text, const std::vector<config::ConfigError>& errors);

/// config-test after the file loaded: the environment check's problems, or
/// OK with the file's SHA-256.
Reply config_test_result(const std::string& file, const std::vector<config::ConfigError>& problems);

/// A refused reload: logged (a summary, then each error), then replied.
Reply reload_refused(spdlog::logger& log, const std::string& origin, const std::string& text,
                     const std::vector<config::ConfigError>& errors);

/// A completed reload: what applies now and what waits for a restart,
/// logged and replied.
Reply reload_done(spdlog::logger& log, const std::string& origin,
                  const std::vector<std::string>& applied, const std::vector<std::string>& restart);

}  // namespace teiten::ctl
