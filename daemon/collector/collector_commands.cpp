// CollectorDaemon: the collector's own control commands (the shell has the
// standard ones) and what a reload changes. Handlers run on the network
// thread; database reads run on the store thread.
#include <boost/asio/post.hpp>
#include <cmath>
#include <ctime>
#include <set>

#include "common/base/day_clock.h"
#include "common/base/wall_clock.h"
#include "common/ctl/counter_json.h"
#include "daemon/collector/collector_counters.h"
#include "daemon/collector/collector_daemon.h"
#include "daemon/collector/storage_backend.h"

namespace teiten::collector {
namespace asio = boost::asio;
using ctl::Reply;
using nlohmann::json;
using nlohmann::ordered_json;

namespace {

// A live sensor ships its packets within a flush interval or two, and one
// cut off from the collector ships them as soon as it is back; packets
// more than a day older than the batch that brought them were replayed
// from a capture file (or the sensor's clock is wrong).
constexpr int64_t kReplayedAfter = 86400;

ordered_json replayed(std::optional<int64_t> last_packet, std::optional<int64_t> last_batch) {
  if (!last_packet || !last_batch) return nullptr;
  return *last_batch - *last_packet > kReplayedAfter;
}

ordered_json utc_text(std::optional<int64_t> t) {
  if (!t) return nullptr;
  std::time_t time = static_cast<std::time_t>(*t);
  std::tm tm{};
  char buf[32];
  if (!gmtime_r(&time, &tm) || !std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%SZ", &tm))
    return nullptr;
  return buf;
}

}  // namespace

void CollectorDaemon::register_commands() {
  registry_.add("status", "ingest, refusals, storage at a glance",
                [this](const json&, ctl::Respond r) { command_status(std::move(r)); });
  registry_.add(
      "sensors",
      "each sensor: connection, last batch, newest packet, lag (replays marked), rows, coverage",
      [this](const json&, ctl::Respond r) { command_sensors(std::move(r)); });
}

std::vector<process::CounterValue> CollectorDaemon::counter_values() const {
  return server_->stats().snapshot(uptime_seconds()).take();
}

ordered_json CollectorDaemon::library_versions() const {
  return {{"storage", store_.store->backend_version()}};
}

void CollectorDaemon::command_status(ctl::Respond respond) {
  store_.worker.post([this, respond = std::move(respond)] {
    int64_t bytes = 0;
    std::optional<uint64_t> free;
    try {
      bytes = store_.store->database_bytes();
      free = store_.store->free_bytes();
    } catch (const std::exception&) {
    }
    asio::post(io_, [this, bytes, free, respond] {
      respond(Reply::ok(status_line(), status_json(bytes, free)));
    });
  });
}

ordered_json CollectorDaemon::status_json(int64_t database_bytes,
                                          std::optional<uint64_t> free_bytes) const {
  const auto& s = server_->stats();
  const auto& table = collector_counters();
  auto counters = s.snapshot(uptime_seconds());
  size_t connected = 0;
  for (const auto& [id, live] : s.sensors()) connected += live.sessions > 0;
  auto j = status_header();
  j["listen"] = {{"address", config_->listen.address}, {"port", server_->port()}};
  j["fleet_timezone"] = config_->fleet.timezone;
  j["sensors"] = {{"allowlisted", config_->sensors.size()}, {"connected", connected}};
  ordered_json ingest;
  for (auto id : {CollectorCounter::active_connections, CollectorCounter::batches_applied,
                  CollectorCounter::batches_duplicate, CollectorCounter::rows_applied,
                  CollectorCounter::sequence_gaps, CollectorCounter::protocol_errors})
    ingest[table[id].name] = ctl::to_json(counters[id]);
  j["ingest"] = ingest;
  j["refused"] = {
      {"total", ctl::to_json(table.value(CollectorCounter::refused_total, counters.values()))},
      {"by_reason", ctl::family_json(table, counters.values(), "refused", true)}};
  auto storage = storage_json(config_->storage.path, database_bytes, free_bytes);
  // Which backend, and where: a PostgreSQL location never shows a secret.
  storage["backend"] = backend_name(config_->storage);
  if (config_->storage.path.empty()) {
    storage.erase("path");
    storage["location"] = location(config_->storage);
  }
  storage["storage_errors"] = s.number(CollectorCounter::storage_errors);
  storage["last_error"] = s.last_storage_error();
  // A database server that is down (or refusing the login): why, since
  // when, and when it is dialed next; null while it answers.
  storage["available"] = storage_state_.available;
  storage["unavailable"] = nullptr;
  if (!storage_state_.available)
    storage["unavailable"] = {{"error", storage_state_.error},
                              {"since", utc_text(storage_state_.since)},
                              {"next_attempt_in_ms", storage_state_.next_attempt_ms.value_or(0)}};
  j["storage"] = storage;
  return j;
}

void CollectorDaemon::command_sensors(ctl::Respond respond) {
  base::DayClock day_clock(config_->fleet.timezone);
  base::Day today = base::today(day_clock);
  int64_t midnight = day_clock.day_start(today);
  store_.worker.post([this, today, midnight, respond = std::move(respond)] {
    std::vector<store::SensorRecord> records;
    std::map<std::string, store::CollectorStorage::Freshness> fresh;
    std::string error;
    try {
      records = store_.store->sensors();
      fresh = store_.store->freshness(today);
    } catch (const std::exception& e) {
      error = e.what();
    }
    asio::post(io_, [this, records, fresh, error, midnight, respond] {
      if (!error.empty()) return respond(Reply::error("cannot read the database: " + error));
      const auto& s = server_->stats();
      int64_t now = base::unix_now();
      int64_t since_midnight = now - midnight;
      std::map<std::string, const store::SensorRecord*> by_name;
      for (const auto& r : records) by_name[r.name] = &r;
      std::set<std::string> names(config_->sensors.begin(), config_->sensors.end());
      for (const auto& r : records) names.insert(r.name);
      ordered_json rows = ordered_json::array();
      size_t connected = 0;
      for (const auto& name : names) {
        ordered_json row;
        row["sensor"] = name;
        auto live = s.sensors().find(name);
        bool up = live != s.sensors().end() && live->second.sessions > 0;
        connected += up;
        bool allowed = std::find(config_->sensors.begin(), config_->sensors.end(), name) !=
                       config_->sensors.end();
        row["state"] = !allowed ? "not allowlisted" : up ? "connected" : "disconnected";
        auto rec = by_name.find(name);
        std::optional<int64_t> last_batch;
        if (rec != by_name.end()) last_batch = rec->second->last_batch;
        row["last_batch_age_s"] = age(last_batch, now);
        auto f = fresh.find(name);
        std::optional<int64_t> last_packet;
        if (f != fresh.end()) last_packet = f->second.last_packet;
        row["newest_packet"] = utc_text(last_packet);
        row["lag_s"] = age(last_packet, now);  // newest packet reported vs now
        row["replayed"] = replayed(last_packet, last_batch);
        row["rows_received"] = rec != by_name.end() ? rec->second->rows : 0;
        row["batches"] = rec != by_name.end() ? rec->second->batches : 0;
        int64_t cov = f != fresh.end() ? f->second.coverage_today : 0;
        row["coverage_today_pct"] = since_midnight > 0
                                        ? std::round(1000.0 * static_cast<double>(cov) /
                                                     static_cast<double>(since_midnight)) /
                                              10.0
                                        : 0.0;
        row["remote"] = live != s.sensors().end() ? live->second.remote : "";
        rows.push_back(row);
      }
      ordered_json refused = ordered_json::array();
      for (const auto& r : s.recent_refusals())
        refused.push_back({{"age_s", now - r.time},
                           {"remote", r.remote},
                           {"sensor", r.sensor},
                           {"fingerprint", r.fingerprint},
                           {"reason", r.reason}});
      respond(Reply::ok(std::to_string(connected) + "/" + std::to_string(config_->sensors.size()) +
                            " sensors connected",
                        {{"sensors", rows}, {"recent_refusals", refused}}));
    });
  });
}

void CollectorDaemon::reloaded(const config::CollectorConfig&,
                               const config::CollectorConfig& next) {
  server_->reconfigure(next);
}

}  // namespace teiten::collector
