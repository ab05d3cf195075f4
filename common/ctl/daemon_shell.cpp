#include "common/ctl/daemon_shell.h"

#include <openssl/crypto.h>
#include <unistd.h>

#include <filesystem>

#include "common/base/wall_clock.h"
#include "common/config/config_hash.h"
#include "common/ctl/counter_json.h"
#include "common/process/metrics_text.h"

namespace teiten::ctl {

using nlohmann::json;
using nlohmann::ordered_json;

DaemonShell::DaemonShell(DaemonIdentity identity, const process::CounterRows& counters)
    : identity_(std::move(identity)), counters_(counters) {
  register_standard_commands();
}

DaemonShell::~DaemonShell() = default;

ordered_json DaemonShell::age(const std::optional<int64_t>& t, int64_t now) {
  if (!t) return nullptr;
  return now - *t;
}

ordered_json DaemonShell::storage_json(const std::string& path, int64_t database_bytes,
                                       std::optional<uint64_t> free_bytes) {
  ordered_json j;
  j["path"] = path;
  j["database_bytes"] = database_bytes;
  if (free_bytes) j["free_bytes"] = *free_bytes;
  return j;
}

int64_t DaemonShell::steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void DaemonShell::register_standard_commands() {
  registry_.add_sync("version", "software and library versions", [this](const json&) {
    ordered_json v = {{"version", identity_.version}};
    v.update(library_versions());
    v["openssl"] = OpenSSL_version(OPENSSL_VERSION);
    return Reply::ok(identity_.program + " " + identity_.version, v);
  });
  registry_.add_sync("stats", "every counter with its type and meaning", [this](const json&) {
    return Reply::ok("", stats_arguments(counters_, counter_values()));
  });
  registry_.add_sync("metrics",
                     "every counter in the Prometheus text format (what the textfile holds)",
                     [this](const json&) {
                       return Reply::ok(process::prometheus_text(counters_, counter_values()));
                     });
  registry_.add_sync("config-test", "check the configuration file as it is on disk now",
                     [this](const json&) { return config_test(); });
  registry_.add_sync("config-reload",
                     "load the configuration file again (a bad one keeps the running one)",
                     [this](const json&) { return reload("control socket"); });
}

void DaemonShell::started(const std::string& file) {
  started_at_ = base::unix_now();
  config_loaded(file);
}

void DaemonShell::config_loaded(const std::string& file) {
  config_file_ = file;
  config_hash_ = config::file_sha256(file);
  reloaded_at_ = base::unix_now();
}

int64_t DaemonShell::uptime_seconds() const {
  return base::unix_now() - started_at_;
}

ordered_json DaemonShell::status_header() const {
  int64_t now = base::unix_now();
  ordered_json j;
  j["version"] = identity_.version;
  j["pid"] = ::getpid();
  j["uptime_seconds"] = now - started_at_;
  j["config"] = {{"file", config_file_},
                 {"sha256", config_hash_},
                 {"seconds_since_reload", now - reloaded_at_}};
  return j;
}

void DaemonShell::start_control(const std::string& socket) {
  control_server_ = std::make_unique<ControlServer>(io_, registry_, ControlServerOptions{socket});
  control_server_->start();
}

void DaemonShell::stop_control() {
  if (control_server_) control_server_->stop();
}

void DaemonShell::arm_stop(std::string status, std::function<void()> stop) {
  stop_signals_.async_wait([this, status = std::move(status), stop = std::move(stop)](
                               const boost::system::error_code& ec, int sig) {
    if (ec) return;
    process::logger(identity_.logger)
        ->info("signal name={} action=stop", sig == SIGINT ? "SIGINT" : "SIGTERM");
    notifier_.stopping(status);
    stop();
    // Listen again: a later signal must reach a daemon that is still
    // finishing (a sensor waiting for acknowledgements ends the wait).
    arm_stop(status, stop);
  });
}

void DaemonShell::arm_hup() {
  hup_signal_.async_wait([this](const boost::system::error_code& ec, int) {
    if (ec) return;
    notifier_.reloading();
    reload("SIGHUP");
    notifier_.ready(status_line());
    arm_hup();
  });
}

void DaemonShell::arm_watchdog(WatchdogProbe probe) {
  auto interval = process::Notifier::watchdog_interval();
  if (!interval) return;
  probe_ = std::move(probe);
  watchdog_tick(*interval);
}

void DaemonShell::watchdog_tick(std::chrono::microseconds interval) {
  // Half the interval between checks leaves a whole one for a late pet.
  watchdog_timer_.expires_after(interval / 2);
  watchdog_timer_.async_wait([this, interval](const boost::system::error_code& ec) {
    if (ec) return;
    auto interval_ms = std::chrono::duration_cast<std::chrono::milliseconds>(interval).count();
    auto silent = probe_->silent_ms();
    if (static_cast<double>(silent) <= probe_->limit * static_cast<double>(interval_ms))
      notifier_.watchdog();
    else
      process::logger(identity_.logger)
          ->error("watchdog_withheld {}_silent_ms={}", probe_->what, silent);
    if (probe_->after) probe_->after();
    watchdog_tick(interval);
  });
}

void DaemonShell::publish() {
  notifier_.status(status_line());
  write_metrics();
}

void DaemonShell::set_metrics_textfile(const std::string& path) {
  if (path == metrics_textfile_) return;
  metrics_textfile_ = path;
  metrics_error_.clear();
  if (!path.empty()) process::logger(identity_.logger)->info("metrics_textfile path={}", path);
}

void DaemonShell::write_metrics() {
  if (metrics_textfile_.empty()) return;
  auto log = process::logger(identity_.logger);
  try {
    // Like the database's, the file's own directory is made when its parent exists.
    std::error_code ignored;
    std::filesystem::create_directory(std::filesystem::path(metrics_textfile_).parent_path(),
                                      ignored);
    process::write_file_atomically(metrics_textfile_,
                                   process::prometheus_text(counters_, counter_values()));
    if (!metrics_error_.empty())
      log->info("metrics_textfile_written path={} after=\"{}\"", metrics_textfile_, metrics_error_);
    metrics_error_.clear();
  } catch (const std::exception& e) {
    if (metrics_error_ != e.what())
      log->warn("metrics_textfile_failed path={} error=\"{}\"", metrics_textfile_, e.what());
    metrics_error_ = e.what();
  }
}

}  // namespace teiten::ctl
