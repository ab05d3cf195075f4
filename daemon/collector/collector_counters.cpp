#include "daemon/collector/collector_counters.h"

namespace teiten::collector {
namespace {

// Refusal keys the ingest server uses; each gets its own counter row.
const char* const kRefusals[] = {"handshake",         "handshake_timeout", "no_hello",
                                 "identity_mismatch", "not_allowlisted",   "timezone_mismatch",
                                 "protocol",          "overloaded"};

std::vector<process::CounterInfo> make_table() {
  std::vector<process::CounterInfo> t = {
      {"uptime_seconds", "gauge", "seconds since the daemon started"},
      {"connections", "counter", "TLS connections accepted"},
      {"active_connections", "gauge", "connections open now"},
      {"batches_applied", "counter", "batches committed"},
      {"batches_duplicate", "counter", "resent batches recognised and acknowledged, not applied"},
      {"sequence_gaps", "counter", "batches whose sequence number skipped (collector data lost)"},
      {"rows_applied", "counter", "rows in committed batches"},
      {"bytes_received", "counter", "frame bytes received from sensors"},
      {"storage_errors", "counter", "batches not committed because of a database error"},
      {"protocol_errors", "counter", "connections closed for a bad frame or message"},
      {"idle_timeouts", "counter", "connections closed for silence"},
      {"refused_total", "counter", "connections refused, all reasons"},
  };
  for (const char* r : kRefusals)
    t.push_back({std::string("refused.") + r, "counter", std::string("connections refused: ") + r});
  return t;
}

}  // namespace

const std::vector<process::CounterInfo>& collector_counters() {
  static const auto table = make_table();
  return table;
}

nlohmann::ordered_json collector_counter_values(const IngestStats& s, int64_t uptime_seconds) {
  nlohmann::ordered_json v;
  v["uptime_seconds"] = uptime_seconds;
  v["connections"] = s.connections;
  v["active_connections"] = s.active_connections;
  v["batches_applied"] = s.batches_applied;
  v["batches_duplicate"] = s.batches_duplicate;
  v["sequence_gaps"] = s.sequence_gaps;
  v["rows_applied"] = s.rows_applied;
  v["bytes_received"] = s.bytes_received;
  v["storage_errors"] = s.storage_errors;
  v["protocol_errors"] = s.protocol_errors;
  v["idle_timeouts"] = s.idle_timeouts;
  uint64_t total = 0;
  for (const auto& [k, n] : s.refused_by_reason) total += n;
  v["refused_total"] = total;
  for (const char* r : kRefusals) {
    auto it = s.refused_by_reason.find(r);
    v[std::string("refused.") + r] = it == s.refused_by_reason.end() ? 0 : it->second;
  }
  return v;
}

}  // namespace teiten::collector
