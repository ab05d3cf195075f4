// SensorDaemon: the control commands and configuration reload. Handlers
// run on the io thread; anything needing the database runs on the store
// thread and answers back on the io thread.
#include <openssl/crypto.h>
#include <pcap/pcap.h>

#include <boost/asio/post.hpp>

#include "common/base/wall_clock.h"
#include "common/config/config_hash.h"
#include "common/ctl/config_replies.h"
#include "common/packet/access.h"
#include "common/process/logging.h"
#include "daemon/sensor/counting_rules.h"
#include "daemon/sensor/interface_addresses.h"
#include "daemon/sensor/sensor_daemon.h"

namespace teiten::sensor {
namespace asio = boost::asio;
using ctl::Reply;
using nlohmann::json;

namespace {

std::string port_label(packet::Proto proto, uint16_t port) {
  if (proto == packet::Proto::icmp && port == 8) return "Ping (ICMP)";
  return std::to_string(port) + "/" + std::string(packet::name(proto));
}

}  // namespace

void SensorDaemon::register_commands() {
  registry_.add_sync("version", "software and library versions", [](const json&) {
    return Reply::ok("teiten-sensor " TEITEN_VERSION,
                     {{"version", TEITEN_VERSION},
                      {"libpcap", pcap_lib_version()},
                      {"storage", store::SensorStore::backend_version()},
                      {"openssl", OpenSSL_version(OPENSSL_VERSION)}});
  });
  registry_.add("status", "capture, drops, today's counts, storage and shipping at a glance",
                [this](const json&, ctl::Respond respond) { command_status(std::move(respond)); });
  registry_.add_sync("stats", "every counter with its type and meaning",
                     [this](const json&) { return Reply::ok("", stats_json()); });
  registry_.add(
      "top",
      "today's top port types by accesses and by sources (flushes first); "
      "arguments: limit (10), day (YYYY-MM-DD)",
      [this](const json& args, ctl::Respond respond) { command_top(args, std::move(respond)); });
  registry_.add("flush", "commit what was counted now and ship it",
                [this](const json&, ctl::Respond respond) { command_flush(std::move(respond)); });
  registry_.add_sync("config-test", "check the configuration file as it is on disk now",
                     [this](const json&) { return command_config_test(); });
  registry_.add_sync("config-reload",
                     "load the configuration file again (a bad one keeps the running one)",
                     [this](const json&) { return reload("control socket"); });
}

void SensorDaemon::command_status(ctl::Respond respond) {
  base::DayClock clock(config_->sensor.timezone);
  base::Day today = base::today(clock);
  store_->post([this, today, respond = std::move(respond)](store::SensorStore& s) mutable {
    store::OutboxState outbox;
    store::DaySummary summary;
    int64_t bytes = 0;
    std::string error;
    try {
      outbox = s.outbox_state();
      summary = s.day_summary(today);
      bytes = s.database_bytes();
    } catch (const std::exception& e) {
      error = e.what();
    }
    asio::post(io_, [this, outbox, summary, today, bytes, error, respond = std::move(respond)] {
      if (!error.empty()) return respond(Reply::error("cannot read the database: " + error));
      auto j = status_json(outbox, summary, today, bytes);
      respond(Reply::ok(status_line(), j));
    });
  });
}

void SensorDaemon::command_top(const json& args, ctl::Respond respond) {
  size_t limit = 10;
  base::DayClock clock(config_->sensor.timezone);
  base::Day day = base::today(clock);
  if (args.contains("limit")) {
    if (!args["limit"].is_number_unsigned() || args["limit"].get<uint64_t>() == 0)
      return respond(Reply::error("limit must be a positive integer"));
    limit = args["limit"].get<size_t>();
  }
  if (args.contains("day")) {
    auto d =
        args["day"].is_string() ? base::parse_day(args["day"].get<std::string>()) : std::nullopt;
    if (!d) return respond(Reply::error("day must be YYYY-MM-DD"));
    day = *d;
  }
  // Flush first, so "so far" includes what is still in memory.
  control_.request_flush([this, day, limit, respond](bool, const std::string&) {
    store_->post([this, day, limit, respond](store::SensorStore& s) {
      std::vector<store::PortTotal> by_accesses, by_sources;
      std::string error;
      try {
        by_accesses = s.top_ports(day, limit, false);
        by_sources = s.top_ports(day, limit, true);
      } catch (const std::exception& e) {
        error = e.what();
      }
      asio::post(io_, [day, by_accesses, by_sources, error, respond] {
        if (!error.empty()) return respond(Reply::error("cannot read the database: " + error));
        auto table = [](const std::vector<store::PortTotal>& v) {
          json rows = json::array();
          int rank = 0;
          for (const auto& p : v)
            rows.push_back({{"rank", ++rank},
                            {"port_type", port_label(p.proto, p.port)},
                            {"accesses", p.accesses},
                            {"sources", p.sources}});
          return rows;
        };
        Reply r =
            Reply::ok("probes on " + base::format_day(day), {{"day", base::format_day(day)},
                                                             {"by_accesses", table(by_accesses)},
                                                             {"by_sources", table(by_sources)}});
        if (by_accesses.empty()) r.result = ctl::Result::empty;
        respond(r);
      });
    });
  });
}

void SensorDaemon::command_flush(ctl::Respond respond) {
  auto started = std::chrono::steady_clock::now();
  control_.request_flush([this, started, respond](bool committed, const std::string& error) {
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    asio::post(io_, [this, committed, error, seconds, respond] {
      if (!committed) return respond(Reply::error("flush failed, rows kept in memory: " + error));
      if (shipper_) shipper_->kick();
      auto st = store_->stats();
      respond(Reply::ok("flushed",
                        {{"rows", st.last_flush_rows},
                         {"seconds", seconds},
                         {"shipping", shipper_ ? name(shipper_->status().state) : "disabled"}}));
    });
  });
}

Reply SensorDaemon::command_config_test() {
  try {
    auto fresh = config::load_sensor_config(options_.config_path, mode_);
    return ctl::config_test_result(fresh.file, config::check_sensor_environment(fresh, mode_));
  } catch (const config::ConfigErrors& e) {
    return ctl::config_errors(options_.config_path + ": invalid", e.errors());
  }
}

Reply SensorDaemon::reload(const std::string& origin) {
  auto log = process::logger("sensor");
  config::SensorConfig fresh;
  try {
    fresh = config::load_sensor_config(options_.config_path, mode_);
  } catch (const config::ConfigErrors& e) {
    return ctl::reload_refused(*log, origin, "configuration invalid; the running one is kept",
                               e.errors());
  }
  auto problems = config::check_sensor_environment(fresh, mode_);
  if (!problems.empty())
    return ctl::reload_refused(
        *log, origin, "configuration refers to missing or bad files; the running one is kept",
        problems);

  // What changed, and what applies now, come from the key tables.
  const auto old = config_;
  auto next = std::make_shared<const config::SensorConfig>(config::with_hot_keys(*old, fresh));
  std::vector<std::string> applied, restart;
  for (const auto& c : config::changed_keys(*old, fresh))
    (c.reload == config::Reload::hot ? applied : restart).push_back(c.path);

  config_ = next;
  config_hash_ = config::file_sha256(next->file);
  reloaded_at_ = base::unix_now();
  process::set_log_level(next->log.level);
  control_.set_max_rows(next->storage.max_rows_in_memory);
  const bool rules = next->capture.observed != old->capture.observed ||
                     next->capture.ignore_sources != old->capture.ignore_sources;
  if (rules) {
    if (live()) {
      address_timer_.cancel();
      if (next->capture.observed.empty()) {
        interface_addrs_ = interface_addresses(next->capture.interface);
        arm_address_timer();
      }
    }
    control_.set_rules(build_rules(*next, mode_, interface_addrs_, collector_addrs_));
  } else if (live() && next->capture.observed.empty() &&
             next->capture.address_poll != old->capture.address_poll) {
    address_timer_.cancel();
    arm_address_timer();
  }
  if (next->storage.flush_interval != old->storage.flush_interval) {
    flush_timer_.cancel();
    arm_flush_timer();
  }
  return ctl::reload_done(*log, origin, applied, restart);
}

}  // namespace teiten::sensor
