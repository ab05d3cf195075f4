// CollectorDaemon — teiten-collector's lifecycle: load the configuration
// (shared by startup, -t and config-reload), open the collector database
// on its store thread, drop privileges when started as root, serve
// sensors over mutual TLS and operators over the control socket on the
// network thread, report to systemd, and stop cleanly on SIGTERM.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <string>

#include "common/config/collector_config.h"
#include "common/ctl/command_registry.h"
#include "common/ctl/control_server.h"
#include "common/process/notifier.h"
#include "daemon/collector/ingest_server.h"

namespace teiten::collector {

struct CollectorOptions {
  std::string config_path;
  bool check_only = false;
};

class CollectorDaemon {
 public:
  explicit CollectorDaemon(CollectorOptions options) : options_(std::move(options)) {}
  /// Returns the process exit code (common/process/exit_codes.h).
  int run();

 private:
  int serve();
  void arm_hup();
  void arm_watchdog(std::chrono::microseconds interval);
  void arm_status_timer();
  std::string status_line() const;

  // collector_commands.cpp
  void register_commands();
  ctl::Reply reload(const std::string& origin);
  void command_status(ctl::Respond respond);
  void command_sensors(ctl::Respond respond);
  nlohmann::ordered_json stats_json() const;

  CollectorOptions options_;
  std::shared_ptr<const config::CollectorConfig> config_;
  std::string config_hash_;
  int64_t started_at_ = 0;
  int64_t reloaded_at_ = 0;
  int64_t store_pong_ms_ = 0;  // steady ms the store thread last answered a ping

  boost::asio::io_context io_;
  boost::asio::signal_set stop_signals_{io_, SIGINT, SIGTERM};
  boost::asio::signal_set hup_signal_{io_, SIGHUP};
  boost::asio::steady_timer watchdog_timer_{io_};
  boost::asio::steady_timer status_timer_{io_};
  process::Notifier notifier_;
  StoreThread store_;
  std::unique_ptr<IngestServer> server_;
  ctl::CommandRegistry registry_;
  std::unique_ptr<ctl::ControlServer> control_server_;
};

}  // namespace teiten::collector
