// CollectorDaemon: control commands and configuration reload. Handlers run
// on the network thread; database reads run on the store thread.
#include <openssl/crypto.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <filesystem>

#include "common/base/day_clock.h"
#include "common/base/wall_clock.h"
#include "common/config/config_hash.h"
#include "common/ctl/config_replies.h"
#include "common/ctl/counter_json.h"
#include "common/process/logging.h"
#include "daemon/collector/collector_counters.h"
#include "daemon/collector/collector_daemon.h"

namespace teiten::collector {
namespace asio = boost::asio;
using ctl::Reply;
using nlohmann::json;
using nlohmann::ordered_json;

namespace {

ordered_json age(const std::optional<int64_t>& t, int64_t now) {
  if (!t) return nullptr;
  return now - *t;
}

}  // namespace

void CollectorDaemon::register_commands() {
  registry_.add_sync("version", "software and library versions", [this](const json&) {
    return Reply::ok("teiten-collector " TEITEN_VERSION,
                     {{"version", TEITEN_VERSION},
                      {"storage", store_.store->backend_version()},
                      {"openssl", OpenSSL_version(OPENSSL_VERSION)}});
  });
  registry_.add("status", "ingest, refusals, storage at a glance",
                [this](const json&, ctl::Respond r) { command_status(std::move(r)); });
  registry_.add("sensors", "each sensor: connection, last batch, lag, rows, coverage today",
                [this](const json&, ctl::Respond r) { command_sensors(std::move(r)); });
  registry_.add_sync("stats", "every counter with its type and meaning",
                     [this](const json&) { return Reply::ok("", stats_json()); });
  registry_.add_sync(
      "config-test", "check the configuration file as it is on disk now", [this](const json&) {
        try {
          auto fresh = config::load_collector_config(options_.config_path);
          return ctl::config_test_result(fresh.file, config::check_collector_environment(fresh));
        } catch (const config::ConfigErrors& e) {
          return ctl::config_errors(options_.config_path + ": invalid", e.errors());
        }
      });
  registry_.add_sync("config-reload",
                     "load the configuration file again (a bad one keeps the running one)",
                     [this](const json&) { return reload("control socket"); });
}

ordered_json CollectorDaemon::stats_json() const {
  auto values = server_->stats().snapshot(base::unix_now() - started_at_);
  return ctl::stats_arguments(collector_counters(), values.values());
}

void CollectorDaemon::command_status(ctl::Respond respond) {
  store_.worker.post([this, respond = std::move(respond)] {
    int64_t bytes = 0;
    try {
      bytes = store_.store->database_bytes();
    } catch (const std::exception&) {
    }
    asio::post(io_, [this, bytes, respond] {
      const auto& s = server_->stats();
      int64_t now = base::unix_now();
      auto counters = s.snapshot(now - started_at_);
      const auto& table = collector_counters();
      size_t connected = 0;
      for (const auto& [id, live] : s.sensors()) connected += live.sessions > 0;
      ordered_json j;
      j["version"] = TEITEN_VERSION;
      j["pid"] = ::getpid();
      j["uptime_seconds"] = now - started_at_;
      j["config"] = {{"file", config_->file},
                     {"sha256", config_hash_},
                     {"seconds_since_reload", now - reloaded_at_}};
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
      ordered_json storage;
      storage["path"] = config_->storage.path;
      storage["database_bytes"] = bytes;
      struct statvfs st {};
      auto dir = std::filesystem::path(config_->storage.path).parent_path();
      if (::statvfs(dir.empty() ? "." : dir.c_str(), &st) == 0)
        storage["free_bytes"] = static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
      storage["storage_errors"] = s.number(CollectorCounter::storage_errors);
      storage["last_error"] = s.last_storage_error();
      j["storage"] = storage;
      respond(Reply::ok(status_line(), j));
    });
  });
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
        row["lag_s"] = age(last_packet, now);  // newest packet reported vs now
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

Reply CollectorDaemon::reload(const std::string& origin) {
  auto log = process::logger("collector");
  config::CollectorConfig fresh;
  try {
    fresh = config::load_collector_config(options_.config_path);
  } catch (const config::ConfigErrors& e) {
    return ctl::reload_refused(*log, origin, "configuration invalid; the running one is kept",
                               e.errors());
  }
  // What changed, and what applies now, come from the key tables.
  auto next =
      std::make_shared<const config::CollectorConfig>(config::with_hot_keys(*config_, fresh));
  std::vector<std::string> applied, restart;
  for (const auto& c : config::changed_keys(*config_, fresh))
    (c.reload == config::Reload::hot ? applied : restart).push_back(c.path);
  config_ = next;
  config_hash_ = config::file_sha256(next->file);
  reloaded_at_ = base::unix_now();
  process::set_log_level(next->log.level);
  server_->reconfigure(*next);

  return ctl::reload_done(*log, origin, applied, restart);
}

}  // namespace teiten::collector
