// teiten::ctl::DaemonShell — what every teiten daemon has around its own
// work, written once (Kea's DControllerBase is the model): start-up (load
// the configuration, answer -t, run serve() under a last-resort handler),
// the standard control commands (version, stats, config-test,
// config-reload; list-commands comes with the registry), the status
// header (version, pid, uptime, configuration file, SHA-256 and age),
// SIGTERM/SIGINT and SIGHUP, the systemd watchdog timer, the periodic
// report (the STATUS= line and the Prometheus textfile, rewritten
// atomically; `metrics` shows the same text), and the small helpers for
// ages and free space. A daemon derives from
// ConfiguredShell<ItsConfig>, supplies its loader, checks, counters and
// status line, and registers only its own commands.
//
// Threads: everything here runs on the daemon's network thread (the one
// running io_), except run(), which is the daemon's main.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/config/config_error.h"
#include "common/config/key_info.h"
#include "common/ctl/command_registry.h"
#include "common/ctl/config_replies.h"
#include "common/ctl/control_server.h"
#include "common/process/counter_table.h"
#include "common/process/daemon_start.h"
#include "common/process/exit_codes.h"
#include "common/process/logging.h"
#include "common/process/notifier.h"

namespace teiten::ctl {

struct DaemonIdentity {
  std::string program;      ///< "teiten-sensor": messages and `version`
  std::string logger;       ///< "sensor": the module its lifecycle lines log under
  std::string version;      ///< the binary's version
  std::string config_path;  ///< -c
  bool check_only = false;  ///< -t
};

/// What the watchdog timer checks each half interval: a part of the daemon
/// that must keep answering. Healthy while silent_ms() <= limit x interval.
struct WatchdogProbe {
  std::string what;                    ///< logged as "<what>_silent_ms"
  std::function<int64_t()> silent_ms;  ///< how long the part has been silent
  double limit = 1.0;                  ///< of the watchdog interval
  std::function<void()> after;         ///< runs after each check (wake or ping the part)
};

class DaemonShell {
 public:
  DaemonShell(const DaemonShell&) = delete;
  DaemonShell& operator=(const DaemonShell&) = delete;

  /// Now - t in seconds, or null when t is unset (JSON for status replies).
  static nlohmann::ordered_json age(const std::optional<int64_t>& t, int64_t now);
  /// {path, database_bytes, free_bytes (when known)}: how full the database's disk is.
  static nlohmann::ordered_json storage_json(const std::string& path, int64_t database_bytes,
                                             std::optional<uint64_t> free_bytes);
  /// Milliseconds of the steady clock, for silence measurements.
  static int64_t steady_ms();

 protected:
  DaemonShell(DaemonIdentity identity, const process::CounterRows& counters);
  virtual ~DaemonShell();

  // Supplied by the daemon.
  virtual std::vector<process::CounterValue> counter_values() const = 0;
  virtual std::string status_line() const = 0;
  /// Libraries `version` names after the daemon's own version ({"libpcap": ...}).
  virtual nlohmann::ordered_json library_versions() const = 0;
  virtual Reply config_test() = 0;
  virtual Reply reload(const std::string& origin) = 0;

  const DaemonIdentity& identity() const { return identity_; }
  /// The start of serving: uptime counts from here; `file` is the configuration.
  void started(const std::string& file);
  /// `file` is now the running configuration (start and every reload).
  void config_loaded(const std::string& file);
  int64_t uptime_seconds() const;
  /// {version, pid, uptime_seconds, config: {file, sha256, seconds_since_reload}}.
  nlohmann::ordered_json status_header() const;

  /// Opens the control socket with the standard commands and the daemon's own.
  void start_control(const std::string& socket);
  void stop_control();
  /// SIGTERM/SIGINT: logged, STOPPING=1 with `status`, then stop(); every
  /// later signal calls stop() again.
  void arm_stop(std::string status, std::function<void()> stop);
  /// SIGHUP reloads like config-reload, with RELOADING=1 and READY=1 around it.
  void arm_hup();
  /// Pets systemd's watchdog while the probe is healthy; nothing without WatchdogSec.
  void arm_watchdog(WatchdogProbe probe);
  /// The periodic report: systemd's STATUS= line and the metrics textfile.
  void publish();
  /// Rewrites the metrics textfile, when one is configured; a failure is
  /// logged (once until it changes), never thrown.
  void write_metrics();
  /// Where write_metrics() writes; empty: nowhere.
  void set_metrics_textfile(const std::string& path);

  boost::asio::io_context io_;
  process::Notifier notifier_;
  CommandRegistry registry_;

 private:
  void register_standard_commands();
  void watchdog_tick(std::chrono::microseconds interval);

  DaemonIdentity identity_;
  const process::CounterRows& counters_;
  std::string config_file_;
  std::string config_hash_;
  int64_t started_at_ = 0;
  int64_t reloaded_at_ = 0;
  boost::asio::signal_set stop_signals_{io_, SIGINT, SIGTERM};
  boost::asio::signal_set hup_signal_{io_, SIGHUP};
  boost::asio::steady_timer watchdog_timer_{io_};
  std::optional<WatchdogProbe> probe_;
  std::string metrics_textfile_;
  std::string metrics_error_;  // the last write's failure, logged once
  std::unique_ptr<ControlServer> control_server_;
};

/// The shell for a daemon whose configuration is a Config (SensorConfig,
/// CollectorConfig): start-up, config-test and the reload plumbing, which
/// compares through the config tables (config::changed_keys) and runs with
/// config::with_hot_keys.
template <class Config>
class ConfiguredShell : public DaemonShell {
 public:
  /// The process exit code (common/process/exit_codes.h).
  int run();

 protected:
  using DaemonShell::DaemonShell;

  /// Loads the file at identity().config_path; throws config::ConfigErrors.
  virtual Config load_config() const = 0;
  /// What `-t` checks beyond the file (files, interface, accounts).
  virtual std::vector<config::ConfigError> check_config(const Config& c) const = 0;
  /// What a reload checks beyond the file: check_config's unless a daemon
  /// says otherwise (the collector does not dial its database server).
  virtual std::vector<config::ConfigError> check_reload(const Config& c) const {
    return check_config(c);
  }
  /// What `-t` warns about without failing (settings that count nothing).
  virtual std::vector<config::ConfigError> check_warnings(const Config&) const { return {}; }
  /// Runs the daemon until it stops; returns the exit code.
  virtual int serve() = 0;
  /// After a reload made `next` the running configuration in place of `old`.
  virtual void reloaded(const Config& old, const Config& next) = 0;
  /// Serving starts with the loaded config_: uptime, config header, metrics file.
  void begin();

  Reply config_test() override;
  Reply reload(const std::string& origin) override;

  std::shared_ptr<const Config> config_;
};

template <class Config>
int ConfiguredShell<Config>::run() {
  try {
    config_ = std::make_shared<const Config>(load_config());
  } catch (const config::ConfigErrors& e) {
    process::print_config_errors(e.errors());
    return process::kExitConfig;
  }
  if (identity().check_only)
    return process::report_check(config_->file, check_config(*config_), check_warnings(*config_));
  process::set_log_level(config_->log.level);
  return process::serve_guarded(identity().program, identity().logger, notifier_, [this] {
    begin();
    return serve();
  });
}

template <class Config>
void ConfiguredShell<Config>::begin() {
  started(config_->file);
  set_metrics_textfile(config_->metrics.textfile);
}

template <class Config>
Reply ConfiguredShell<Config>::config_test() {
  try {
    auto fresh = load_config();
    return config_test_result(fresh.file, check_config(fresh));
  } catch (const config::ConfigErrors& e) {
    return config_errors(identity().config_path + ": invalid", e.errors());
  }
}

template <class Config>
Reply ConfiguredShell<Config>::reload(const std::string& origin) {
  auto log = process::logger(identity().logger);
  Config fresh;
  try {
    fresh = load_config();
  } catch (const config::ConfigErrors& e) {
    return reload_refused(*log, origin, "configuration invalid; the running one is kept",
                          e.errors());
  }
  auto problems = check_reload(fresh);
  if (!problems.empty())
    return reload_refused(*log, origin,
                          "configuration refers to missing or bad files; the running one is kept",
                          problems);
  std::vector<std::string> applied, restart;
  // Unqualified: found by argument-dependent lookup next to Config.
  for (const auto& c : changed_keys(*config_, fresh))
    (c.reload == config::Reload::hot ? applied : restart).push_back(c.path);
  auto old = config_;
  config_ = std::make_shared<const Config>(with_hot_keys(*old, fresh));
  config_loaded(config_->file);
  process::set_log_level(config_->log.level);
  set_metrics_textfile(config_->metrics.textfile);
  reloaded(*old, *config_);
  return reload_done(*log, origin, applied, restart);
}

}  // namespace teiten::ctl
