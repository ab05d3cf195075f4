// CollectorDaemon — teiten-collector's lifecycle. The shell
// (ctl::ConfiguredShell) loads the configuration (shared by startup, -t and
// config-reload) and runs serve(): bind the TLS listener, drop privileges
// when started as root, open the collector database on its store thread,
// serve sensors over mutual TLS and operators over the control socket on
// the network thread, report to systemd, and stop cleanly on SIGTERM.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <string>

#include "common/config/collector_config.h"
#include "common/ctl/daemon_shell.h"
#include "daemon/collector/ingest_server.h"

namespace teiten::collector {

struct CollectorOptions {
  std::string config_path;
  bool check_only = false;
  /// -t also dials the PostgreSQL server; off with --no-connect (the
  /// service's start check: a collector whose database is down still starts).
  bool check_connect = true;
};

class CollectorDaemon : public ctl::ConfiguredShell<config::CollectorConfig> {
 public:
  explicit CollectorDaemon(const CollectorOptions& options);

 private:
  // collector_daemon.cpp: lifecycle
  config::CollectorConfig load_config() const override;
  std::vector<config::ConfigError> check_config(const config::CollectorConfig& c) const override;
  /// The storage keys take effect at restart only, and a database server
  /// that is down must not stop a reload: no connection is tried.
  std::vector<config::ConfigError> check_reload(const config::CollectorConfig& c) const override;
  int serve() override;
  void arm_status_timer();
  std::string status_line() const override;
  /// Every second the store thread connects to a database server that is
  /// down (when its backoff allows); status keeps what it found.
  void arm_storage_timer();
  void storage_checked(store::CollectorStorage::Availability a);
  /// The database can never be used (newer schema, other fleet zone): stop.
  void storage_incompatible(const std::string& why);

  // collector_commands.cpp: the collector's own commands and what a reload changes
  void register_commands();
  void reloaded(const config::CollectorConfig& old, const config::CollectorConfig& next) override;
  std::vector<process::CounterValue> counter_values() const override;
  nlohmann::ordered_json library_versions() const override;
  void command_status(ctl::Respond respond);
  nlohmann::ordered_json status_json(int64_t database_bytes,
                                     std::optional<uint64_t> free_bytes) const;
  void command_sensors(ctl::Respond respond);

  bool check_connect_ = true;
  int64_t store_pong_ms_ = 0;  // steady ms the store thread last answered a ping
  boost::asio::steady_timer status_timer_{io_};
  boost::asio::steady_timer storage_timer_{io_};
  store::CollectorStorage::Availability storage_state_;
  int exit_code_ = 0;
  StoreThread store_;
  std::unique_ptr<IngestServer> server_;
};

}  // namespace teiten::collector
