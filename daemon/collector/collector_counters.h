// The collector's counter table: one enum, one row per id. Refusals are a
// family derived from RefusalReason, so a new reason is a new row.
#pragma once

#include <string_view>

#include "common/process/counter_table.h"

namespace teiten::collector {

/// Why a connection was refused; name() is the `refused.<reason>` label.
enum class RefusalReason : size_t {
  handshake,          ///< TLS handshake or certificate verification failed
  handshake_timeout,  ///< no TLS handshake in time
  no_hello,           ///< no HELLO in time
  identity_mismatch,  ///< the certificate does not name the sensor
  not_allowlisted,    ///< not in the collector's sensors list
  timezone_mismatch,  ///< counts days in another zone than the fleet
  protocol,           ///< a bad frame or message
  overloaded,         ///< listen.max_connections reached
  count
};
std::string_view name(RefusalReason why);
inline constexpr size_t kRefusalReasons = static_cast<size_t>(RefusalReason::count);

enum class CollectorCounter : size_t {
  uptime_seconds,
  connections,
  active_connections,
  batches_applied,
  batches_duplicate,
  sequence_gaps,
  rows_applied,
  bytes_received,
  storage_errors,
  protocol_errors,
  idle_timeouts,
  refused_total,
  refused_first,  ///< refused.<reason>, one per RefusalReason
  count = refused_first + kRefusalReasons
};
CollectorCounter refused_counter(RefusalReason why);

using CollectorCounters = process::Counters<CollectorCounter>;
const process::CounterTable<CollectorCounter>& collector_counters();

}  // namespace teiten::collector
