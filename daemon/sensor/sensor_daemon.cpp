#include "daemon/sensor/sensor_daemon.h"

#include <pcap/pcap.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <future>
#include <iostream>
#include <thread>

#include "common/base/wall_clock.h"
#include "common/process/exit_codes.h"
#include "common/process/logging.h"
#include "common/store/sensor_store.h"
#include "common/wire/batch_codec.h"
#include "daemon/sensor/capture_pipeline.h"
#include "daemon/sensor/counting_rules.h"
#include "daemon/sensor/interface_addresses.h"
#include "daemon/sensor/live_capture.h"
#include "daemon/sensor/offline_reader.h"
#include "daemon/sensor/shipper.h"
#include "daemon/sensor/store_worker.h"

namespace teiten::sensor {
namespace asio = boost::asio;
using namespace process;

namespace {

// Read mode may pause reading while the store catches up; two deltas in
// flight keep both threads busy without holding more memory than that.
constexpr size_t kReadModeMaxQueued = 2;

// Batches are frozen with the delta they carry, in the same transaction.
StoreWorker::Freezer make_freezer(size_t batch_rows) {
  return [batch_rows](const tally::TallyDelta& delta) {
    std::vector<store::OutboxBatch> out;
    for (auto& body : wire::freeze_bodies(delta, batch_rows))
      out.push_back({0, base::unix_now(), body.rows, body.min_day, std::move(body.bytes)});
    return out;
  };
}

// One line per flush interval: is shipping keeping up?
void log_shipping(spdlog::logger& log, const ShipperStatus& s) {
  int64_t now = base::unix_now();
  auto age = [now](const std::optional<int64_t>& t) { return t ? now - *t : -1; };
  log.info(
      "shipping state={} queue_batches={} queue_rows={} oldest_unacked_age_s={} "
      "last_ack_age_s={} last_error=\"{}\"",
      s.state, s.queue_batches, s.queue_rows, age(s.oldest_unacked), age(s.last_ack), s.last_error);
}

// Waits until every batch is acknowledged or the deadline passes.
bool wait_for_outbox(StoreWorker& store, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    if (store.outbox_state().batches == 0) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace

// Everything that lives while the daemon serves, torn down in reverse order.
struct SensorDaemon::Runtime {
  asio::io_context io;
  asio::signal_set signals{io, SIGINT, SIGTERM};
  asio::steady_timer flush_timer{io};
  asio::steady_timer address_timer{io};
  CaptureControl control;
  std::unique_ptr<LiveCapture> live;
  std::unique_ptr<StoreWorker> store;
  std::unique_ptr<Shipper> shipper;
  std::vector<base::Prefix> interface_addrs;
  std::vector<base::Prefix> collector_addrs;
  std::thread io_thread;

  /// Stops the shipper on its own thread, then the io thread.
  void stop_io() {
    if (shipper && io_thread.joinable()) {
      std::promise<void> done;
      asio::post(io, [this, &done] {
        shipper->stop();
        done.set_value();
      });
      done.get_future().wait();
    }
    io.stop();
    if (io_thread.joinable()) io_thread.join();
  }
  ~Runtime() {
    stop_io();
    // Work the shipper queued on the store thread runs while it still exists.
    if (store) store->stop();
  }
};

SensorDaemon::SensorDaemon(SensorOptions options)
    : options_(std::move(options)),
      mode_(options_.read_files.empty() ? config::SensorMode::live : config::SensorMode::read) {}

SensorDaemon::~SensorDaemon() = default;

int SensorDaemon::run() {
  config::SensorConfig config;
  try {
    config = config::load_sensor_config(options_.config_path, mode_);
  } catch (const config::ConfigErrors& e) {
    for (const auto& err : e.errors()) std::cerr << err.to_string() << "\n";
    return kExitConfig;
  }
  if (options_.check_only) return check(config);
  set_log_level(config.log.level);
  try {
    return serve(config);
  } catch (const std::exception& e) {
    logger("sensor")->critical("fatal error=\"{}\"", e.what());
    return kExitFailure;
  }
}

int SensorDaemon::check(const config::SensorConfig& config) {
  auto errors = config::check_sensor_environment(config, mode_);
  for (const auto& err : errors) std::cerr << err.to_string() << "\n";
  if (!errors.empty()) return kExitConfig;
  std::cout << config.file << ": configuration OK\n";
  return kExitOk;
}

int SensorDaemon::serve(const config::SensorConfig& config) {
  auto log = logger("sensor");
  rt_ = std::make_unique<Runtime>();
  Runtime& rt = *rt_;
  bool live = mode_ == config::SensorMode::live;

  // The capture opens first: it is the one step that needs privileges.
  int link_type = DLT_EN10MB;
  if (live) {
    rt.live = std::make_unique<LiveCapture>(config.capture);
    link_type = rt.live->link_type();
    rt.interface_addrs = interface_addresses(config.capture.interface);
  }
  if (config.collector.enabled) rt.collector_addrs = resolve_host(config.collector.host);

  auto store = std::make_unique<store::SensorStore>(config.storage.path, config.sensor.id,
                                                    config.sensor.timezone);
  log->info("start sensor={} mode={} database={} database_id={} timezone={}", config.sensor.id,
            live ? "live" : "read", store->path(), store->database_id(), config.sensor.timezone);
  rt.store = std::make_unique<StoreWorker>(std::move(store), live ? 0 : kReadModeMaxQueued);
  if (config.collector.enabled) {
    rt.store->set_freezer(make_freezer(config.collector.batch_rows));
    rt.shipper = std::make_unique<Shipper>(rt.io, *rt.store, config, rt.store->database_id());
    rt.store->set_commit_hook([&rt] { rt.shipper->kick(); });
    asio::post(rt.io, [&rt] { rt.shipper->start(); });
  }

  auto rules = build_rules(config, mode_, rt.interface_addrs, rt.collector_addrs);
  if (live && config.capture.observed.empty() && rt.interface_addrs.empty())
    log->warn("no_observed_addresses interface={} effect=nothing_counted_until_addresses_appear",
              config.capture.interface);
  tally::PacketCounter counter(link_type, config.sensor.timezone, rules);
  CapturePipeline pipeline(counter, rt.control, *rt.store, config.storage.max_rows_in_memory);
  if (rt.live) pipeline.set_accountant([&rt](tally::PacketCounter& c) { rt.live->account(c); });

  rt.signals.async_wait([&rt, log](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    log->info("signal name={} action=stop", sig == SIGINT ? "SIGINT" : "SIGTERM");
    rt.control.request_stop();
  });
  std::function<void()> arm_flush = [&rt, &arm_flush, log,
                                     interval = config.storage.flush_interval] {
    rt.flush_timer.expires_after(interval);
    rt.flush_timer.async_wait([&rt, &arm_flush, log](const boost::system::error_code& ec) {
      if (ec) return;
      rt.control.request_flush();
      if (rt.shipper) log_shipping(*log, rt.shipper->status());
      arm_flush();
    });
  };
  arm_flush();
  std::function<void()> arm_addresses = [&, mode = mode_] {
    rt.address_timer.expires_after(config.capture.address_poll);
    rt.address_timer.async_wait([&, mode](const boost::system::error_code& ec) {
      if (ec) return;
      auto now = interface_addresses(config.capture.interface);
      if (now != rt.interface_addrs) {
        log->info("observed_addresses_changed interface={} count={}", config.capture.interface,
                  now.size());
        rt.interface_addrs = now;
        rt.control.set_rules(build_rules(config, mode, rt.interface_addrs, rt.collector_addrs));
      }
      arm_addresses();
    });
  };
  if (live && config.capture.observed.empty()) arm_addresses();
  rt.io_thread = std::thread([&rt] { rt.io.run(); });

  int code = kExitOk;
  if (live) {
    rt.live->run(pipeline);
  } else {
    for (const auto& file : options_.read_files) {
      if (rt.control.stop_requested()) {
        log->error("read_skipped file={} reason=stopped", file);
        code = kExitInputIncomplete;
        continue;
      }
      auto outcome = read_capture_file(file, pipeline);
      if (!outcome.complete) {
        log->error("read_incomplete error=\"{}\"", outcome.error);
        std::cerr << "teiten-sensor: " << outcome.error << "\n";
        code = kExitInputIncomplete;
      }
    }
  }

  pipeline.flush();
  rt.store->drain();
  auto stats = rt.store->stats();
  if (stats.retained_rows > 0 || !stats.last_error.empty()) {
    rt.stop_io();
    log->critical("stop_with_unstored_rows rows={} error=\"{}\"", stats.retained_rows,
                  stats.last_error);
    return kExitFailure;
  }
  if (rt.shipper) {
    // --read waits as long as asked; a stopping live sensor briefly, since
    // what is left goes out after the restart anyway.
    auto wait =
        live ? std::chrono::seconds(5) : std::chrono::seconds(options_.ship_timeout_seconds);
    if (!wait_for_outbox(*rt.store, std::chrono::steady_clock::now() + wait)) {
      auto q = rt.store->outbox_state();
      log->warn("unacknowledged_batches batches={} rows={} action=sent_on_next_run", q.batches,
                q.rows);
      if (!live && code == kExitOk) code = kExitUnacknowledged;
    }
  }
  rt.stop_io();
  log->info("stop flushes={} last_flush_rows={}", stats.flushes, stats.last_flush_rows);
  return code;
}

}  // namespace teiten::sensor
