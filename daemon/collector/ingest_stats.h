// What the collector knows about its sensors and its own ingest, kept on
// the network thread (the only writer and, through the control socket,
// the only reader) so it needs no locks.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>

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

struct IngestStats {
  uint64_t connections = 0;
  uint64_t active_connections = 0;
  uint64_t batches_applied = 0;
  uint64_t batches_duplicate = 0;
  uint64_t sequence_gaps = 0;
  uint64_t rows_applied = 0;
  uint64_t bytes_received = 0;
  uint64_t storage_errors = 0;
  uint64_t protocol_errors = 0;
  uint64_t idle_timeouts = 0;
  std::string last_storage_error;
  std::map<std::string, uint64_t> refused_by_reason;  ///< by short reason key
  std::deque<Refusal> recent_refusals;                ///< newest last, bounded
  std::map<std::string, SensorLiveState> sensors;     ///< by sensor id

  void refuse(Refusal r, const std::string& key) {
    ++refused_by_reason[key];
    recent_refusals.push_back(std::move(r));
    while (recent_refusals.size() > 50) recent_refusals.pop_front();
  }
};

}  // namespace teiten::collector
