// ControlServer::Session — one client connection of the control socket
// (internal to common/ctl). A small state machine, one state at a time:
// awaiting a request line -> dispatched to the registry -> writing the
// reply -> awaiting again. One timer guards whichever state it is in
// (idle client, silent handler, client not reading), so no state can last
// forever. Reading stops while a request is in flight, which bounds the
// buffer and makes pipelined requests wait their turn.
#pragma once

#include <array>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "common/ctl/control_server.h"

namespace teiten::ctl {

class ControlServer::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(ControlServer& server, boost::asio::local::stream_protocol::socket socket);
  void start();
  /// Closes the socket and leaves the server's set; every pending completion
  /// sees `closed` and returns without touching the server.
  void close(const std::string& why);

 private:
  enum class State { awaiting, dispatched, writing, closed };

  void next();
  void read_more();
  void on_read(const boost::system::error_code& ec, size_t n);
  void handle_line(const std::string& line);
  void dispatch(const std::string& command, const nlohmann::json& arguments);
  void on_reply(uint64_t request, Reply reply);
  void send(const Reply& reply);
  void on_written(const boost::system::error_code& ec);
  /// For replies followed by a close: one non-blocking write, no waiting on
  /// a client that may not be reading.
  void answer_and_close(const Reply& reply, const std::string& why);
  void arm(std::chrono::milliseconds after, void (Session::*on_expiry)());
  void on_idle();
  void on_deadline();
  void on_write_stalled();

  ControlServer& server_;
  boost::asio::local::stream_protocol::socket socket_;
  boost::asio::steady_timer timer_;
  std::array<char, 8192> chunk_{};
  std::string pending_;  ///< received bytes not yet consumed as lines
  std::string out_;      ///< the reply being written
  std::string command_;  ///< the request in flight, for the timeout text and logs
  std::string peer_;     ///< "pid=N uid=N" for logs
  State state_ = State::awaiting;
  uint64_t request_ = 0;           ///< numbers requests so a late answer is recognised and dropped
  uint64_t timer_generation_ = 0;  ///< a completion already queued when re-armed is ignored
  bool reading_ = false;
  bool eof_ = false;  ///< client half-closed: answer what is buffered, then close
};

}  // namespace teiten::ctl
