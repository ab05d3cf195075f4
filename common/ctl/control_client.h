// teiten::ctl::ControlClient — the client side of the control socket, used
// by teitenctl and tests: connect, send one request line, read one reply
// line, all within one timeout. Blocking POSIX sockets and poll(); no Asio
// needed by callers. One connection per call. Thread-safe (no shared state).
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/ctl/command_registry.h"

namespace teiten::ctl {

struct CallError {
  /// Nothing answers on the socket: it is missing, refuses connections, or
  /// gave no reply within the timeout (teitenctl exit 3).
  bool no_daemon = false;
  bool timed_out = false;  ///< the no_daemon case where something accepted but never replied
  std::string message;     ///< names the socket path
};

/// Sends {"command": command, "arguments": arguments} and returns the reply,
/// or nullopt with `error` filled.
std::optional<Reply> call(const std::string& socket_path, const std::string& command,
                          const nlohmann::json& arguments, std::chrono::milliseconds timeout,
                          CallError& error);

/// As call(), but returns the reply object as the daemon sent it, keys in its
/// order (for display); it has been checked to be a valid reply.
std::optional<nlohmann::ordered_json> call_raw(const std::string& socket_path,
                                               const std::string& command,
                                               const nlohmann::ordered_json& arguments,
                                               std::chrono::milliseconds timeout, CallError& error);

}  // namespace teiten::ctl
