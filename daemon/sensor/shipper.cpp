#include "daemon/sensor/shipper.h"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>

#include "common/base/wall_clock.h"
#include "common/process/logging.h"
#include "common/tls/tls_context.h"

namespace teiten::sensor {
namespace asio = boost::asio;

namespace {

const std::string kSoftware = std::string("teiten-sensor ") + TEITEN_VERSION;

}  // namespace

std::string_view name(ShipperState state) {
  switch (state) {
    case ShipperState::disconnected:
      return "disconnected";
    case ShipperState::connecting:
      return "connecting";
    case ShipperState::connected:
      return "connected";
    case ShipperState::sending:
      return "sending";
    case ShipperState::backoff:
      return "backoff";
    case ShipperState::stopped:
      return "stopped";
  }
  return "unknown";
}

struct Shipper::Connection {
  Connection(asio::io_context& io, asio::ssl::context& tls)
      : stream(io, tls), channel(stream, wire::kMaxReplyFrame) {}
  tls::TlsStream stream;
  tls::FrameChannel channel;
};

Shipper::Shipper(asio::io_context& io, StoreWorker& store, const config::SensorConfig& config,
                 std::string database_id)
    : io_(io),
      store_(store),
      config_(config.collector),
      failover_(config.collector.endpoints.size()),
      sensor_id_(config.sensor.id),
      timezone_(config.sensor.timezone),
      database_id_(std::move(database_id)),
      tls_(tls::make_client_context(
          {config.collector.ca, config.collector.cert, config.collector.key})),
      resolver_(io),
      retry_timer_(io),
      ack_timer_(io),
      backoff_(config.collector.backoff_initial),
      rng_(std::random_device{}()) {
  status_.collector = target().address;
}

const config::SensorConfig::Endpoint& Shipper::target() const {
  return config_.endpoints.at(failover_.current());
}

Shipper::~Shipper() = default;

void Shipper::set_state(ShipperState state) {
  std::lock_guard lock(mutex_);
  status_.state = state;
}

ShipperStatus Shipper::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

void Shipper::start() {
  refresh_queue();
  connect();
}

void Shipper::stop() {
  stopped_ = true;
  retry_timer_.cancel();
  resolver_.cancel();
  drop_connection();
  set_state(ShipperState::stopped);
}

void Shipper::kick() {
  asio::post(io_, [this] {
    if (stopped_) return;
    refresh_queue();
    if (ready_) {
      pump();
    } else if (!conn_ && status().state == ShipperState::disconnected) {
      connect();
    }
  });
}

void Shipper::refresh_queue() {
  store_.post([this](store::SensorStore& s) {
    auto q = s.outbox_state();
    std::lock_guard lock(mutex_);
    status_.queue_batches = q.batches;
    status_.queue_rows = q.rows;
    status_.oldest_unacked = q.oldest_created;
  });
}

void Shipper::connect() {
  if (stopped_) return;
  drop_connection();
  uint64_t gen = generation_;
  conn_ = std::make_shared<Connection>(io_, tls_);
  conn_->channel.hold_owner_while_busy(conn_);
  set_state(ShipperState::connecting);
  const auto& to = target();
  {
    std::lock_guard lock(mutex_);
    ++status_.connects;
    status_.collector = to.address;
  }
  // SNI for host names, and the certificate must name what we dialed.
  SSL_set_tlsext_host_name(conn_->stream.native_handle(), to.server_name.c_str());
  conn_->stream.set_verify_callback(asio::ssl::host_name_verification(to.server_name));
  resolver_.async_resolve(
      to.host, std::to_string(to.port),
      [this, gen](const boost::system::error_code& ec,
                  asio::ip::tcp::resolver::results_type results) {
        if (gen != generation_) return;
        if (ec) return fail("cannot resolve " + target().host + ": " + ec.message());
        asio::async_connect(
            conn_->stream.lowest_layer(), results,
            [this, gen, c = conn_](const boost::system::error_code& ec2,
                                   const asio::ip::tcp::endpoint&) {
              if (gen != generation_) return;
              if (ec2)
                return fail("cannot connect to " + target().address + ": " + ec2.message());
              c->stream.async_handshake(
                  asio::ssl::stream_base::client,
                  [this, gen, c](const boost::system::error_code& ec3) {
                    if (gen != generation_) return;
                    // A collector past its limits and its refusal pool closes
                    // before the handshake: say what that most likely means.
                    if (ec3 == asio::error::eof || ec3 == asio::ssl::error::stream_truncated ||
                        ec3 == asio::error::connection_reset)
                      return fail("collector overloaded, retrying later: " + target().address +
                                  " closed the connection during the TLS handshake (" +
                                  ec3.message() + ")");
                    if (ec3)
                      return fail("TLS handshake with " + target().address +
                                  " failed: " + ec3.message() + " " + tls::openssl_errors());
                    on_connected(gen);
                  });
            });
      });
  // Nothing in connecting may hang forever: the ack timeout bounds it too.
  ack_timer_.expires_after(config_.ack_timeout);
  ack_timer_.async_wait([this, gen](const boost::system::error_code& ec) {
    if (!ec && gen == generation_ && !ready_) fail("no WELCOME within collector.ack_timeout");
  });
}

void Shipper::on_connected(uint64_t gen) {
  conn_->channel.write(
      wire::encode_frame(wire::Hello{sensor_id_, timezone_, database_id_, kSoftware}));
  read_next(gen);
}

void Shipper::read_next(uint64_t gen) {
  conn_->channel.read(
      [this, gen](const boost::system::error_code& ec, const std::string& perr, wire::Frame frame) {
        on_frame(gen, ec, perr, std::move(frame));
      });
}

void Shipper::on_frame(uint64_t gen, const boost::system::error_code& ec,
                       const std::string& protocol_error, wire::Frame frame) {
  if (gen != generation_) return;
  auto log = process::logger("shipper");
  if (ec) {
    if (ready_ && !in_flight_ && !loading_) {
      // The collector closed an idle connection; reconnect when there is data.
      log->info("collector_closed_idle_connection collector={}", target().address);
      failover_.ended();  // the next connection tries the preferred collector first
      drop_connection();
      set_state(ShipperState::disconnected);
      return;
    }
    return fail("connection lost: " + ec.message());
  }
  if (!protocol_error.empty()) return fail("bad frame from collector: " + protocol_error);
  auto msg = wire::decode_message(frame);
  if (!msg) return fail("bad message from collector: " + msg.error());
  if (auto* refuse = std::get_if<wire::Refuse>(&*msg)) {
    if (refuse->code == wire::RefuseCode::overloaded)
      return fail("collector overloaded, retrying later: " + refuse->reason);
    return fail("refused by collector (" + std::string(wire::name(refuse->code)) +
                "): " + refuse->reason);
  }
  if (auto* err = std::get_if<wire::ErrorReply>(&*msg))
    return fail("collector error (" + std::string(wire::name(err->code)) + "): " + err->message);
  if (auto* welcome = std::get_if<wire::Welcome>(&*msg)) {
    if (ready_) return fail("unexpected WELCOME");
    ready_ = true;
    ack_timer_.cancel();
    backoff_ = config_.backoff_initial;
    {
      std::lock_guard lock(mutex_);
      status_.state = ShipperState::connected;
      status_.connected_since = base::unix_now();
      status_.last_error.clear();
    }
    log->info("connected collector={} last_seq={} software=\"{}\"", target().address,
              welcome->last_seq, welcome->software);
    // Batches the collector committed before an ACK was lost are done.
    // On a full disk acknowledge() throws on the store thread, where nothing
    // catches it (the process would end): log it, and the batch stays in
    // the outbox, which is harmless, as in acknowledged().
    if (welcome->last_seq > 0) {
      uint64_t seq = welcome->last_seq;
      store_.post([seq](store::SensorStore& s) {
        try {
          s.acknowledge(seq);
        } catch (const std::exception& e) {
          process::logger("shipper")->warn("acknowledge_failed last_seq={} error=\"{}\"", seq,
                                           e.what());
        }
      });
    }
    read_next(gen);
    pump();
    return;
  }
  if (auto* ack = std::get_if<wire::Ack>(&*msg)) {
    if (!in_flight_ || ack->seq != sent_seq_)
      return fail("unexpected ACK for batch " + std::to_string(ack->seq));
    ack_timer_.cancel();
    read_next(gen);
    acknowledged(ack->seq, sent_rows_);
    return;
  }
  fail(std::string("unexpected ") + std::string(wire::name(frame.type)) + " from collector");
}

void Shipper::pump() {
  if (!ready_ || in_flight_ || loading_ || stopped_) return;
  loading_ = true;
  uint64_t gen = generation_;
  store_.post([this, gen](store::SensorStore& s) {
    std::optional<store::OutboxBatch> batch;
    std::string error;
    try {
      batch = s.next_batch(0);
    } catch (const std::exception& e) {
      error = e.what();
    }
    asio::post(io_, [this, gen, batch = std::move(batch), error]() mutable {
      if (gen != generation_) return;
      loading_ = false;
      if (!error.empty()) return fail("cannot read outbox: " + error);
      if (!batch) {
        set_state(ShipperState::connected);
        return;
      }
      send(std::move(*batch));
    });
  });
}

void Shipper::send(store::OutboxBatch batch) {
  in_flight_ = true;
  sent_seq_ = batch.seq;
  sent_rows_ = batch.rows;
  set_state(ShipperState::sending);
  {
    std::lock_guard lock(mutex_);
    ++status_.batches_sent;
  }
  conn_->channel.write(wire::encode_frame(
      wire::Batch{sensor_id_, database_id_, batch.seq, std::move(batch.payload)}));
  uint64_t gen = generation_;
  ack_timer_.expires_after(config_.ack_timeout);
  ack_timer_.async_wait([this, gen](const boost::system::error_code& ec) {
    if (!ec && gen == generation_ && in_flight_)
      fail("no ACK for batch " + std::to_string(sent_seq_) + " within collector.ack_timeout");
  });
}

void Shipper::acknowledged(uint64_t seq, uint64_t rows) {
  uint64_t gen = generation_;
  store_.post([this, gen, seq, rows](store::SensorStore& s) {
    std::string error;
    try {
      s.acknowledge(seq);
    } catch (const std::exception& e) {
      error = e.what();
    }
    auto q = s.outbox_state();
    {
      std::lock_guard lock(mutex_);
      status_.queue_batches = q.batches;
      status_.queue_rows = q.rows;
      status_.oldest_unacked = q.oldest_created;
      if (error.empty()) {
        ++status_.batches_acked;
        status_.rows_acked += rows;
        status_.last_ack = base::unix_now();
      }
    }
    asio::post(io_, [this, gen, error] {
      if (gen != generation_) return;
      in_flight_ = false;
      // Not deleting an acknowledged batch is harmless: the resend is recognised.
      if (!error.empty()) return fail("cannot record acknowledgement: " + error);
      pump();
    });
  });
}

void Shipper::fail(const std::string& why) {
  if (stopped_) return;
  auto log = process::logger("shipper");
  log->warn("shipping_failed collector={} error=\"{}\"", target().address, why);
  // Before WELCOME the collector was not reached: the next one, if any, is
  // dialed at once. A connection that worked and ended, or a round where
  // none answered, waits for the backoff and starts again at the first.
  const bool reached = ready_;
  drop_connection();
  {
    std::lock_guard lock(mutex_);
    status_.last_error = why;
    status_.connected_since.reset();
  }
  if (reached) {
    failover_.ended();
  } else if (failover_.unreachable()) {
    log->info("failover collector={}", target().address);
    asio::post(io_, [this] { connect(); });
    return;
  }
  schedule_reconnect();
}

void Shipper::drop_connection() {
  ++generation_;
  ready_ = in_flight_ = loading_ = false;
  ack_timer_.cancel();
  if (!conn_) return;
  boost::system::error_code ignored;
  conn_->stream.lowest_layer().close(ignored);
  // The operations still in flight hold the connection (see
  // FrameChannel::hold_owner_while_busy): it goes when the last of them has
  // run, seeing a stale generation. A single post to free it is not enough:
  // the SSL stream retries an aborted write, queued after such a post.
  conn_.reset();
}

void Shipper::schedule_reconnect() {
  // Full backoff doubles each failure up to the cap; jitter in [50%, 100%]
  // keeps a fleet from reconnecting in lockstep after a collector restart.
  std::uniform_real_distribution<double> jitter(0.5, 1.0);
  auto delay = std::chrono::milliseconds(
      static_cast<int64_t>(static_cast<double>(backoff_.count()) * jitter(rng_)));
  backoff_ = std::min(backoff_ * 2, std::chrono::milliseconds(config_.backoff_max));
  {
    std::lock_guard lock(mutex_);
    status_.state = ShipperState::backoff;
    status_.next_attempt_ms = delay.count();
  }
  retry_timer_.expires_after(delay);
  retry_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) connect();
  });
}

}  // namespace teiten::sensor
