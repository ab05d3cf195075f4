// What the collector knows about its sensors and its own ingest, kept on
// the network thread (the only writer and, through the control socket,
// the only reader) so it needs no locks. Sessions report what happened
// through its methods; the counters change only through them.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>

#include "daemon/collector/collector_counters.h"

namespace teiten::collector {

struct SensorLiveState {
  uint32_t sessions = 0;  ///< open, identified connections
  std::string remote;     ///< address of the latest connection
  std::optional<int64_t> connected_since;
  std::optional<int64_t> last_batch;  ///< Unix seconds a batch was last committed
  std::optional<int64_t> last_disconnect;
  uint64_t batches = 0;     ///< committed since the collector started
  uint64_t duplicates = 0;  ///< resends recognised
  uint64_t rows = 0;
  std::string database_id;
  std::string software;
};

struct Refusal {
  int64_t time = 0;
  std::string remote;
  std::string fingerprint;  ///< SHA-256 of the client certificate, when one was seen
  std::string sensor;       ///< the id claimed, when known
  std::string reason;
};

class IngestStats {
 public:
  IngestStats() : counters_(collector_counters()) { set_active_connections(0); }

  void count(CollectorCounter id, uint64_t n = 1) { counters_.add(id, n); }
  void set_active_connections(size_t n) { counters_.set(CollectorCounter::active_connections, n); }
  /// Counts the refusal under its reason and keeps it among the recent ones.
  void refuse(RefusalReason why, Refusal r);
  void storage_error(const std::string& error);
  void batch_applied(const std::string& sensor, uint64_t rows, bool gap, int64_t now);
  void batch_duplicate(const std::string& sensor);
  /// The sensor's live state, created on first use.
  SensorLiveState& sensor(const std::string& id) { return sensors_[id]; }

  /// Every counter, uptime included.
  CollectorCounters snapshot(int64_t uptime_seconds) const;
  uint64_t number(CollectorCounter id) const;
  const std::map<std::string, SensorLiveState>& sensors() const { return sensors_; }
  const std::deque<Refusal>& recent_refusals() const { return recent_refusals_; }
  const std::string& last_storage_error() const { return last_storage_error_; }

 private:
  CollectorCounters counters_;
  std::string last_storage_error_;
  std::deque<Refusal> recent_refusals_;             ///< newest last, bounded
  std::map<std::string, SensorLiveState> sensors_;  ///< by sensor id
};

}  // namespace teiten::collector
