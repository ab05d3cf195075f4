// What `teiten-sensor -t` warns about: settings that load and check fine
// but would count nothing, or almost nothing. Each is printed as
// `FILE:LINE:COLUMN: warning: ...` and leaves the exit status 0 (the
// operator may mean it: a routed darknet prefix is observed without being
// on the interface). And what `status` says when a running sensor has
// counted nothing after a minute of traffic. Pure: the interface's
// addresses and the counts are passed in.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/base/prefix.h"
#include "common/config/sensor_config.h"
#include "common/tally/day_stats.h"

namespace teiten::sensor {

/// Warnings, located at the key they concern, in file order.
/// `interface_addrs` are the live interface's addresses (unused with --read).
std::vector<config::ConfigError> config_warnings(const config::SensorConfig& c,
                                                 config::SensorMode mode,
                                                 const std::vector<base::Prefix>& interface_addrs);

/// After `seconds` of capture (at least a minute) in which every packet
/// was ignored, a hint naming the main reason and the key to look at;
/// nullopt while anything counts or too little was seen.
std::optional<std::string> nothing_counted_hint(const tally::DayStats& since_start,
                                                int64_t seconds);

}  // namespace teiten::sensor
