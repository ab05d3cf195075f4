#include "daemon/sensor/sensor_counters.h"

#include "common/base/wall_clock.h"

namespace teiten::sensor {
namespace {

std::vector<process::CounterInfo> make_table() {
  std::vector<process::CounterInfo> t = {
      {"uptime_seconds", "gauge", "seconds since the daemon started"},
      {"packets_received", "counter", "frames libpcap delivered (live) or read (--read)"},
      {"accesses_probe", "counter", "packets counted as probes (accesses)"},
      {"accesses_backscatter", "counter", "packets counted as backscatter"},
      {"accesses_other", "counter", "other counted packets"},
      {"malformed_total", "counter", "packets that could not be classified, all reasons"},
  };
  for (int i = 1; i < packet::kMalformedReasons; ++i) {
    std::string reason(packet::name(static_cast<packet::Malformed>(i)));
    t.push_back({"malformed." + reason, "counter", "malformed packets, reason " + reason});
  }
  for (int i = 0; i < tally::kIgnoredReasons; ++i) {
    std::string reason(tally::name(static_cast<tally::Ignored>(i)));
    t.push_back({"ignored." + reason, "counter", "packets not counted, reason " + reason});
  }
  std::vector<process::CounterInfo> rest = {
      {"non_ip", "counter", "non-IP frames (ARP, LLC, ...), all types"},
      {"kernel_drops", "counter",
       "packets the kernel dropped for lack of buffer (libpcap ps_drop, wrap-safe)"},
      {"interface_drops", "counter",
       "packets the interface dropped (ps_ifdrop); \"unsupported\" where not measurable"},
      {"capture_reopens", "counter", "times the capture was reopened after a link error"},
      {"rows_in_memory", "gauge", "rows counted since the last flush"},
      {"bytes_in_memory", "gauge", "bytes the in-memory rows occupy"},
      {"peak_rows_in_memory", "gauge",
       "most rows held at once: counting table plus rows not yet committed"},
      {"flushes", "counter", "successful commits to the database"},
      {"flush_failures", "counter", "commits that failed (rows kept in memory and retried)"},
      {"last_flush_rows", "gauge", "rows in the last successful commit"},
      {"last_flush_seconds", "gauge", "how long the last successful commit took"},
      {"retained_rows", "gauge", "rows held in memory after a failed commit"},
      {"outbox_batches", "gauge", "batches committed and not yet acknowledged by the collector"},
      {"outbox_rows", "gauge", "rows in those batches"},
      {"oldest_unacked_age_seconds", "gauge", "age of the oldest unacknowledged batch"},
      {"collector_connects", "counter", "connection attempts to the collector"},
      {"batches_sent", "counter", "batches sent (resends included)"},
      {"batches_acked", "counter", "batches the collector acknowledged"},
      {"rows_acked", "counter", "rows in acknowledged batches"},
  };
  t.insert(t.end(), rest.begin(), rest.end());
  return t;
}

}  // namespace

const std::vector<process::CounterInfo>& sensor_counters() {
  static const auto table = make_table();
  return table;
}

nlohmann::ordered_json sensor_counter_values(const CounterSources& s) {
  const auto& st = s.capture.since_start;
  nlohmann::ordered_json v;
  v["uptime_seconds"] = s.uptime_seconds;
  v["packets_received"] = s.capture.packets;
  v["accesses_probe"] = st.accesses[static_cast<size_t>(packet::Kind::probe)];
  v["accesses_backscatter"] = st.accesses[static_cast<size_t>(packet::Kind::backscatter)];
  v["accesses_other"] = st.accesses[static_cast<size_t>(packet::Kind::other)];
  v["malformed_total"] = st.malformed_total();
  for (int i = 1; i < packet::kMalformedReasons; ++i)
    v["malformed." + std::string(packet::name(static_cast<packet::Malformed>(i)))] =
        st.malformed[i];
  for (int i = 0; i < tally::kIgnoredReasons; ++i)
    v["ignored." + std::string(tally::name(static_cast<tally::Ignored>(i)))] = st.ignored[i];
  v["non_ip"] = st.non_ip_total();
  if (s.live) {
    v["kernel_drops"] = s.live->kernel_drops;
    if (s.live->if_drops)
      v["interface_drops"] = *s.live->if_drops;
    else
      v["interface_drops"] = "unsupported";
    v["capture_reopens"] = s.live->reopens;
  } else {
    v["kernel_drops"] = nullptr;
    v["interface_drops"] = nullptr;
    v["capture_reopens"] = nullptr;
  }
  v["rows_in_memory"] = s.capture.rows_in_memory;
  v["bytes_in_memory"] = s.capture.bytes_in_memory;
  v["peak_rows_in_memory"] = s.capture.peak_rows_in_memory;
  v["flushes"] = s.store.flushes;
  v["flush_failures"] = s.store.failures;
  v["last_flush_rows"] = s.store.last_flush_rows;
  v["last_flush_seconds"] = s.store.last_flush_seconds;
  v["retained_rows"] = s.store.retained_rows;
  if (s.shipping) {
    const auto& sh = *s.shipping;
    v["outbox_batches"] = sh.queue_batches;
    v["outbox_rows"] = sh.queue_rows;
    if (sh.oldest_unacked)
      v["oldest_unacked_age_seconds"] = base::unix_now() - *sh.oldest_unacked;
    else
      v["oldest_unacked_age_seconds"] = nullptr;
    v["collector_connects"] = sh.connects;
    v["batches_sent"] = sh.batches_sent;
    v["batches_acked"] = sh.batches_acked;
    v["rows_acked"] = sh.rows_acked;
  } else {
    for (const char* k : {"outbox_batches", "outbox_rows", "oldest_unacked_age_seconds",
                          "collector_connects", "batches_sent", "batches_acked", "rows_acked"})
      v[k] = nullptr;
  }
  return v;
}

}  // namespace teiten::sensor
