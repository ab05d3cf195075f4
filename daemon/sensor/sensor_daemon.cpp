#include "daemon/sensor/sensor_daemon.h"

#include <pcap/pcap.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <future>
#include <iostream>
#include <thread>

#include "common/base/wall_clock.h"
#include "common/process/exit_codes.h"
#include "common/process/logging.h"
#include "common/process/privileges.h"
#include "common/wire/batch_codec.h"
#include "daemon/sensor/config_warnings.h"
#include "daemon/sensor/counting_rules.h"
#include "daemon/sensor/interface_addresses.h"
#include "daemon/sensor/offline_reader.h"
#include "daemon/sensor/read_progress.h"

namespace teiten::sensor {
namespace asio = boost::asio;
using namespace process;

namespace {

// Read mode may pause reading while the store catches up; two deltas in
// flight keep both threads busy without holding more memory than that.
constexpr size_t kReadModeMaxQueued = 2;
// A stopping live sensor waits this long for its last batches to be
// acknowledged; what is left goes out after the restart.
constexpr auto kStopShipWait = std::chrono::seconds(5);

// Batches are frozen with the delta they carry, in the same transaction.
StoreWorker::Freezer make_freezer(size_t batch_rows) {
  return [batch_rows](const tally::SortedRows& rows,
                      const std::map<base::Day, tally::DayStats>& days) {
    std::vector<store::OutboxBatch> out;
    for (auto& body : wire::freeze_bodies(rows, days, batch_rows))
      out.push_back({0, base::unix_now(), body.rows, body.min_day, std::move(body.bytes)});
    return out;
  };
}

enum class AckWait { acknowledged, timed_out, interrupted };

// Waits until every batch is acknowledged, the deadline passes or a stop
// request ends the wait (checked every 100 ms, so a signal acts at once).
AckWait wait_for_outbox(StoreWorker& store, std::chrono::steady_clock::time_point deadline,
                        const std::function<bool()>& interrupted) {
  for (;;) {
    if (store.outbox_state().batches == 0) return AckWait::acknowledged;
    if (interrupted()) return AckWait::interrupted;
    if (std::chrono::steady_clock::now() >= deadline) return AckWait::timed_out;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace

SensorDaemon::SensorDaemon(SensorOptions options)
    : ConfiguredShell(
          {"teiten-sensor", "sensor", TEITEN_VERSION, options.config_path, options.check_only},
          sensor_counters()),
      options_(std::move(options)),
      mode_(options_.read_files.empty() ? config::SensorMode::live : config::SensorMode::read) {}

SensorDaemon::~SensorDaemon() {
  stop_io();
  // Work the shipper queued on the store thread runs while it still exists.
  if (store_) store_->stop();
}

config::SensorConfig SensorDaemon::load_config() const {
  const auto& flags = options_.read_flags;
  config::SensorConfig c;
  if (!options_.config_given && flags.db) {
    c = config::default_read_config("command line", sensor_id_for(options_.read_files));
  } else {
    if (!options_.config_given && !live() && !std::filesystem::exists(options_.config_path))
      throw config::ConfigErrors(
          {{"teiten-sensor", 0, 0,
            "--read needs --db OUT.db or -c FILE (" + options_.config_path + " does not exist)"}});
    c = config::load_sensor_config(options_.config_path, mode_);
  }
  apply_read_flags(flags, c);
  return c;
}

std::vector<config::ConfigError> SensorDaemon::check_config(const config::SensorConfig& c) const {
  return config::check_sensor_environment(c, mode_);
}

std::vector<config::ConfigError> SensorDaemon::check_warnings(const config::SensorConfig& c) const {
  std::vector<base::Prefix> addrs;
  if (live() && !c.capture.interface.empty()) addrs = interface_addresses(c.capture.interface);
  return config_warnings(c, mode_, addrs);
}

int SensorDaemon::serve() {
  open();
  start_io();
  notifier_.ready(status_line());
  return finish(capture());
}

void SensorDaemon::open() {
  auto log = logger("sensor");
  const auto& config = *config_;
  // The capture opens first: it is the one step that needs privileges.
  int link_type = DLT_EN10MB;
  if (live()) {
    live_ = std::make_unique<LiveCapture>(config.capture);
    link_type = live_->link_type();
    interface_addrs_ = interface_addresses(config.capture.interface);
  }
  auto dropped = drop_privileges(
      config.process.user, config.process.group,
      live() ? std::vector<std::string>{"cap_net_raw"} : std::vector<std::string>{});
  if (dropped.dropped)
    log->info("privileges_dropped user={} uid={} gid={} kept={}", config.process.user, dropped.uid,
              dropped.gid, live() ? "cap_net_raw" : "none");
  else if (geteuid() == 0)
    log->warn("running_as_root hint=set_process.user_or_run_under_systemd");
  // The sensor's own traffic to every collector it may dial is not counted.
  for (const auto& collector : config.collector.endpoints) {
    auto addrs = resolve_host(collector.host);
    collector_addrs_.insert(collector_addrs_.end(), addrs.begin(), addrs.end());
  }

  auto db = std::make_unique<store::SensorStore>(config.storage.path, config.sensor.id,
                                                 config.sensor.timezone);
  log->info("start sensor={} mode={} database={} database_id={} timezone={}", config.sensor.id,
            live() ? "live" : "read", db->path(), db->database_id(), config.sensor.timezone);
  store_ = std::make_unique<StoreWorker>(std::move(db), live() ? 0 : kReadModeMaxQueued);
  if (config.collector.enabled) {
    store_->set_freezer(make_freezer(config.collector.batch_rows));
    shipper_ = std::make_unique<Shipper>(io_, *store_, config, store_->database_id());
    store_->set_commit_hook([this] { shipper_->kick(); });
  }

  auto rules = build_rules(config, mode_, interface_addrs_, collector_addrs_);
  if (live() && config.capture.observed.empty() && interface_addrs_.empty())
    log->warn("no_observed_addresses interface={} effect=nothing_counted_until_addresses_appear",
              config.capture.interface);
  counter_ = std::make_unique<tally::PacketCounter>(link_type, config.sensor.timezone, rules);
  // Rows are added on a second thread when there is a second core to run
  // it (docs/performance.md, "Pipelining").
  bool counting_thread = std::thread::hardware_concurrency() > 1;
  pipeline_ = std::make_unique<CapturePipeline>(*counter_, control_, *store_, counting_thread);
  control_.set_max_rows(config.storage.max_rows_in_memory);
  if (live_) pipeline_->set_accountant([this](tally::PacketCounter& c) { live_->account(c); });

  // --read runs a control socket only when one is configured explicitly.
  if (live() || config.marks.positions.count("control.socket")) {
    register_commands();
    start_control(config.control.socket);
    log->info("control_socket path={}", config.control.socket);
  }
}

void SensorDaemon::start_io() {
  arm_stop("stopping: flushing and shipping", [this] { control_.request_stop(); });
  arm_hup();
  arm_flush_timer();
  if (live() && config_->capture.observed.empty()) arm_address_timer();
  if (live()) arm_housekeeping_timer();
  // Pets the watchdog only while the capture loop keeps coming back from
  // libpcap; a wake-up each check keeps a quiet interface from looking hung.
  // On a quiet interface the last return is that previous wake-up, a check
  // period plus scheduling ago, so the limit must exceed the period: with
  // both at half the interval a healthy sensor now and then missed a pet,
  // leaving a gap of the whole interval.
  arm_watchdog({"capture_loop", [this] { return steady_ms() - pipeline_->heartbeat_ms(); }, 0.75,
                [this] { control_.wake(); }});
  if (shipper_) asio::post(io_, [this] { shipper_->start(); });
  io_thread_ = std::thread([this] { io_.run(); });
}

void SensorDaemon::arm_flush_timer() {
  flush_timer_.expires_after(config_->storage.flush_interval);
  flush_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    control_.request_flush();
    if (shipper_) {
      auto s = shipper_->status();
      int64_t now = base::unix_now();
      auto age = [now](const std::optional<int64_t>& t) { return t ? now - *t : -1; };
      logger("shipper")->info(
          "shipping state={} queue_batches={} queue_rows={} oldest_unacked_age_s={} "
          "last_ack_age_s={} last_error=\"{}\"",
          name(s.state), s.queue_batches, s.queue_rows, age(s.oldest_unacked), age(s.last_ack),
          s.last_error);
    }
    publish();
    arm_flush_timer();
  });
}

void SensorDaemon::arm_address_timer() {
  address_timer_.expires_after(config_->capture.address_poll);
  address_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    auto now = interface_addresses(config_->capture.interface);
    if (now != interface_addrs_) {
      logger("sensor")->info("observed_addresses_changed interface={} count={}",
                             config_->capture.interface, now.size());
      interface_addrs_ = now;
      control_.set_rules(build_rules(*config_, mode_, interface_addrs_, collector_addrs_));
    }
    arm_address_timer();
  });
}

void SensorDaemon::arm_housekeeping_timer() {
  // Retention: rows older than storage.retention go once acknowledged.
  housekeeping_timer_.expires_after(std::chrono::hours(1));
  housekeeping_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    base::DayClock clock(config_->sensor.timezone);
    auto days =
        std::chrono::duration_cast<std::chrono::hours>(config_->storage.retention).count() / 24;
    base::Day before = base::today(clock) - static_cast<base::Day>(days);
    store_->post([before](store::SensorStore& s) {
      try {
        if (auto n = s.prune(before))
          logger("store")->info("pruned rows={} before_day={}", n, before);
      } catch (const std::exception& e) {
        logger("store")->error("prune_failed error=\"{}\"", e.what());
      }
    });
    arm_housekeeping_timer();
  });
}

int SensorDaemon::capture() {
  auto log = logger("sensor");
  if (live()) {
    live_->run(*pipeline_);
    return kExitOk;
  }
  int code = kExitOk;
  progress_ = std::make_unique<ReadProgress>(options_.read_files.size());
  for (size_t i = 0; i < options_.read_files.size(); ++i) {
    const auto& file = options_.read_files[i];
    if (control_.stop_requested()) {
      log->error("read_skipped file={} reason=stopped", file);
      code = kExitInputIncomplete;
      continue;
    }
    auto outcome = read_capture_file(
        file, *pipeline_, [&](const ReadPosition& at) { progress_->update(i, file, at); });
    if (!outcome.complete) {
      log->error("read_incomplete error=\"{}\"", outcome.error);
      progress_->clear();  // the message must not land inside the line
      std::cerr << "teiten-sensor: " << outcome.error << "\n";
      code = kExitInputIncomplete;
    }
  }
  return code;
}

int SensorDaemon::finish(int code) {
  auto log = logger("sensor");
  pipeline_->flush();
  store_->drain();
  auto stats = store_->stats();
  if (stats.retained_rows > 0 || !stats.last_error.empty()) {
    stop_io();
    write_metrics();
    log->critical("stop_with_unstored_rows rows={} error=\"{}\"", stats.retained_rows,
                  stats.last_error);
    return kExitFailure;
  }
  // Nothing is left in memory: `flush` and `top` are answered at once from
  // here on instead of waiting for a capture loop that has ended.
  control_.capture_finished(true, "");
  if (shipper_) {
    auto wait = live() ? std::chrono::seconds(kStopShipWait)
                       : std::chrono::seconds(options_.ship_timeout_seconds);
    // The stop that ended a live capture allows the short wait; any further
    // one ends it. With --read any stop request ends it, also one that came
    // while reading.
    const uint64_t allowed = live() ? control_.stop_requests() : 0;
    auto before = store_->outbox_state();
    if (before.batches > 0)
      log->info("waiting_for_acknowledgements batches={} rows={} timeout_s={}", before.batches,
                before.rows, std::chrono::duration_cast<std::chrono::seconds>(wait).count());
    auto waited = wait_for_outbox(*store_, std::chrono::steady_clock::now() + wait,
                                  [&] { return control_.stop_requests() > allowed; });
    if (waited != AckWait::acknowledged) {
      auto q = store_->outbox_state();
      if (waited == AckWait::interrupted)
        log->warn("acknowledgement_wait_ended by=stop_request batches={} rows={} "
                  "action=kept_for_next_run",
                  q.batches, q.rows);
      else
        log->warn("unacknowledged_batches batches={} rows={} action=sent_on_next_run",
                  q.batches, q.rows);
      if (!live() && code == kExitOk) code = kExitUnacknowledged;
    }
  }
  stop_io();
  write_metrics();  // the final counts (with --read, the only ones)
  if (progress_) {
    auto snap = pipeline_->snapshot();
    progress_->finish({options_.read_files.size(), snap.packets, snap.since_start,
                       store_->stats().rows_committed});
  }
  log->info("stop flushes={} last_flush_rows={} peak_rows_in_memory={}", stats.flushes,
            stats.last_flush_rows, pipeline_->peak_rows_in_memory());
  return code;
}

void SensorDaemon::stop_io() {
  if (!io_thread_.joinable()) return;
  std::promise<void> done;
  asio::post(io_, [this, &done] {
    if (shipper_) shipper_->stop();
    stop_control();
    done.set_value();
  });
  done.get_future().wait();
  io_.stop();
  io_thread_.join();
}

}  // namespace teiten::sensor
