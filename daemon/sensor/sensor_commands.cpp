// SensorDaemon: the sensor's own control commands (the shell has the
// standard ones) and what a reload changes in the running sensor. Handlers
// run on the io thread; anything needing the database runs on the store
// thread and answers back on the io thread.
#include <boost/asio/post.hpp>

#include "common/base/wall_clock.h"
#include "common/packet/port_label.h"
#include "daemon/sensor/counting_rules.h"
#include "daemon/sensor/interface_addresses.h"
#include "daemon/sensor/sensor_daemon.h"

namespace teiten::sensor {
namespace asio = boost::asio;
using ctl::Reply;
using nlohmann::json;

void SensorDaemon::register_commands() {
  registry_.add("status", "capture, drops, today's counts, storage and shipping at a glance",
                [this](const json&, ctl::Respond respond) { command_status(std::move(respond)); });
  registry_.add(
      "top",
      "today's top port types by accesses and by sources (flushes first); "
      "arguments: limit (10), day (YYYY-MM-DD)", {"limit", "day"},
      [this](const json& args, ctl::Respond respond) { command_top(args, std::move(respond)); });
  registry_.add("flush", "commit what was counted now and ship it",
                [this](const json&, ctl::Respond respond) { command_flush(std::move(respond)); });
}

void SensorDaemon::command_status(ctl::Respond respond) {
  base::DayClock clock(config_->sensor.timezone);
  StoredState stored;
  stored.day = base::today(clock);
  store_->post([this, stored, respond = std::move(respond)](store::SensorStore& s) mutable {
    std::string error;
    try {
      stored.outbox = s.outbox_state();
      stored.today = s.day_summary(stored.day);
      stored.database_bytes = s.database_bytes();
      stored.free_bytes = s.free_bytes();
    } catch (const std::exception& e) {
      error = e.what();
    }
    asio::post(io_, [this, stored, error, respond = std::move(respond)] {
      if (!error.empty()) return respond(Reply::error("cannot read the database: " + error));
      respond(Reply::ok(status_line(), status_json(stored)));
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
                            {"port_type", packet::port_label(p.proto, p.port)},
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

void SensorDaemon::reloaded(const config::SensorConfig& old, const config::SensorConfig& next) {
  control_.set_max_rows(next.storage.max_rows_in_memory);
  const bool rules = next.capture.observed != old.capture.observed ||
                     next.capture.ignore_sources != old.capture.ignore_sources;
  if (rules) {
    if (live()) {
      address_timer_.cancel();
      if (next.capture.observed.empty()) {
        interface_addrs_ = interface_addresses(next.capture.interface);
        arm_address_timer();
      }
    }
    control_.set_rules(build_rules(next, mode_, interface_addrs_, collector_addrs_));
  } else if (live() && next.capture.observed.empty() &&
             next.capture.address_poll != old.capture.address_poll) {
    address_timer_.cancel();
    arm_address_timer();
  }
  if (next.storage.flush_interval != old.storage.flush_interval) {
    flush_timer_.cancel();
    arm_flush_timer();
  }
}

}  // namespace teiten::sensor
