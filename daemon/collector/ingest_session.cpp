#include "daemon/collector/ingest_session.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/post.hpp>
#include <chrono>
#include <cstdlib>

#include "common/base/wall_clock.h"
#include "common/process/fault_injection.h"
#include "common/process/logging.h"
#include "common/wire/batch_codec.h"
#include "daemon/collector/ingest_server.h"

namespace teiten::collector {
namespace asio = boost::asio;

namespace {

std::string endpoint_text(const asio::ip::tcp::socket& s) {
  boost::system::error_code ec;
  auto ep = s.remote_endpoint(ec);
  if (ec) return "?";
  auto a = ep.address();
  return (a.is_v6() ? "[" + a.to_string() + "]" : a.to_string()) + ":" + std::to_string(ep.port());
}

const std::string kSoftware = std::string("teiten-collector ") + TEITEN_VERSION;

// What a sensor is told for the refusals a session sends.
wire::RefuseCode refuse_code(RefusalReason why) {
  switch (why) {
    case RefusalReason::identity_mismatch:
      return wire::RefuseCode::identity_mismatch;
    case RefusalReason::not_allowlisted:
      return wire::RefuseCode::not_allowlisted;
    case RefusalReason::timezone_mismatch:
      return wire::RefuseCode::timezone_mismatch;
    case RefusalReason::overloaded:
      return wire::RefuseCode::overloaded;
    default:
      return wire::RefuseCode::protocol_error;
  }
}

}  // namespace

std::string_view name(CloseReason why) {
  switch (why) {
    case CloseReason::disconnected:
      return "disconnected";
    case CloseReason::transport_error:
      return "transport_error";
    case CloseReason::handshake_failed:
      return "handshake_failed";
    case CloseReason::handshake_timeout:
      return "handshake_timeout";
    case CloseReason::idle_timeout:
      return "idle_timeout";
    case CloseReason::refused:
      return "refused";
    case CloseReason::refusal_not_read:
      return "refusal_not_read";
    case CloseReason::storage_error:
      return "storage_error";
    case CloseReason::removed:
      return "removed_from_sensors_list";
    case CloseReason::collector_stopping:
      return "collector_stopping";
  }
  return "unknown";
}

IngestSession::IngestSession(IngestServer& server, asio::ip::tcp::socket socket,
                             asio::ssl::context& tls, std::string address,
                             std::string overloaded)
    : server_(server),
      stream_(std::move(socket), tls),
      // Until its HELLO is accepted a peer may announce no more than a HELLO.
      channel_(stream_, wire::kMaxHelloFrame, server.frame_budget()),
      timer_(server.io()),
      address_(std::move(address)),
      overloaded_(std::move(overloaded)) {
  remote_ = endpoint_text(stream_.next_layer());
}

void IngestSession::arm_timer(std::chrono::milliseconds after, CloseReason why) {
  timer_.expires_after(after);
  timer_.async_wait([self = shared_from_this(), why](const boost::system::error_code& ec) {
    if (ec || self->closed_) return;
    const bool idle = why == CloseReason::idle_timeout;
    const bool no_hello = !idle && self->tls_done_;
    const std::string text =
        idle       ? "idle timeout: nothing received within listen.idle_timeout"
        : no_hello ? "handshake timeout: no HELLO within listen.handshake_timeout"
                   : "handshake timeout: no TLS handshake within listen.handshake_timeout";
    if (idle) self->server_.stats().count(CollectorCounter::idle_timeouts);
    // A connection past a limit was counted as refused when it came.
    if (!self->identified_ && !self->refusing())
      self->server_.refused(no_hello ? RefusalReason::no_hello : RefusalReason::handshake_timeout,
                            {base::unix_now(), self->remote_, self->verify_fingerprint_, "", text});
    self->close(why, text);
  });
}

void IngestSession::start() {
  // ACKs and WELCOMEs are written without a handler: the writes in flight
  // must keep the session (its stream) alive themselves.
  channel_.hold_owner_while_busy(weak_from_this());
  // Record why verification failed and whose certificate it was, so a
  // refusal can name both; OpenSSL's handshake error alone says neither.
  stream_.set_verify_callback([this](bool preverified, asio::ssl::verify_context& ctx) {
    X509_STORE_CTX* store = ctx.native_handle();
    if (!preverified && verify_failure_.empty()) {
      verify_failure_ = X509_verify_cert_error_string(X509_STORE_CTX_get_error(store));
      verify_fingerprint_ = tls::identity_of(X509_STORE_CTX_get_current_cert(store)).fingerprint;
    }
    return preverified;
  });
  handshake_deadline_ = std::chrono::steady_clock::now() + server_.config().listen.handshake_timeout;
  arm_timer(server_.config().listen.handshake_timeout, CloseReason::handshake_timeout);
  stream_.async_handshake(
      asio::ssl::stream_base::server,
      [self = shared_from_this()](const boost::system::error_code& ec) { self->on_handshake(ec); });
}

void IngestSession::on_handshake(const boost::system::error_code& ec) {
  if (closed_) return;
  timer_.cancel();
  if (ec) {
    std::string why = verify_failure_.empty() ? "TLS handshake failed: " + ec.message()
                                              : "certificate rejected: " + verify_failure_;
    if (!refusing())
      server_.refused(RefusalReason::handshake,
                      {base::unix_now(), remote_, verify_fingerprint_, "", why});
    close(CloseReason::handshake_failed, why);
    return;
  }
  if (refusing()) return send_refusal(RefusalReason::overloaded, overloaded_);
  tls_done_ = true;
  X509* cert = SSL_get1_peer_certificate(stream_.native_handle());
  peer_ = tls::identity_of(cert);
  X509_free(cert);
  read_frame();
}

void IngestSession::read_frame() {
  if (identified_) {
    arm_timer(server_.config().listen.idle_timeout, CloseReason::idle_timeout);
  } else {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        handshake_deadline_ - std::chrono::steady_clock::now());
    arm_timer(std::max(left, std::chrono::milliseconds(0)), CloseReason::handshake_timeout);
  }
  channel_.read([self = shared_from_this()](const boost::system::error_code& ec,
                                            const std::string& protocol_error, wire::Frame frame) {
    self->on_frame(ec, protocol_error, std::move(frame));
  });
}

void IngestSession::on_frame(const boost::system::error_code& ec, const std::string& protocol_error,
                             wire::Frame frame) {
  if (closed_) return;
  timer_.cancel();
  if (ec == asio::error::no_buffer_space)
    return refuse(RefusalReason::overloaded,
                  "frames being received on all connections would pass listen.frame_memory");
  if (ec) {
    if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated)
      close(CloseReason::disconnected);
    else
      close(CloseReason::transport_error, ec.message());
    return;
  }
  if (!protocol_error.empty())
    return refuse(RefusalReason::protocol, "bad frame: " + protocol_error);
  server_.stats().count(CollectorCounter::bytes_received,
                        frame.payload.size() + wire::kFrameHeaderBytes + wire::kMinFrameLength);
  if (!identified_) {
    if (frame.type != wire::MessageType::hello)
      return refuse(RefusalReason::protocol,
                    std::string("expected HELLO, got ") + std::string(wire::name(frame.type)));
    auto hello = wire::decode_hello(frame.payload);
    if (!hello) return refuse(RefusalReason::protocol, "bad HELLO: " + hello.error());
    return on_hello(std::move(*hello));
  }
  if (frame.type != wire::MessageType::batch)
    return refuse(RefusalReason::protocol,
                  std::string("expected BATCH, got ") + std::string(wire::name(frame.type)));
  auto batch = wire::decode_batch(frame.payload);
  if (!batch) return refuse(RefusalReason::protocol, "bad BATCH: " + batch.error());
  on_batch(std::move(*batch));
}

void IngestSession::on_hello(wire::Hello hello) {
  if (!peer_.names(hello.sensor_id))
    return refuse(RefusalReason::identity_mismatch, "sensor '" + hello.sensor_id +
                                                        "' is not named by its certificate (" +
                                                        peer_.names_text() + ")");
  if (!server_.allowlisted(hello.sensor_id))
    return refuse(RefusalReason::not_allowlisted,
                  "sensor '" + hello.sensor_id + "' is not in the collector's sensors list");
  const auto& fleet = server_.config().fleet.timezone;
  if (hello.timezone != fleet)
    return refuse(RefusalReason::timezone_mismatch, "sensor '" + hello.sensor_id +
                                                        "' counts days in " + hello.timezone +
                                                        ", but the fleet uses " + fleet);
  identified_ = true;
  server_.authenticated(*this);
  channel_.set_max_frame(server_.config().listen.max_frame);
  sensor_id_ = hello.sensor_id;
  database_id_ = hello.database_id;
  auto& live = server_.stats().sensor(sensor_id_);
  ++live.sessions;
  live.remote = remote_;
  live.connected_since = base::unix_now();
  live.database_id = database_id_;
  live.software = hello.software;
  process::logger("ingest")->info(
      "sensor_connected sensor={} remote={} database_id={} software=\"{}\"", sensor_id_, remote_,
      database_id_, hello.software);

  auto& st = server_.store();
  st.worker.post([self = shared_from_this(), &st, sensor = sensor_id_, db = database_id_] {
    uint64_t last = 0;
    std::string error;
    try {
      st.store->touch_sensor(sensor, base::unix_now());
      last = st.store->last_seq(sensor, db);
    } catch (const std::exception& e) {
      error = e.what();
    }
    asio::post(self->server_.io(), [self, last, error] {
      if (self->closed_) return;
      if (!error.empty()) {
        self->server_.stats().storage_error(error);
        // Closed once the ERROR is written: the write's handler holds the
        // session, which closing at once would free under the pending write.
        self->channel_.write(wire::encode_frame(wire::ErrorReply{wire::ErrorCode::storage, error}),
                             [self, error](const boost::system::error_code&) {
                               self->close(CloseReason::storage_error, error);
                             });
        return;
      }
      self->channel_.write(wire::encode_frame(wire::Welcome{last, kSoftware}));
      self->read_frame();
    });
  });
}

void IngestSession::on_batch(wire::Batch batch) {
  if (batch.sensor_id != sensor_id_)
    return refuse(
        RefusalReason::identity_mismatch,
        "batch for sensor '" + batch.sensor_id + "' on the connection of '" + sensor_id_ + "'");
  if (batch.database_id != database_id_)
    return refuse(RefusalReason::protocol,
                  "batch for database " + batch.database_id + " after HELLO for " + database_id_);
  auto content = wire::decode_batch_body(batch.body);
  if (!content)
    return refuse(RefusalReason::protocol,
                  "bad batch body (seq " + std::to_string(batch.seq) + "): " + content.error());
  auto shared = std::make_shared<wire::BatchContent>(std::move(*content));
  auto& st = server_.store();
  st.worker.post([self = shared_from_this(), &st, shared, seq = batch.seq, sensor = sensor_id_,
                  db = database_id_] {
    store::ApplyResult result;
    std::string error;
    try {
      result = st.store->apply(sensor, db, seq, shared->rows, shared->days, base::unix_now());
      // Test builds only: die as kill -9 would, committed but not acknowledged.
      if (result.applied && TEITEN_FAULT_FIRES(exit_after_commit)) std::_Exit(137);
    } catch (const std::exception& e) {
      error = e.what();
    }
    asio::post(self->server_.io(), [self, result, error, seq, rows = shared->rows.size()] {
      auto log = process::logger("ingest");
      auto& stats = self->server_.stats();
      if (!error.empty()) {
        stats.storage_error(error);
        log->error("batch_not_stored sensor={} seq={} error=\"{}\" action=sensor_retries",
                   self->sensor_id_, seq, error);
        if (self->closed_) return;
        self->channel_.write(wire::encode_frame(wire::ErrorReply{wire::ErrorCode::storage, error}),
                             [self, error](const boost::system::error_code&) {
                               self->close(CloseReason::storage_error, error);
                             });
        return;
      }
      if (result.applied) {
        stats.batch_applied(self->sensor_id_, rows, result.gap, base::unix_now());
        if (result.gap) {
          log->warn("sequence_gap sensor={} seq={} meaning=batches_lost_by_the_collector",
                    self->sensor_id_, seq);
        }
        log->debug("batch_applied sensor={} seq={} rows={}", self->sensor_id_, seq, rows);
      } else {
        stats.batch_duplicate(self->sensor_id_);
        log->info("batch_resent sensor={} seq={} last_seq={} action=acknowledged_not_applied",
                  self->sensor_id_, seq, result.last_seq);
      }
      if (self->closed_) return;
      self->channel_.write(wire::encode_frame(wire::Ack{seq}));
      self->read_frame();
    });
  });
}

void IngestSession::refuse(RefusalReason why, const std::string& reason) {
  server_.refused(why, {base::unix_now(), remote_, peer_.fingerprint, sensor_id_, reason});
  send_refusal(why, reason);
}

void IngestSession::send_refusal(RefusalReason why, const std::string& reason) {
  if (closed_) return;
  // A peer that does not read its refusal must not hold the connection.
  timer_.expires_after(std::chrono::seconds(5));
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec) self->close(CloseReason::refusal_not_read, "refusal not read");
  });
  channel_.write(wire::encode_frame(wire::Refuse{refuse_code(why), reason}),
                 [self = shared_from_this(), reason](const boost::system::error_code&) {
                   self->close(CloseReason::refused, reason);
                 });
}

void IngestSession::close(CloseReason why, const std::string& detail) {
  if (closed_) return;
  closed_ = true;
  timer_.cancel();
  boost::system::error_code ignored;
  stream_.lowest_layer().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  stream_.lowest_layer().close(ignored);
  if (identified_) {
    auto& live = server_.stats().sensor(sensor_id_);
    if (live.sessions > 0) --live.sessions;
    live.last_disconnect = base::unix_now();
    process::logger("ingest")->info(
        "sensor_disconnected sensor={} remote={} reason={} detail=\"{}\"", sensor_id_, remote_,
        name(why), detail);
  }
  server_.session_ended(shared_from_this());
}

}  // namespace teiten::collector
