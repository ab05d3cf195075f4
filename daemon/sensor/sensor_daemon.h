// SensorDaemon — teiten-sensor's lifecycle. The shell (ctl::ConfiguredShell)
// loads the configuration (the same loader serves startup, -t and
// config-reload) and runs serve(): open the capture (the one step needing
// privileges), drop privileges, open the database, the shipper and the
// control socket, report READY to systemd, then run the capture loop on
// the calling thread until SIGTERM/SIGINT, and shut down flushing and
// shipping what it can.
//
// Threads: capture (the caller of run()), store (StoreWorker), io (signals,
// timers, shipper, control socket). They exchange deltas, requests and
// snapshots by message passing; the daemon's own members are touched on
// the io thread only, once it runs.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/config/sensor_config.h"
#include "common/ctl/daemon_shell.h"
#include "daemon/sensor/capture_control.h"
#include "daemon/sensor/capture_pipeline.h"
#include "daemon/sensor/live_capture.h"
#include "daemon/sensor/read_flags.h"
#include "daemon/sensor/read_progress.h"
#include "daemon/sensor/sensor_counters.h"
#include "daemon/sensor/shipper.h"
#include "daemon/sensor/store_worker.h"

namespace teiten::sensor {

struct SensorOptions {
  std::string config_path;
  bool config_given = false;  ///< -c was on the command line (else the default path)
  bool check_only = false;
  std::vector<std::string> read_files;  ///< non-empty: --read mode
  int ship_timeout_seconds = 30;
  ReadFlags read_flags;  ///< --db, --id, ...: override the file, or stand without one
};

/// What `status` reads from the database, on the store thread.
struct StoredState {
  store::OutboxState outbox;
  store::DaySummary today;  ///< committed rows of `day`
  base::Day day = 0;
  int64_t database_bytes = 0;
  std::optional<uint64_t> free_bytes;
};

class SensorDaemon : public ctl::ConfiguredShell<config::SensorConfig> {
 public:
  explicit SensorDaemon(SensorOptions options);
  ~SensorDaemon() override;

 private:
  // sensor_daemon.cpp: lifecycle
  config::SensorConfig load_config() const override;
  std::vector<config::ConfigError> check_config(const config::SensorConfig& c) const override;
  std::vector<config::ConfigError> check_warnings(const config::SensorConfig& c) const override;
  int serve() override;
  void open();
  void start_io();
  int capture();
  int finish(int code);
  void stop_io();
  void arm_flush_timer();
  void arm_address_timer();
  void arm_housekeeping_timer();
  bool live() const { return mode_ == config::SensorMode::live; }

  // sensor_commands.cpp: the sensor's own commands and what a reload changes
  void register_commands();
  void reloaded(const config::SensorConfig& old, const config::SensorConfig& next) override;
  void command_status(ctl::Respond respond);
  void command_top(const nlohmann::json& args, ctl::Respond respond);
  void command_flush(ctl::Respond respond);

  // sensor_status.cpp: what status, stats and systemd's STATUS= show
  CounterSources counter_sources() const;
  std::vector<process::CounterValue> counter_values() const override;
  nlohmann::ordered_json library_versions() const override;
  nlohmann::ordered_json status_json(const StoredState& stored) const;
  nlohmann::ordered_json capture_json(const CounterSources& src,
                                      const SensorCounters& counters) const;
  nlohmann::ordered_json storage_status(const StoredState& stored, const CounterSources& src,
                                        int64_t now) const;
  nlohmann::ordered_json shipping_json(const StoredState& stored, const CounterSources& src,
                                       int64_t now) const;
  std::string status_line() const override;

  SensorOptions options_;
  config::SensorMode mode_;
  std::vector<base::Prefix> interface_addrs_;
  std::vector<base::Prefix> collector_addrs_;

  boost::asio::steady_timer flush_timer_{io_};
  boost::asio::steady_timer address_timer_{io_};
  boost::asio::steady_timer housekeeping_timer_{io_};

  CaptureControl control_;
  std::unique_ptr<LiveCapture> live_;
  std::unique_ptr<StoreWorker> store_;
  std::unique_ptr<Shipper> shipper_;
  std::unique_ptr<tally::PacketCounter> counter_;
  std::unique_ptr<CapturePipeline> pipeline_;
  std::unique_ptr<ReadProgress> progress_;  // --read only
  std::thread io_thread_;
};

}  // namespace teiten::sensor
