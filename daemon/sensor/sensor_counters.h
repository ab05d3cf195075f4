// The sensor's counter table and where each value comes from. `stats`
// lists them all, `metrics` renders them for Prometheus, `status` shows the
// ones an operator checks first; all read this table.
//
// The sensor's numbers are kept where they happen (the capture thread's
// day stats, libpcap's statistics, the store thread, the shipper) and are
// gathered into one Counters array on the io thread when asked for, so
// the capture hot path takes no lock for them.
#pragma once

#include <optional>

#include "common/packet/access.h"
#include "common/process/counter_table.h"
#include "common/tally/day_stats.h"
#include "daemon/sensor/capture_pipeline.h"
#include "daemon/sensor/live_capture.h"
#include "daemon/sensor/shipper.h"
#include "daemon/sensor/store_worker.h"

namespace teiten::sensor {

// Labelled families take one id per value of their label's enum.
inline constexpr size_t kCountedKinds = 3;  // packet::Kind probe, backscatter, other
inline constexpr size_t kMalformedRows = packet::kMalformedReasons - 1;  // all but none
inline constexpr size_t kIgnoredRows = tally::kIgnoredReasons;

enum class SensorCounter : size_t {
  uptime_seconds,
  packets_received,
  accesses_first,  ///< accesses_<kind>, one per counted packet::Kind
  malformed_total = accesses_first + kCountedKinds,
  malformed_first,  ///< malformed.<reason>, one per packet::Malformed but none
  ignored_first = malformed_first + kMalformedRows,  ///< ignored.<reason>, one per tally::Ignored
  non_ip = ignored_first + kIgnoredRows,
  kernel_drops,
  interface_drops,
  capture_reopens,
  rows_in_memory,
  bytes_in_memory,
  peak_rows_in_memory,
  max_rows_in_memory,
  store_waits,
  flushes,
  flush_failures,
  last_flush_rows,
  last_flush_seconds,
  retained_rows,
  outbox_batches,
  outbox_rows,
  oldest_unacked_age_seconds,
  collector_connects,
  batches_sent,
  batches_acked,
  rows_acked,
  count
};

/// The row of a family member.
SensorCounter accesses_counter(packet::Kind kind);
SensorCounter malformed_counter(packet::Malformed reason);
SensorCounter ignored_counter(tally::Ignored reason);

using SensorCounters = process::Counters<SensorCounter>;
const process::CounterTable<SensorCounter>& sensor_counters();

/// What the counters read, gathered on the io thread.
struct CounterSources {
  CaptureSnapshot capture;
  std::optional<LiveStats> live;  ///< live capture only
  StoreWorker::Stats store;
  std::optional<ShipperStatus> shipping;  ///< with a collector only
  int64_t uptime_seconds = 0;
  int64_t now = 0;  ///< Unix seconds, for ages
};

/// Every row of sensor_counters() filled: a value the platform cannot
/// measure (interface drops on "any") is unsupported, one that does not
/// apply (drops while reading files, shipping without a collector) is
/// not applicable.
SensorCounters sensor_counter_values(const CounterSources& s);

}  // namespace teiten::sensor
