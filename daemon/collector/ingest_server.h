// IngestServer — the collector's TLS listener. Accepts sensors over mutual
// TLS 1.3, runs one IngestSession per connection on the network thread,
// and applies their batches through the store thread, one at a time, in
// the order they arrive. A bad peer is dropped without affecting others.
//
// Admission (docs/operations.md, "Collector limits"): connections that
// have not had a HELLO accepted are limited in all
// (listen.max_unauthenticated) and per source address, so the rest of
// listen.max_connections stays for identified sensors, and they must
// finish TLS and HELLO within listen.handshake_timeout. A connection past
// a limit still gets a TLS handshake and a REFUSE "overloaded", so a
// sensor can say why, from a small pool of its own (kMaxRefusing); past
// that it is closed at once. Frames being received share one memory
// budget (listen.frame_memory).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "common/config/collector_config.h"
#include "common/process/worker_thread.h"
#include "common/tls/frame_channel.h"
#include "common/store/collector_storage.h"
#include "daemon/collector/ingest_stats.h"

namespace teiten::collector {

class IngestSession;

/// The collector database and the thread that owns it.
struct StoreThread {
  std::unique_ptr<store::CollectorStorage> store;
  process::WorkerThread worker;
};

class IngestServer {
 public:
  /// Binds and listens; throws std::runtime_error naming the address.
  IngestServer(boost::asio::io_context& io, const config::CollectorConfig& config,
               StoreThread& store);
  ~IngestServer();

  void start();
  /// Applies a reloaded configuration (config::with_hot_keys: its restart
  /// keys are the running ones): the allowlist now, the limits to new
  /// connections and frames.
  void reconfigure(const config::CollectorConfig& config);
  /// Stops accepting and closes every session.
  void stop();
  uint16_t port() const;

  // For sessions (network thread only).
  boost::asio::io_context& io() { return io_; }
  StoreThread& store() { return store_; }
  const config::CollectorConfig& config() const { return config_; }
  bool allowlisted(const std::string& sensor) const { return allowlist_.count(sensor) > 0; }
  IngestStats& stats() { return stats_; }
  const IngestStats& stats() const { return stats_; }
  /// Logs the refusal and counts it under its reason.
  void refused(RefusalReason why, Refusal r);
  /// Frames being received on every connection share this (listen.frame_memory).
  const std::shared_ptr<tls::FrameBudget>& frame_budget() { return frame_budget_; }
  /// The session's HELLO was accepted: it no longer counts as unauthenticated.
  void authenticated(const IngestSession& s);
  void session_ended(const std::shared_ptr<IngestSession>& s);

 private:
  void accept();
  void admit(boost::asio::ip::tcp::socket socket);
  /// Which limit a new connection from `address` would pass; empty: none.
  std::string over_limit(const std::string& address) const;
  void forget_unauthenticated(const std::string& address);

  boost::asio::io_context& io_;
  config::CollectorConfig config_;
  StoreThread& store_;
  boost::asio::ssl::context tls_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::set<std::string> allowlist_;
  std::set<std::shared_ptr<IngestSession>> sessions_;  ///< refusing ones included
  size_t refusing_ = 0;                                 ///< sessions only sending REFUSE
  size_t unauthenticated_ = 0;
  std::map<std::string, size_t> unauthenticated_by_address_;
  std::shared_ptr<tls::FrameBudget> frame_budget_ = std::make_shared<tls::FrameBudget>();
  IngestStats stats_;
  bool stopping_ = false;
};

}  // namespace teiten::collector
