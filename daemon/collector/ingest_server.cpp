#include "daemon/collector/ingest_server.h"

#include "common/base/wall_clock.h"
#include "common/process/logging.h"
#include "common/tls/tls_context.h"
#include "daemon/collector/ingest_session.h"

namespace teiten::collector {
namespace asio = boost::asio;

namespace {

// Connections past a limit that are still told "overloaded" over TLS; past
// these they are closed at once. Each lives at most listen.handshake_timeout.
constexpr size_t kMaxRefusing = 32;

asio::ip::tcp::endpoint listen_endpoint(const config::CollectorConfig& c) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(c.listen.host, ec);
  if (ec) {
    // A host name: listen on what it resolves to first.
    asio::io_context io;
    asio::ip::tcp::resolver resolver(io);
    auto results = resolver.resolve(c.listen.host, std::to_string(c.listen.port), ec);
    if (ec || results.empty())
      throw std::runtime_error("listen.address " + c.listen.address + ": cannot resolve " +
                               c.listen.host + ": " + ec.message());
    return *results.begin();
  }
  return {address, c.listen.port};
}

}  // namespace

IngestServer::IngestServer(asio::io_context& io, const config::CollectorConfig& config,
                           StoreThread& store)
    : io_(io),
      config_(config),
      store_(store),
      tls_(tls::make_server_context({config.listen.ca, config.listen.cert, config.listen.key})),
      acceptor_(io),
      allowlist_(config.sensors.begin(), config.sensors.end()) {
  frame_budget_->limit = config_.listen.frame_memory;
  auto ep = listen_endpoint(config_);
  boost::system::error_code ec;
  acceptor_.open(ep.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(ep, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + config_.listen.address + ": " + ec.message());
}

IngestServer::~IngestServer() = default;

uint16_t IngestServer::port() const {
  boost::system::error_code ec;
  return acceptor_.local_endpoint(ec).port();
}

void IngestServer::start() {
  process::logger("ingest")->info("listening address={} port={} sensors={} fleet_timezone={}",
                                  config_.listen.address, port(), allowlist_.size(),
                                  config_.fleet.timezone);
  accept();
}

void IngestServer::reconfigure(const config::CollectorConfig& config) {
  config_ = config;  // its restart keys (listen address, TLS files) are the running ones
  allowlist_ = std::set<std::string>(config.sensors.begin(), config.sensors.end());
  frame_budget_->limit = config_.listen.frame_memory;
  // Sensors no longer allowlisted lose their connections now, not at their next batch.
  auto open = sessions_;
  for (const auto& s : open)
    if (!s->sensor_id().empty() && !allowlisted(s->sensor_id())) s->close(CloseReason::removed);
}

void IngestServer::accept() {
  acceptor_.async_accept([this](const boost::system::error_code& ec, asio::ip::tcp::socket socket) {
    if (stopping_) return;
    if (ec)
      process::logger("ingest")->warn("accept_failed error=\"{}\"", ec.message());
    else
      admit(std::move(socket));
    accept();
  });
}

std::string IngestServer::over_limit(const std::string& address) const {
  const auto& l = config_.listen;
  if (sessions_.size() - refusing_ >= l.max_connections)
    return "too many connections (listen.max_connections)";
  if (unauthenticated_ >= l.max_unauthenticated)
    return "too many connections without an accepted HELLO (listen.max_unauthenticated)";
  auto it = unauthenticated_by_address_.find(address);
  if (it != unauthenticated_by_address_.end() && it->second >= l.max_unauthenticated_per_address)
    return "too many connections without an accepted HELLO from " + address +
           " (listen.max_unauthenticated_per_address)";
  return {};
}

void IngestServer::admit(asio::ip::tcp::socket socket) {
  boost::system::error_code ec;
  auto remote = socket.remote_endpoint(ec);
  if (ec) return;  // already gone
  const std::string address = remote.address().to_string();
  std::string limit = over_limit(address);
  if (!limit.empty()) {
    refused(RefusalReason::overloaded, {base::unix_now(), address, "", "", limit});
    if (refusing_ >= kMaxRefusing) {
      socket.close(ec);
      return;
    }
    ++refusing_;
  } else {
    stats_.count(CollectorCounter::connections);
    ++unauthenticated_;
    ++unauthenticated_by_address_[address];
  }
  auto session = std::make_shared<IngestSession>(*this, std::move(socket), tls_, address, limit);
  sessions_.insert(session);
  stats_.set_active_connections(sessions_.size() - refusing_);
  session->start();
}

void IngestServer::forget_unauthenticated(const std::string& address) {
  --unauthenticated_;
  auto it = unauthenticated_by_address_.find(address);
  if (it != unauthenticated_by_address_.end() && --it->second == 0)
    unauthenticated_by_address_.erase(it);
}

void IngestServer::authenticated(const IngestSession& s) {
  forget_unauthenticated(s.address());
}

void IngestServer::stop() {
  stopping_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  auto open = sessions_;  // close() removes from sessions_
  for (const auto& s : open) s->close(CloseReason::collector_stopping);
}

void IngestServer::refused(RefusalReason why, Refusal r) {
  process::logger("ingest")->warn(
      "refused remote={} sensor={} fingerprint={} code={} reason=\"{}\"", r.remote,
      r.sensor.empty() ? "-" : r.sensor, r.fingerprint.empty() ? "-" : r.fingerprint, name(why),
      r.reason);
  stats_.refuse(why, std::move(r));
}

void IngestServer::session_ended(const std::shared_ptr<IngestSession>& s) {
  if (sessions_.erase(s) == 0) return;
  if (s->refusing())
    --refusing_;
  else if (!s->identified())
    forget_unauthenticated(s->address());
  stats_.set_active_connections(sessions_.size() - refusing_);
}

}  // namespace teiten::collector
