// Building the counting rules (docs/counting.md, section 1) from the configuration
// and what the host knows: the interface's addresses and the collector's.
#pragma once

#include <memory>
#include <vector>

#include "common/config/sensor_config.h"
#include "common/tally/packet_counter.h"

namespace teiten::sensor {

/// interface_addrs: used when capture.observed is absent in live mode.
std::shared_ptr<const tally::CountingRules> build_rules(
    const config::SensorConfig& config, config::SensorMode mode,
    const std::vector<base::Prefix>& interface_addrs,
    const std::vector<base::Prefix>& collector_addrs);

}  // namespace teiten::sensor
