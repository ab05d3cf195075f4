#include "daemon/collector/collector_daemon.h"

#include <boost/asio/post.hpp>

#include "common/process/exit_codes.h"
#include "common/process/logging.h"
#include "common/process/privileges.h"
#include "daemon/collector/collector_counters.h"
#include "daemon/collector/storage_backend.h"

namespace teiten::collector {
namespace asio = boost::asio;
using namespace process;

namespace {

// How often systemd's STATUS= line is refreshed.
constexpr auto kStatusInterval = std::chrono::seconds(10);

}  // namespace

CollectorDaemon::CollectorDaemon(const CollectorOptions& options)
    : ConfiguredShell({"teiten-collector", "collector", TEITEN_VERSION, options.config_path,
                       options.check_only},
                      collector_counters()) {}

config::CollectorConfig CollectorDaemon::load_config() const {
  return config::load_collector_config(identity().config_path);
}

std::vector<config::ConfigError> CollectorDaemon::check_config(
    const config::CollectorConfig& c) const {
  auto errors = config::check_collector_environment(c);
  for (auto& e : check_storage(c)) errors.push_back(std::move(e));
  return errors;
}

int CollectorDaemon::serve() {
  auto log = logger("collector");
  const auto& config = *config_;
  // The TLS listener binds first (the port may be privileged), then root goes.
  server_ = std::make_unique<IngestServer>(io_, config, store_);
  auto dropped = drop_privileges(config.process.user, config.process.group, {});
  if (dropped.dropped)
    log->info("privileges_dropped user={} uid={} gid={}", config.process.user, dropped.uid,
              dropped.gid);
  store_.store = open_storage(config);
  register_commands();
  start_control(config.control.socket);

  arm_stop("stopping", [this] {
    server_->stop();
    stop_control();
    io_.stop();
  });
  arm_hup();
  arm_status_timer();
  // Healthy: this thread runs its timers, and the store thread answered the
  // previous ping (a commit stuck for a whole interval is not healthy).
  store_pong_ms_ = steady_ms();
  arm_watchdog({"store_thread", [this] { return steady_ms() - store_pong_ms_; }, 1.0,
                [this] {
                  store_.worker.post(
                      [this] { asio::post(io_, [this] { store_pong_ms_ = steady_ms(); }); });
                }});
  log->info("start storage={} database=\"{}\" fleet_timezone={} sensors={} control_socket={}",
            backend_name(config.storage), location(config.storage), config.fleet.timezone,
            config.sensors.size(), config.control.socket);
  server_->start();
  notifier_.ready(status_line());
  io_.run();
  // Commits already queued finish before the database closes.
  store_.worker.stop();
  write_metrics();
  log->info("stop batches={} rows={}", server_->stats().number(CollectorCounter::batches_applied),
            server_->stats().number(CollectorCounter::rows_applied));
  return kExitOk;
}

void CollectorDaemon::arm_status_timer() {
  status_timer_.expires_after(kStatusInterval);
  status_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    publish();
    arm_status_timer();
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
