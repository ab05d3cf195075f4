// SensorDaemon: what `status`, `stats` and systemd's STATUS= line show.
#include <sys/statvfs.h>
#include <unistd.h>

#include <filesystem>

#include "common/base/wall_clock.h"
#include "common/ctl/counter_json.h"
#include "common/packet/decoder.h"
#include "daemon/sensor/sensor_counters.h"
#include "daemon/sensor/sensor_daemon.h"

namespace teiten::sensor {
namespace {

nlohmann::ordered_json optional_age(const std::optional<int64_t>& t, int64_t now) {
  if (!t) return nullptr;
  return now - *t;
}

std::optional<uint64_t> free_bytes(const std::string& path) {
  struct statvfs st {};
  auto dir = std::filesystem::path(path).parent_path();
  if (::statvfs(dir.empty() ? "." : dir.c_str(), &st) != 0) return std::nullopt;
  return static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
}

std::string prefixes_text(const std::vector<base::Prefix>& v) {
  std::string out;
  for (const auto& p : v) out += (out.empty() ? "" : ", ") + p.to_string();
  return out;
}

}  // namespace

CounterSources SensorDaemon::counter_sources() const {
  CounterSources s;
  s.capture = pipeline_->snapshot();
  if (live_) s.live = live_->stats();
  s.store = store_->stats();
  if (shipper_) s.shipping = shipper_->status();
  s.now = base::unix_now();
  s.uptime_seconds = s.now - started_at_;
  return s;
}

nlohmann::ordered_json SensorDaemon::status_json(const store::OutboxState& outbox,
                                                 const store::DaySummary& today_committed,
                                                 base::Day today, int64_t database_bytes) const {
  const auto& c = *config_;
  auto src = counter_sources();
  int64_t now = base::unix_now();
  nlohmann::ordered_json j;
  j["version"] = TEITEN_VERSION;
  j["pid"] = ::getpid();
  j["uptime_seconds"] = src.uptime_seconds;
  j["config"] = {
      {"file", c.file}, {"sha256", config_hash_}, {"seconds_since_reload", now - reloaded_at_}};
  j["sensor"] = {
      {"id", c.sensor.id}, {"timezone", c.sensor.timezone}, {"mode", live() ? "live" : "read"}};

  nlohmann::ordered_json cap;
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
  auto counters = sensor_counter_values(src);
  cap["packets_received"] = ctl::to_json(counters[SensorCounter::packets_received]);
  cap["kernel_drops"] = ctl::to_json(counters[SensorCounter::kernel_drops]);
  cap["interface_drops"] = ctl::to_json(counters[SensorCounter::interface_drops]);
  if (src.live) {
    cap["reopens"] = src.live->reopens;
    cap["last_error"] = src.live->last_error;
  }
  j["capture"] = cap;

  const auto& table = sensor_counters();
  nlohmann::ordered_json malformed;
  malformed["total"] = ctl::to_json(table.value(SensorCounter::malformed_total, counters.values()));
  malformed.update(ctl::family_json(table, counters.values(), "malformed", true));
  j["malformed"] = malformed;
  j["ignored"] = ctl::family_json(table, counters.values(), "ignored");
  j["non_ip"] = ctl::to_json(counters[SensorCounter::non_ip]);

  // Accesses add exactly; distinct sources are known for committed rows only.
  uint64_t unflushed[4] = {};
  if (auto it = src.capture.unflushed.find(today); it != src.capture.unflushed.end())
    for (size_t k = 1; k < 4; ++k) unflushed[k] = it->second.accesses[k];
  j["today"] = {{"day", base::format_day(today)},
                {"accesses", today_committed.accesses[1] + unflushed[1]},
                {"sources", today_committed.rows_by_kind[1]},
                {"backscatter", today_committed.accesses[2] + unflushed[2]},
                {"other", today_committed.accesses[3] + unflushed[3]},
                {"note", "sources as of the last flush; accesses include unflushed packets"}};
  j["memory"] = {{"rows", src.capture.rows_in_memory}, {"bytes", src.capture.bytes_in_memory}};

  nlohmann::ordered_json storage;
  storage["path"] = c.storage.path;
  storage["database_bytes"] = database_bytes;
  if (auto f = free_bytes(c.storage.path)) storage["free_bytes"] = *f;
  storage["flush_interval_seconds"] =
      std::chrono::duration_cast<std::chrono::seconds>(c.storage.flush_interval).count();
  storage["last_flush_age_seconds"] = optional_age(src.store.last_flush, now);
  storage["last_flush_seconds"] = src.store.last_flush_seconds;
  storage["last_flush_rows"] = src.store.last_flush_rows;
  storage["flush_failures"] = src.store.failures;
  storage["retained_rows"] = src.store.retained_rows;
  storage["last_error"] = src.store.last_error;
  j["storage"] = storage;

  nlohmann::ordered_json ship;
  ship["enabled"] = static_cast<bool>(shipper_);
  ship["queue_batches"] = outbox.batches;
  ship["queue_rows"] = outbox.rows;
  ship["oldest_unacked_age_seconds"] = optional_age(outbox.oldest_created, now);
  if (src.shipping) {
    const auto& sh = *src.shipping;
    ship["collector"] = sh.collector;
    ship["state"] = name(sh.state);
    ship["connected_for_seconds"] = optional_age(sh.connected_since, now);
    ship["last_ack_age_seconds"] = optional_age(sh.last_ack, now);
    ship["batches_acked"] = sh.batches_acked;
    ship["connects"] = sh.connects;
    ship["last_error"] = sh.last_error;
  }
  j["shipping"] = ship;
  return j;
}

nlohmann::ordered_json SensorDaemon::stats_json() const {
  auto values = sensor_counter_values(counter_sources());
  return ctl::stats_arguments(sensor_counters(), values.values());
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
