#include "daemon/collector/collector_daemon.h"

#include <boost/asio/post.hpp>

#include "common/base/wall_clock.h"
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
// How often a database server that is down is looked at (the store's own
// backoff decides when it is actually dialed).
constexpr auto kStorageInterval = std::chrono::seconds(1);

}  // namespace

CollectorDaemon::CollectorDaemon(const CollectorOptions& options)
    : ConfiguredShell({"teiten-collector", "collector", TEITEN_VERSION, options.config_path,
                       options.check_only},
                      collector_counters()),
      check_connect_(options.check_connect) {}

config::CollectorConfig CollectorDaemon::load_config() const {
  return config::load_collector_config(identity().config_path);
}

std::vector<config::ConfigError> CollectorDaemon::check_config(
    const config::CollectorConfig& c) const {
  auto errors = config::check_collector_environment(c);
  if (check_connect_)
    for (auto& e : check_storage(c)) errors.push_back(std::move(e));
  return errors;
}

std::vector<config::ConfigError> CollectorDaemon::check_reload(
    const config::CollectorConfig& c) const {
  return config::check_collector_environment(c);
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
  // A database server that is down (or refuses the login) does not stop
  // the start: sensors get ERROR and keep their batches until it answers.
  store_.store = open_storage(config);
  storage_checked(store_.store->reconnect());
  register_commands();
  start_control(config.control.socket);

  arm_stop("stopping", [this] {
    server_->stop();
    stop_control();
    io_.stop();
  });
  arm_hup();
  arm_status_timer();
  arm_storage_timer();
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
  return exit_code_;
}

void CollectorDaemon::arm_storage_timer() {
  storage_timer_.expires_after(kStorageInterval);
  storage_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    store_.worker.post([this] {
      store::CollectorStorage::Availability a;
      std::string incompatible;
      try {
        a = store_.store->reconnect();
      } catch (const std::exception& e) {  // StoreIncompatible: nothing else is thrown
        incompatible = e.what();
      }
      asio::post(io_, [this, a, incompatible] {
        if (!incompatible.empty()) return storage_incompatible(incompatible);
        storage_checked(a);
        arm_storage_timer();
      });
    });
  });
}

void CollectorDaemon::storage_checked(store::CollectorStorage::Availability a) {
  auto log = logger("collector");
  if (!a.available && (storage_state_.available || a.error != storage_state_.error))
    log->warn(
        "storage_unavailable database=\"{}\" error=\"{}\" next_attempt_ms={} "
        "action=sensors_keep_batches_until_it_answers",
        location(config_->storage), a.error, a.next_attempt_ms.value_or(0));
  else if (a.available && !storage_state_.available)
    log->info("storage_available database=\"{}\" unavailable_s={}", location(config_->storage),
              storage_state_.since ? base::unix_now() - *storage_state_.since : 0);
  storage_state_ = std::move(a);
}

void CollectorDaemon::storage_incompatible(const std::string& why) {
  logger("collector")->error("storage_incompatible error=\"{}\" action=stop", why);
  exit_code_ = kExitFailure;
  notifier_.stopping("stopping: " + why);
  server_->stop();
  stop_control();
  io_.stop();
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
  if (!storage_state_.available)
    line += "; STORAGE ERROR: database unavailable, next attempt in " +
            std::to_string((storage_state_.next_attempt_ms.value_or(0) + 999) / 1000) +
            " s: " + storage_state_.error;
  else if (!s.last_storage_error().empty())
    line += "; STORAGE ERROR: " + s.last_storage_error();
  return line;
}

}  // namespace teiten::collector
