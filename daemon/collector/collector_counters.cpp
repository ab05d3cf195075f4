#include "daemon/collector/collector_counters.h"

namespace teiten::collector {
namespace {

using process::CounterType;
using enum CollectorCounter;

constexpr auto counter = CounterType::counter;
constexpr auto gauge = CounterType::gauge;

process::CounterTable<CollectorCounter> make_table() {
  std::vector<process::CounterRow<CollectorCounter>> t = {
      process::uptime_row(uptime_seconds),
      {connections, {"connections", counter, "TLS connections accepted"}},
      {active_connections, {"active_connections", gauge, "connections open now"}},
      {batches_applied, {"batches_applied", counter, "batches committed"}},
      {batches_duplicate,
       {"batches_duplicate", counter, "resent batches recognised and acknowledged, not applied"}},
      {sequence_gaps,
       {"sequence_gaps", counter, "batches whose sequence number skipped (collector data lost)"}},
      {rows_applied, {"rows_applied", counter, "rows in committed batches"}},
      {bytes_received,
       {"bytes_received", counter, "frame bytes received from sensors", "received_bytes"}},
      {storage_errors,
       {"storage_errors", counter, "batches not committed because of a database error"}},
      {protocol_errors,
       {"protocol_errors", counter, "connections closed for a bad frame or message"}},
      {idle_timeouts, {"idle_timeouts", counter, "connections closed for silence"}},
      {refused_total,
       {.name = "refused_total", .help = "connections refused, all reasons", .sum_of = "refused"}},
  };
  for (auto& r : process::family_rows(
           refused_first, kRefusalReasons,
           [](size_t i) { return name(static_cast<RefusalReason>(i)); }, "refused", "reason",
           "connections refused"))
    t.push_back(std::move(r));
  return {"teiten_collector", std::move(t)};
}

}  // namespace

std::string_view name(RefusalReason why) {
  switch (why) {
    case RefusalReason::handshake:
      return "handshake";
    case RefusalReason::handshake_timeout:
      return "handshake_timeout";
    case RefusalReason::no_hello:
      return "no_hello";
    case RefusalReason::identity_mismatch:
      return "identity_mismatch";
    case RefusalReason::not_allowlisted:
      return "not_allowlisted";
    case RefusalReason::timezone_mismatch:
      return "timezone_mismatch";
    case RefusalReason::protocol:
      return "protocol";
    case RefusalReason::overloaded:
      return "overloaded";
    case RefusalReason::count:
      break;
  }
  return "unknown";
}

CollectorCounter refused_counter(RefusalReason why) {
  return static_cast<CollectorCounter>(static_cast<size_t>(refused_first) +
                                       static_cast<size_t>(why));
}

const process::CounterTable<CollectorCounter>& collector_counters() {
  static const auto table = make_table();
  return table;
}

}  // namespace teiten::collector
