#include "daemon/sensor/sensor_counters.h"

namespace teiten::sensor {
namespace {

using process::CounterType;
using process::CounterValue;
using enum SensorCounter;

constexpr auto counter = CounterType::counter;
constexpr auto gauge = CounterType::gauge;

process::CounterTable<SensorCounter> make_table() {
  std::vector<process::CounterRow<SensorCounter>> t = {
      process::uptime_row(uptime_seconds),
      {packets_received,
       {"packets_received", counter, "frames libpcap delivered (live) or read (--read)",
        "packets"}},
      {malformed_total,
       {.name = "malformed_total",
        .help = "packets that could not be classified, all reasons",
        .sum_of = "malformed"}},
      {non_ip, {"non_ip", counter, "non-IP frames (ARP, LLC, ...), all types"}},
      {kernel_drops,
       {"kernel_drops", counter,
        "packets the kernel dropped for lack of buffer (libpcap ps_drop, wrap-safe)"}},
      {interface_drops,
       {"interface_drops", counter,
        "packets the interface dropped (ps_ifdrop); \"unsupported\" where not measurable"}},
      {capture_reopens,
       {"capture_reopens", counter, "times the capture was reopened after a link error"}},
      {rows_in_memory, {"rows_in_memory", gauge, "rows counted since the last flush"}},
      {bytes_in_memory, {"bytes_in_memory", gauge, "bytes the in-memory rows occupy"}},
      {peak_rows_in_memory,
       {"peak_rows_in_memory", gauge,
        "most rows held at once: counting table plus rows not yet committed"}},
      {max_rows_in_memory,
       {"max_rows_in_memory", gauge,
        "storage.max_rows_in_memory: the bound peak_rows_in_memory stays within"}},
      {store_waits,
       {"store_waits", counter,
        "times the capture waited for the store to commit, at the bound of rows held"}},
      {flushes, {"flushes", counter, "successful commits to the database"}},
      {flush_failures,
       {"flush_failures", counter, "commits that failed (rows kept in memory and retried)"}},
      {last_flush_rows, {"last_flush_rows", gauge, "rows in the last successful commit"}},
      {last_flush_seconds,
       {"last_flush_seconds", gauge, "how long the last successful commit took"}},
      {retained_rows, {"retained_rows", gauge, "rows held in memory after a failed commit"}},
      {outbox_batches,
       {"outbox_batches", gauge, "batches committed and not yet acknowledged by the collector"}},
      {outbox_rows, {"outbox_rows", gauge, "rows in those batches"}},
      {oldest_unacked_age_seconds,
       {"oldest_unacked_age_seconds", gauge, "age of the oldest unacknowledged batch"}},
      {collector_connects, {"collector_connects", counter, "connection attempts to the collector"}},
      {batches_sent, {"batches_sent", counter, "batches sent (resends included)"}},
      {batches_acked, {"batches_acked", counter, "batches the collector acknowledged"}},
      {rows_acked, {"rows_acked", counter, "rows in acknowledged batches"}},
  };
  // accesses_<kind> keep the names `stats` has always shown; for Prometheus
  // they are one family labelled by kind.
  for (size_t i = 0; i < kCountedKinds; ++i) {
    auto kind = static_cast<packet::Kind>(i + 1);
    std::string k(packet::name(kind));
    t.push_back({accesses_counter(kind),
                 {"accesses_" + k, counter, "counted packets", "accesses", "kind", k}});
  }
  for (auto& r : process::family_rows(
           malformed_first, kMalformedRows,
           [](size_t i) { return packet::name(static_cast<packet::Malformed>(i + 1)); },
           "malformed", "reason", "malformed packets"))
    t.push_back(std::move(r));
  for (auto& r : process::family_rows(
           ignored_first, kIgnoredRows,
           [](size_t i) { return tally::name(static_cast<tally::Ignored>(i)); }, "ignored",
           "reason", "packets not counted"))
    t.push_back(std::move(r));
  return {"teiten_sensor", std::move(t)};
}

void set_capture(SensorCounters& v, const CaptureSnapshot& c) {
  const auto& st = c.since_start;
  v.set(packets_received, c.packets);
  for (size_t i = 0; i < kCountedKinds; ++i) {
    auto kind = static_cast<packet::Kind>(i + 1);
    v.set(accesses_counter(kind), st.accesses[static_cast<size_t>(kind)]);
  }
  for (size_t i = 1; i < packet::kMalformedReasons; ++i)
    v.set(malformed_counter(static_cast<packet::Malformed>(i)), st.malformed[i]);
  for (size_t i = 0; i < kIgnoredRows; ++i)
    v.set(ignored_counter(static_cast<tally::Ignored>(i)), st.ignored[i]);
  v.set(non_ip, st.non_ip_total());
  v.set(rows_in_memory, c.rows_in_memory);
  v.set(bytes_in_memory, c.bytes_in_memory);
  v.set(peak_rows_in_memory, c.peak_rows_in_memory);
  v.set(max_rows_in_memory, c.max_rows_in_memory);
  v.set(store_waits, c.store_waits);
}

void set_live(SensorCounters& v, const std::optional<LiveStats>& live) {
  if (!live) {
    for (auto id : {kernel_drops, interface_drops, capture_reopens})
      v.set(id, CounterValue::not_applicable());
    return;
  }
  v.set(kernel_drops, live->kernel_drops);
  v.set(interface_drops,
        live->if_drops ? CounterValue(*live->if_drops) : CounterValue::unsupported());
  v.set(capture_reopens, live->reopens);
}

void set_store(SensorCounters& v, const StoreWorker::Stats& s) {
  v.set(flushes, s.flushes);
  v.set(flush_failures, s.failures);
  v.set(last_flush_rows, s.last_flush_rows);
  v.set(last_flush_seconds, s.last_flush_seconds);
  v.set(retained_rows, s.retained_rows);
}

void set_shipping(SensorCounters& v, const std::optional<ShipperStatus>& shipping, int64_t now) {
  if (!shipping) {
    for (auto id : {outbox_batches, outbox_rows, oldest_unacked_age_seconds, collector_connects,
                    batches_sent, batches_acked, rows_acked})
      v.set(id, CounterValue::not_applicable());
    return;
  }
  const auto& sh = *shipping;
  v.set(outbox_batches, sh.queue_batches);
  v.set(outbox_rows, sh.queue_rows);
  v.set(oldest_unacked_age_seconds, sh.oldest_unacked ? CounterValue(now - *sh.oldest_unacked)
                                                      : CounterValue::not_applicable());
  v.set(collector_connects, sh.connects);
  v.set(batches_sent, sh.batches_sent);
  v.set(batches_acked, sh.batches_acked);
  v.set(rows_acked, sh.rows_acked);
}

}  // namespace

SensorCounter accesses_counter(packet::Kind kind) {
  return static_cast<SensorCounter>(static_cast<size_t>(accesses_first) +
                                    static_cast<size_t>(kind) - 1);
}

SensorCounter malformed_counter(packet::Malformed reason) {
  return static_cast<SensorCounter>(static_cast<size_t>(malformed_first) +
                                    static_cast<size_t>(reason) - 1);
}

SensorCounter ignored_counter(tally::Ignored reason) {
  return static_cast<SensorCounter>(static_cast<size_t>(ignored_first) +
                                    static_cast<size_t>(reason));
}

const process::CounterTable<SensorCounter>& sensor_counters() {
  static const auto table = make_table();
  return table;
}

SensorCounters sensor_counter_values(const CounterSources& s) {
  SensorCounters v;
  v.set(uptime_seconds, s.uptime_seconds);
  set_capture(v, s.capture);
  set_live(v, s.live);
  set_store(v, s.store);
  set_shipping(v, s.shipping, s.now);
  return v;
}

}  // namespace teiten::sensor
