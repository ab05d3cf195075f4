// The sensor's counter table and where each value comes from. `stats`
// lists them all; `status` shows the ones an operator checks first.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "common/process/counter_table.h"
#include "daemon/sensor/capture_pipeline.h"
#include "daemon/sensor/live_capture.h"
#include "daemon/sensor/shipper.h"
#include "daemon/sensor/store_worker.h"

namespace teiten::sensor {

const std::vector<process::CounterInfo>& sensor_counters();

/// What the counters read, gathered on the io thread.
struct CounterSources {
  CaptureSnapshot capture;
  std::optional<LiveStats> live;  ///< live capture only
  StoreWorker::Stats store;
  std::optional<ShipperStatus> shipping;  ///< with a collector only
  int64_t uptime_seconds = 0;
};

/// {name: value} for every row of sensor_counters(); a value the platform
/// cannot measure (interface drops on "any") is the string "unsupported",
/// one that does not apply (drops while reading files) is null.
nlohmann::ordered_json sensor_counter_values(const CounterSources& s);

}  // namespace teiten::sensor
