// SensorDaemon — teiten-sensor's lifecycle. run() loads the configuration
// (the same loader serves startup, -t and config-reload), opens the capture
// (the one step needing privileges), drops privileges, opens the database,
// the shipper and the control socket, reports READY to systemd, then runs
// the capture loop on the calling thread until SIGTERM/SIGINT, and shuts
// down flushing and shipping what it can.
//
// Threads: capture (the caller of run()), store (StoreWorker), io (signals,
// timers, shipper, control socket). They exchange deltas, requests and
// snapshots by message passing; the daemon's own members are touched on
// the io thread only, once it runs.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/config/sensor_config.h"
#include "common/ctl/command_registry.h"
#include "common/ctl/control_server.h"
#include "common/process/notifier.h"
#include "daemon/sensor/capture_control.h"
#include "daemon/sensor/capture_pipeline.h"
#include "daemon/sensor/live_capture.h"
#include "daemon/sensor/sensor_counters.h"
#include "daemon/sensor/shipper.h"
#include "daemon/sensor/store_worker.h"

namespace teiten::sensor {

struct SensorOptions {
  std::string config_path;
  bool check_only = false;
  std::vector<std::string> read_files;  ///< non-empty: --read mode
  int ship_timeout_seconds = 30;
};

class SensorDaemon {
 public:
  explicit SensorDaemon(SensorOptions options);
  ~SensorDaemon();
  SensorDaemon(const SensorDaemon&) = delete;
  SensorDaemon& operator=(const SensorDaemon&) = delete;

  /// Returns the process exit code (common/process/exit_codes.h).
  int run();

 private:
  // sensor_daemon.cpp: lifecycle
  int serve();
  void open();
  void start_io();
  int capture();
  int finish(int code);
  void stop_io();
  void arm_hup();
  void arm_flush_timer();
  void arm_address_timer();
  void arm_watchdog_timer(std::chrono::microseconds interval);
  void arm_housekeeping_timer();
  bool live() const { return mode_ == config::SensorMode::live; }

  // sensor_commands.cpp: control commands and reload
  void register_commands();
  ctl::Reply reload(const std::string& origin);
  void command_status(ctl::Respond respond);
  void command_top(const nlohmann::json& args, ctl::Respond respond);
  void command_flush(ctl::Respond respond);
  ctl::Reply command_config_test();

  // sensor_status.cpp: what status, stats and systemd's STATUS= show
  CounterSources counter_sources() const;
  nlohmann::ordered_json status_json(const store::OutboxState& outbox,
                                     const store::DaySummary& today_committed, base::Day today,
                                     int64_t database_bytes) const;
  nlohmann::ordered_json stats_json() const;
  std::string status_line() const;

  SensorOptions options_;
  config::SensorMode mode_;
  std::shared_ptr<const config::SensorConfig> config_;
  std::string config_hash_;
  int64_t started_at_ = 0;
  int64_t reloaded_at_ = 0;
  std::vector<base::Prefix> interface_addrs_;
  std::vector<base::Prefix> collector_addrs_;

  boost::asio::io_context io_;
  boost::asio::signal_set stop_signals_{io_, SIGINT, SIGTERM};
  boost::asio::signal_set hup_signal_{io_, SIGHUP};
  boost::asio::steady_timer flush_timer_{io_};
  boost::asio::steady_timer address_timer_{io_};
  boost::asio::steady_timer watchdog_timer_{io_};
  boost::asio::steady_timer housekeeping_timer_{io_};
  process::Notifier notifier_;

  CaptureControl control_;
  std::unique_ptr<LiveCapture> live_;
  std::unique_ptr<StoreWorker> store_;
  std::unique_ptr<Shipper> shipper_;
  std::unique_ptr<tally::PacketCounter> counter_;
  std::unique_ptr<CapturePipeline> pipeline_;
  ctl::CommandRegistry registry_;
  std::unique_ptr<ctl::ControlServer> control_server_;
  std::thread io_thread_;
};

}  // namespace teiten::sensor
