// IngestSession — one sensor connection: TLS handshake (client certificate
// verified against the fleet CA), HELLO (the id must be named by the
// certificate, allowlisted, and report the fleet's time zone), WELCOME with
// the last committed sequence number, then BATCH -> commit -> ACK, one at a
// time. Anything invalid closes this connection only and stores nothing
// of it. Lives on the network thread; owned by the IngestServer.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "common/tls/frame_channel.h"
#include "common/tls/peer_identity.h"
#include "common/wire/messages.h"
#include "daemon/collector/collector_counters.h"

namespace teiten::collector {

class IngestServer;

/// Why a connection ended; name() for logs.
enum class CloseReason {
  disconnected,        ///< the sensor closed it (EOF)
  transport_error,     ///< reading failed (reset, TLS error)
  handshake_failed,    ///< TLS handshake or certificate verification failed
  handshake_timeout,   ///< no TLS handshake and HELLO within listen.handshake_timeout
  idle_timeout,        ///< an identified sensor sent no frame within listen.idle_timeout
  refused,             ///< REFUSE sent
  refusal_not_read,    ///< the peer did not read its REFUSE in time
  storage_error,       ///< the database failed; ERROR sent, the sensor retries
  removed,             ///< a reload took the sensor off the allowlist
  collector_stopping,  ///< SIGTERM
};
std::string_view name(CloseReason why);

class IngestSession : public std::enable_shared_from_this<IngestSession> {
 public:
  /// `overloaded` non-empty: the server is past a limit (the text names it);
  /// the session only completes TLS and sends REFUSE "overloaded".
  IngestSession(IngestServer& server, boost::asio::ip::tcp::socket socket,
                boost::asio::ssl::context& tls, std::string address, std::string overloaded);
  void start();
  /// Closes the connection now (server shutdown, errors); `detail` is for the log.
  void close(CloseReason why, const std::string& detail = {});
  const std::string& sensor_id() const { return sensor_id_; }
  /// The peer's IP address, without port.
  const std::string& address() const { return address_; }
  bool identified() const { return identified_; }
  bool refusing() const { return !overloaded_.empty(); }

 private:
  void on_handshake(const boost::system::error_code& ec);
  void read_frame();
  void on_frame(const boost::system::error_code& ec, const std::string& protocol_error,
                wire::Frame frame);
  void on_hello(wire::Hello hello);
  void on_batch(wire::Batch batch);
  /// Sends REFUSE, then closes; the refusal is logged and counted.
  void refuse(RefusalReason why, const std::string& reason);
  /// Sends REFUSE, then closes (the caller logged and counted it).
  void send_refusal(RefusalReason why, const std::string& reason);
  /// `why` is handshake_timeout or idle_timeout.
  void arm_timer(std::chrono::milliseconds after, CloseReason why);

  IngestServer& server_;
  tls::TlsStream stream_;
  tls::FrameChannel channel_;
  boost::asio::steady_timer timer_;
  std::string remote_;
  std::string address_;
  std::string overloaded_;
  /// TLS and HELLO must be done by then (listen.handshake_timeout after accept).
  std::chrono::steady_clock::time_point handshake_deadline_;
  std::string verify_failure_;  // set by the verify callback
  std::string verify_fingerprint_;
  tls::PeerIdentity peer_;
  std::string sensor_id_;
  std::string database_id_;
  bool tls_done_ = false;
  bool identified_ = false;
  bool closed_ = false;
};

}  // namespace teiten::collector
