// IngestServer — the collector's TLS listener. Accepts sensors over mutual
// TLS 1.3, runs one IngestSession per connection on the network thread,
// and applies their batches through the store thread, one at a time, in
// the order they arrive. A bad peer is dropped without affecting others.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <set>
#include <string>

#include "common/config/collector_config.h"
#include "common/process/worker_thread.h"
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
  void session_ended(const std::shared_ptr<IngestSession>& s);

 private:
  void accept();

  boost::asio::io_context& io_;
  config::CollectorConfig config_;
  StoreThread& store_;
  boost::asio::ssl::context tls_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::set<std::string> allowlist_;
  std::set<std::shared_ptr<IngestSession>> sessions_;
  IngestStats stats_;
  bool stopping_ = false;
};

}  // namespace teiten::collector
