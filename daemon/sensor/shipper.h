// Shipper — sends the sensor's committed, unacknowledged batches to the
// collector over mutual TLS, in order, one at a time: BATCH, wait for ACK,
// delete it from the outbox, next. A batch's bytes were frozen when it was
// committed, so a resend is byte-identical and the collector recognises it.
// Failures (refusal, storage error at the collector, lost connection, no
// ACK in time) close the connection and retry after an exponential,
// jittered, capped backoff. With several collectors (collector.address as
// a list) one that cannot be reached passes the turn to the next at once
// (collector_failover.h); batches keep their order whichever one takes
// them. Runs on the sensor's io thread; status() may
// be called from any thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>

#include "common/config/sensor_config.h"
#include "common/store/sensor_store.h"
#include "common/tls/frame_channel.h"
#include "common/wire/messages.h"
#include "daemon/sensor/collector_failover.h"
#include "daemon/sensor/store_worker.h"

namespace teiten::sensor {

/// Where the shipper is in its connection's life; name() for logs and JSON.
enum class ShipperState {
  disconnected,  ///< no connection, nothing to send (or not started)
  connecting,    ///< resolving, connecting, TLS handshake, HELLO sent
  connected,     ///< WELCOME received, outbox empty
  sending,       ///< a batch waits for its ACK
  backoff,       ///< a failure; the next attempt waits for the retry timer
  stopped,       ///< the daemon is stopping; no more attempts
};
std::string_view name(ShipperState state);

struct ShipperStatus {
  ShipperState state = ShipperState::disconnected;
  std::string collector;
  std::optional<int64_t> connected_since;
  std::optional<int64_t> last_ack;
  std::string last_error;
  uint64_t connects = 0;
  uint64_t batches_sent = 0;
  uint64_t batches_acked = 0;
  uint64_t rows_acked = 0;
  uint64_t queue_batches = 0;  ///< committed, not yet acknowledged
  uint64_t queue_rows = 0;
  std::optional<int64_t> oldest_unacked;  ///< Unix seconds the oldest waiting batch was frozen
  int64_t next_attempt_ms = 0;            ///< in backoff: milliseconds until the next attempt
};

class Shipper {
 public:
  Shipper(boost::asio::io_context& io, StoreWorker& store, const config::SensorConfig& config,
          std::string database_id);
  ~Shipper();

  /// Starts connecting (io thread).
  void start();
  /// New batches were committed (any thread).
  void kick();
  /// Closes the connection and stops retrying (io thread).
  void stop();
  ShipperStatus status() const;

 private:
  struct Connection;

  void connect();
  void on_connected(uint64_t generation);
  void on_frame(uint64_t generation, const boost::system::error_code& ec,
                const std::string& protocol_error, wire::Frame frame);
  void read_next(uint64_t generation);
  void pump();
  void send(store::OutboxBatch batch);
  void acknowledged(uint64_t seq, uint64_t rows);
  void fail(const std::string& why);
  /// Closes the connection; handlers still pending see a stale generation.
  void drop_connection();
  void schedule_reconnect();
  void refresh_queue();
  void set_state(ShipperState state);
  /// The collector dialed now.
  const config::SensorConfig::Endpoint& target() const;

  boost::asio::io_context& io_;
  StoreWorker& store_;
  config::SensorConfig::Collector config_;
  CollectorFailover failover_;
  std::string sensor_id_;
  std::string timezone_;
  std::string database_id_;
  boost::asio::ssl::context tls_;
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::steady_timer retry_timer_;
  boost::asio::steady_timer ack_timer_;
  std::shared_ptr<Connection> conn_;  // shared with the operations in flight on it
  uint64_t generation_ = 0;  // bumps per connection; stale callbacks compare and return
  bool ready_ = false;       // WELCOME received
  bool in_flight_ = false;   // a batch waits for its ACK
  bool loading_ = false;     // a batch is being read from the store
  bool stopped_ = false;
  uint64_t sent_seq_ = 0, sent_rows_ = 0;
  std::chrono::milliseconds backoff_;
  std::mt19937_64 rng_;
  mutable std::mutex mutex_;
  ShipperStatus status_;
};

}  // namespace teiten::sensor
