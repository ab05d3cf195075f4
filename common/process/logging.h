// teiten::process logging — one named spdlog logger per module, all
// writing to stderr (the journal under systemd) in `event key=value` form.
// Low-level libraries (base, packet, tally) never log.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace teiten::process {

/// Sets the level of every logger (existing and future); false for an unknown level name.
bool set_log_level(const std::string& level);
/// The logger named `module`, created on first use with the shared stderr sink.
std::shared_ptr<spdlog::logger> logger(const std::string& module);

}  // namespace teiten::process
