#include "daemon/collector/collector_daemon.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <iostream>

#include "common/config/collector_config.h"
#include "common/process/exit_codes.h"
#include "common/process/logging.h"
#include "daemon/collector/ingest_server.h"

namespace teiten::collector {
namespace asio = boost::asio;
using namespace process;

int CollectorDaemon::run() {
  config::CollectorConfig config;
  try {
    config = config::load_collector_config(options_.config_path);
  } catch (const config::ConfigErrors& e) {
    for (const auto& err : e.errors()) std::cerr << err.to_string() << "\n";
    return kExitConfig;
  }
  if (options_.check_only) {
    auto errors = config::check_collector_environment(config);
    for (const auto& err : errors) std::cerr << err.to_string() << "\n";
    if (!errors.empty()) return kExitConfig;
    std::cout << config.file << ": configuration OK\n";
    return kExitOk;
  }
  set_log_level(config.log.level);
  auto log = logger("collector");
  try {
    StoreThread store;
    store.store =
        std::make_unique<store::CollectorStore>(config.storage.path, config.fleet.timezone);
    asio::io_context io;
    IngestServer server(io, config, store);
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int sig) {
      if (ec) return;
      log->info("signal name={} action=stop", sig == SIGINT ? "SIGINT" : "SIGTERM");
      server.stop();
      io.stop();
    });
    log->info("start database={} fleet_timezone={} sensors={}", config.storage.path,
              config.fleet.timezone, config.sensors.size());
    server.start();
    io.run();
    // Commits already queued finish before the database closes.
    store.worker.stop();
    log->info("stop batches={} rows={}", server.stats().batches_applied,
              server.stats().rows_applied);
    return kExitOk;
  } catch (const std::exception& e) {
    log->critical("fatal error=\"{}\"", e.what());
    return kExitFailure;
  }
}

}  // namespace teiten::collector
