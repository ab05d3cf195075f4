// SensorDaemon: what `status`, `stats`, `metrics` and systemd's STATUS=
// line show. Counters come from the sensor's counter table; status adds
// what is not a counter (states, paths, ages, errors) around them.
#include <pcap/pcap.h>

#include "common/base/wall_clock.h"
#include "common/ctl/counter_json.h"
#include "common/packet/decoder.h"
#include "daemon/sensor/config_warnings.h"
#include "daemon/sensor/sensor_counters.h"
#include "daemon/sensor/sensor_daemon.h"

namespace teiten::sensor {
namespace {

using nlohmann::ordered_json;

std::string prefixes_text(const std::vector<base::Prefix>& v) {
  std::string out;
  for (const auto& p : v) out += (out.empty() ? "" : ", ") + p.to_string();
  return out;
}

// Accesses add exactly; distinct sources are known for committed rows only.
ordered_json today_json(const StoredState& stored, const CaptureSnapshot& capture) {
  uint64_t unflushed[4] = {};
  if (auto it = capture.unflushed.find(stored.day); it != capture.unflushed.end())
    for (size_t k = 1; k < 4; ++k) unflushed[k] = it->second.accesses[k];
  const auto& committed = stored.today;
  return {{"day", base::format_day(stored.day)},
          {"accesses", committed.accesses[1] + unflushed[1]},
          {"sources", committed.rows_by_kind[1]},
          {"backscatter", committed.accesses[2] + unflushed[2]},
          {"other", committed.accesses[3] + unflushed[3]},
          {"note", "sources as of the last flush; accesses include unflushed packets"}};
}

}  // namespace

CounterSources SensorDaemon::counter_sources() const {
  CounterSources s;
  s.capture = pipeline_->snapshot();
  if (live_) s.live = live_->stats();
  s.store = store_->stats();
  if (shipper_) s.shipping = shipper_->status();
  s.now = base::unix_now();
  s.uptime_seconds = uptime_seconds();
  return s;
}

std::vector<process::CounterValue> SensorDaemon::counter_values() const {
  return sensor_counter_values(counter_sources()).take();
}

ordered_json SensorDaemon::library_versions() const {
  return {{"libpcap", pcap_lib_version()}, {"storage", store::SensorStore::backend_version()}};
}

ordered_json SensorDaemon::status_json(const StoredState& stored) const {
  const auto& c = *config_;
  auto src = counter_sources();
  auto counters = sensor_counter_values(src);
  const auto& table = sensor_counters();
  auto j = status_header();
  j["sensor"] = {
      {"id", c.sensor.id}, {"timezone", c.sensor.timezone}, {"mode", live() ? "live" : "read"}};
  j["capture"] = capture_json(src, counters);
  if (auto hint = nothing_counted_hint(src.capture.since_start, src.uptime_seconds))
    j["hint"] = *hint;
  ordered_json malformed;
  malformed["total"] = ctl::to_json(table.value(SensorCounter::malformed_total, counters.values()));
  malformed.update(ctl::family_json(table, counters.values(), "malformed", true));
  j["malformed"] = malformed;
  j["ignored"] = ctl::family_json(table, counters.values(), "ignored");
  j["non_ip"] = ctl::to_json(counters[SensorCounter::non_ip]);
  j["today"] = today_json(stored, src.capture);
  j["memory"] = {{"rows", src.capture.rows_in_memory},
                 {"bytes", src.capture.bytes_in_memory},
                 {"rows_uncommitted", src.capture.rows_uncommitted},
                 {"peak_rows", src.capture.peak_rows_in_memory},
                 {"max_rows", src.capture.max_rows_in_memory},
                 {"store_waits", src.capture.store_waits}};
  j["storage"] = storage_status(stored, src, src.now);
  j["shipping"] = shipping_json(stored, src, src.now);
  return j;
}

ordered_json SensorDaemon::capture_json(const CounterSources& src,
                                        const SensorCounters& counters) const {
  const auto& c = *config_;
  ordered_json cap;
  if (src.live) {
    cap["state"] = src.live->up ? "capturing" : "down";
    cap["interface"] = src.live->interface;
    cap["link_type"] = packet::Decoder::link_type_name(src.live->link_type);
  } else {
    cap["state"] = "reading files";
    cap["link_type"] = packet::Decoder::link_type_name(src.capture.link_type);
  }
  cap["observed"] = c.capture.observed.empty()
                        ? (live() ? "interface addresses: " + prefixes_text(interface_addrs_)
                                  : std::string("every destination"))
                        : prefixes_text(c.capture.observed);
  for (auto id : {SensorCounter::packets_received, SensorCounter::kernel_drops,
                  SensorCounter::interface_drops})
    cap[sensor_counters()[id].name] = ctl::to_json(counters[id]);
  if (src.live) {
    cap["reopens"] = src.live->reopens;
    cap["last_error"] = src.live->last_error;
  }
  return cap;
}

ordered_json SensorDaemon::storage_status(const StoredState& stored, const CounterSources& src,
                                          int64_t now) const {
  const auto& c = *config_;
  auto storage = storage_json(c.storage.path, stored.database_bytes, stored.free_bytes);
  storage["flush_interval_seconds"] =
      std::chrono::duration_cast<std::chrono::seconds>(c.storage.flush_interval).count();
  storage["last_flush_age_seconds"] = age(src.store.last_flush, now);
  storage["last_flush_seconds"] = src.store.last_flush_seconds;
  storage["last_flush_rows"] = src.store.last_flush_rows;
  storage["flush_failures"] = src.store.failures;
  storage["retained_rows"] = src.store.retained_rows;
  storage["last_error"] = src.store.last_error;
  return storage;
}

ordered_json SensorDaemon::shipping_json(const StoredState& stored, const CounterSources& src,
                                         int64_t now) const {
  ordered_json ship;
  ship["enabled"] = static_cast<bool>(shipper_);
  ship["queue_batches"] = stored.outbox.batches;
  ship["queue_rows"] = stored.outbox.rows;
  ship["oldest_unacked_age_seconds"] = age(stored.outbox.oldest_created, now);
  if (src.shipping) {
    const auto& sh = *src.shipping;
    ship["collector"] = sh.collector;
    ship["state"] = name(sh.state);
    ship["connected_for_seconds"] = age(sh.connected_since, now);
    ship["last_ack_age_seconds"] = age(sh.last_ack, now);
    ship["batches_acked"] = sh.batches_acked;
    ship["connects"] = sh.connects;
    ship["last_error"] = sh.last_error;
  }
  return ship;
}

std::string SensorDaemon::status_line() const {
  auto src = counter_sources();
  std::string line;
  if (src.live)
    line = (src.live->up ? "capturing on " : "capture down on ") + src.live->interface + ": " +
           std::to_string(src.capture.packets) + " packets, " +
           std::to_string(src.live->kernel_drops) + " kernel drops";
  else
    line = "reading files: " + std::to_string(src.capture.packets) + " packets";
  if (src.shipping)
    line += "; shipping " + std::string(name(src.shipping->state)) + ", " +
            std::to_string(src.shipping->queue_batches) + " batches queued";
  if (!src.store.last_error.empty()) line += "; STORE ERROR: " + src.store.last_error;
  return line;
}

}  // namespace teiten::sensor
