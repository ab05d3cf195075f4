#include "daemon/collector/collector_daemon.h"

#include <boost/asio/post.hpp>
#include <iostream>

#include "common/base/wall_clock.h"
#include "common/config/config_hash.h"
#include "common/process/daemon_start.h"
#include "common/process/exit_codes.h"
#include "common/process/logging.h"
#include "common/process/privileges.h"
#include "common/store/collector_store.h"

namespace teiten::collector {
namespace asio = boost::asio;
using namespace process;

namespace {

int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int CollectorDaemon::run() {
  try {
    config_ = std::make_shared<config::CollectorConfig>(
        config::load_collector_config(options_.config_path));
  } catch (const config::ConfigErrors& e) {
    print_config_errors(e.errors());
    return kExitConfig;
  }
  if (options_.check_only)
    return report_check(config_->file, config::check_collector_environment(*config_));
  set_log_level(config_->log.level);
  return serve_guarded("teiten-collector", "collector", notifier_, [this] { return serve(); });
}

int CollectorDaemon::serve() {
  auto log = logger("collector");
  const auto& config = *config_;
  started_at_ = reloaded_at_ = base::unix_now();
  config_hash_ = config::file_sha256(config.file);
  // The TLS listener binds first (the port may be privileged), then root goes.
  server_ = std::make_unique<IngestServer>(io_, config, store_);
  auto dropped = drop_privileges(config.process.user, config.process.group, {});
  if (dropped.dropped)
    log->info("privileges_dropped user={} uid={} gid={}", config.process.user, dropped.uid,
              dropped.gid);
  store_.store =
      std::make_unique<store::CollectorStore>(config.storage.path, config.fleet.timezone);
  register_commands();
  control_server_ = std::make_unique<ctl::ControlServer>(
      io_, registry_, ctl::ControlServerOptions{config.control.socket});
  control_server_->start();

  stop_signals_.async_wait([this, log](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    log->info("signal name={} action=stop", sig == SIGINT ? "SIGINT" : "SIGTERM");
    notifier_.stopping("stopping");
    server_->stop();
    control_server_->stop();
    io_.stop();
  });
  arm_hup();
  arm_status_timer();
  store_pong_ms_ = steady_ms();
  if (auto interval = Notifier::watchdog_interval()) arm_watchdog(*interval);
  log->info("start database={} fleet_timezone={} sensors={} control_socket={}", config.storage.path,
            config.fleet.timezone, config.sensors.size(), config.control.socket);
  server_->start();
  notifier_.ready(status_line());
  io_.run();
  // Commits already queued finish before the database closes.
  store_.worker.stop();
  log->info("stop batches={} rows={}", server_->stats().number(CollectorCounter::batches_applied),
            server_->stats().number(CollectorCounter::rows_applied));
  return kExitOk;
}

void CollectorDaemon::arm_hup() {
  hup_signal_.async_wait([this](const boost::system::error_code& ec, int) {
    if (ec) return;
    notifier_.reloading();
    reload("SIGHUP");
    notifier_.ready(status_line());
    arm_hup();
  });
}

void CollectorDaemon::arm_status_timer() {
  status_timer_.expires_after(std::chrono::seconds(10));
  status_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    notifier_.status(status_line());
    arm_status_timer();
  });
}

void CollectorDaemon::arm_watchdog(std::chrono::microseconds interval) {
  // Healthy: this thread runs its timers, and the store thread answered the
  // previous ping (a commit stuck for a whole interval is not healthy).
  watchdog_timer_.expires_after(interval / 2);
  watchdog_timer_.async_wait([this, interval](const boost::system::error_code& ec) {
    if (ec) return;
    auto limit = std::chrono::duration_cast<std::chrono::milliseconds>(interval).count();
    if (steady_ms() - store_pong_ms_ <= limit)
      notifier_.watchdog();
    else
      logger("collector")
          ->error("watchdog_withheld store_thread_silent_ms={}", steady_ms() - store_pong_ms_);
    store_.worker.post([this] { asio::post(io_, [this] { store_pong_ms_ = steady_ms(); }); });
    arm_watchdog(interval);
  });
}

std::string CollectorDaemon::status_line() const {
  const auto& s = server_->stats();
  size_t connected = 0;
  for (const auto& [id, live] : s.sensors()) connected += live.sessions > 0;
  std::string line = std::to_string(connected) + "/" + std::to_string(config_->sensors.size()) +
                     " sensors connected; " +
                     std::to_string(s.number(CollectorCounter::batches_applied)) + " batches, " +
                     std::to_string(s.number(CollectorCounter::rows_applied)) + " rows stored";
  if (!s.last_storage_error().empty()) line += "; STORAGE ERROR: " + s.last_storage_error();
  return line;
}

}  // namespace teiten::collector
