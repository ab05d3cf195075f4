#include "daemon/collector/ingest_server.h"

#include "common/process/logging.h"
#include "common/tls/tls_context.h"
#include "daemon/collector/ingest_session.h"

namespace teiten::collector {
namespace asio = boost::asio;

namespace {

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
  // Sensors no longer allowlisted lose their connections now, not at their next batch.
  auto open = sessions_;
  for (const auto& s : open)
    if (!s->sensor_id().empty() && !allowlisted(s->sensor_id())) s->close(CloseReason::removed);
}

void IngestServer::accept() {
  acceptor_.async_accept([this](const boost::system::error_code& ec, asio::ip::tcp::socket socket) {
    if (stopping_) return;
    if (ec) {
      process::logger("ingest")->warn("accept_failed error=\"{}\"", ec.message());
    } else if (sessions_.size() >= config_.listen.max_connections) {
      boost::system::error_code ignored;
      auto remote = socket.remote_endpoint(ignored);
      refused(RefusalReason::overloaded, {0, remote.address().to_string(), "", "",
                                          "too many connections (listen.max_connections)"});
      socket.close(ignored);
    } else {
      stats_.count(CollectorCounter::connections);
      auto session = std::make_shared<IngestSession>(*this, std::move(socket), tls_);
      sessions_.insert(session);
      stats_.set_active_connections(sessions_.size());
      session->start();
    }
    accept();
  });
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
  sessions_.erase(s);
  stats_.set_active_connections(sessions_.size());
}

}  // namespace teiten::collector
