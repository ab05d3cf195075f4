// The collector's counter table and its values (from IngestStats).
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "common/process/counter_table.h"
#include "daemon/collector/ingest_stats.h"

namespace teiten::collector {

const std::vector<process::CounterInfo>& collector_counters();
nlohmann::ordered_json collector_counter_values(const IngestStats& s, int64_t uptime_seconds);

}  // namespace teiten::collector
