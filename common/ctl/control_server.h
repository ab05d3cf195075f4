// teiten::ctl::ControlServer — the daemons' control socket: a Unix stream
// socket speaking one JSON request per line ({"command": "...",
// "arguments": {...}}) and one JSON reply per line (docs/control-protocol.md).
// Many clients at once, each served in order: a connection's next request
// waits until the previous one is answered, and a slow or stuck client never
// holds up another. A request over max_request bytes is answered and the
// connection closed; a line that is not a valid request (not JSON, not an
// object, nested too deep: protocol.h) is answered with result 1 and the
// connection stays usable; a client with no complete
// request for idle_timeout is told so and closed; a handler that has not
// answered within idle_timeout gets result 1 "timed out" sent for it (its
// late answer is dropped) and the connection stays usable.
// The socket is created mode 0660 in a directory made 0750 if it is missing
// (an existing directory keeps its mode); a stale socket file from a dead
// daemon is replaced, a live one is not.
// Threading: everything runs on the io_context given, which must be run by
// ONE thread (the daemon's network thread); no locks are taken. A handler
// may call its Respond from any thread: the answer is posted back here.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "common/ctl/command_registry.h"
#include "common/ctl/protocol.h"

namespace teiten::ctl {

struct ControlServerOptions {
  std::string path;
  size_t max_request = 64 * 1024;                  ///< bytes of one request line, newline excluded
  std::chrono::milliseconds idle_timeout{10'000};  ///< also each handler's answer deadline
  unsigned socket_mode = 0660;
  unsigned directory_mode = 0750;
};

class ControlServer {
 public:
  /// The registry must outlive the server.
  ControlServer(boost::asio::io_context& io, const CommandRegistry& registry,
                ControlServerOptions options);
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;
  /// Creates the socket; throws std::runtime_error naming the path and reason
  /// (another daemon answers on it, directory not creatable, ...).
  void start();
  /// Closes the listener and every client; removes the socket file (only if it
  /// is still the one start() created). Safe to call twice.
  void stop();
  const std::string& path() const { return options_.path; }
  size_t clients() const;

 private:
  class Session;
  void accept();
  void session_closed(const std::shared_ptr<Session>& session);

  boost::asio::io_context& io_;
  const CommandRegistry& registry_;
  ControlServerOptions options_;
  boost::asio::local::stream_protocol::acceptor acceptor_;
  boost::asio::steady_timer accept_retry_;  ///< backs off when accept fails (out of fds)
  std::set<std::shared_ptr<Session>> sessions_;
  /// Completions queued before the destructor ran check this before using `this`.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  uint64_t socket_dev_ = 0;  ///< identity of the socket file we bound, so stop()
  uint64_t socket_ino_ = 0;  ///< never removes a successor daemon's socket
  bool started_ = false;
};

}  // namespace teiten::ctl
