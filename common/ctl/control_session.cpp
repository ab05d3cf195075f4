#include "common/ctl/control_session.h"

#include <sys/socket.h>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "common/process/logging.h"

namespace teiten::ctl {
namespace asio = boost::asio;

namespace {

std::string duration_text(std::chrono::milliseconds d) {
  auto ms = d.count();
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + "s" : std::to_string(ms) + "ms";
}

bool blank(const std::string& s) {
  return s.find_first_not_of(" \t\r") == std::string::npos;
}

std::string peer_of(asio::local::stream_protocol::socket& s) {
  ucred cred{};
  socklen_t len = sizeof cred;
  if (getsockopt(s.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return "pid=?";
  return "pid=" + std::to_string(cred.pid) + " uid=" + std::to_string(cred.uid);
}

}  // namespace

ControlServer::Session::Session(ControlServer& server, asio::local::stream_protocol::socket socket)
    : server_(server), socket_(std::move(socket)), timer_(socket_.get_executor()) {}

void ControlServer::Session::start() {
  peer_ = peer_of(socket_);
  process::logger("ctl")->debug("control_client_connected {} clients={}", peer_,
                                server_.sessions_.size());
  state_ = State::awaiting;
  arm(server_.options_.idle_timeout, &Session::on_idle);
  next();
}

void ControlServer::Session::close(const std::string& why) {
  if (state_ == State::closed) return;
  state_ = State::closed;
  process::logger("ctl")->debug("control_client_closed {} reason=\"{}\"", peer_, why);
  boost::system::error_code ec;
  socket_.shutdown(asio::socket_base::shutdown_both, ec);
  socket_.close(ec);
  timer_.cancel();
  server_.session_closed(shared_from_this());
}

// Takes the next complete line from what is buffered, or reads more. Only
// called in the awaiting state.
void ControlServer::Session::next() {
  const size_t max = server_.options_.max_request;
  for (;;) {
    auto nl = pending_.find('\n');
    if (nl == std::string::npos) break;
    if (nl > max) break;  // reported as too large below
    std::string line = pending_.substr(0, nl);
    pending_.erase(0, nl + 1);
    // Blank lines are not requests: they neither answer nor reset the idle timer.
    if (blank(line)) continue;
    if (line.back() == '\r') line.pop_back();  // nc -C, telnet
    return handle_line(line);
  }
  if (pending_.size() > max) {
    process::logger("ctl")->info("control_request_too_large {} limit={}", peer_, max);
    return answer_and_close(
        Reply::error("request too large (limit " + std::to_string(max) + " bytes per line)"),
        "request too large");
  }
  if (eof_) {
    // `printf '{"command":"status"}' | nc -U` sends no newline: the last
    // unterminated line is still a request.
    if (blank(pending_)) return close("disconnected");
    std::string line = std::move(pending_);
    pending_.clear();
    return handle_line(line);
  }
  read_more();
}

void ControlServer::Session::read_more() {
  if (reading_) return;
  reading_ = true;
  socket_.async_read_some(asio::buffer(chunk_),
                          [self = shared_from_this()](const boost::system::error_code& ec,
                                                      size_t n) { self->on_read(ec, n); });
}

void ControlServer::Session::on_read(const boost::system::error_code& ec, size_t n) {
  reading_ = false;
  if (state_ == State::closed) return;
  if (ec == asio::error::eof) {
    eof_ = true;
  } else if (ec) {
    return close(ec.message());
  }
  pending_.append(chunk_.data(), n);
  next();
}

void ControlServer::Session::handle_line(const std::string& line) {
  Request request = parse_request(line);
  if (!request.error.empty()) return send(Reply::error(request.error));
  dispatch(request.command, request.arguments);
}

void ControlServer::Session::dispatch(const std::string& command, const nlohmann::json& arguments) {
  state_ = State::dispatched;
  command_ = command;
  const uint64_t request = ++request_;
  arm(server_.options_.idle_timeout, &Session::on_deadline);
  process::logger("ctl")->debug("control_command command={} {}", command, peer_);
  // The answer may come from any thread and after this session is gone:
  // post it back to our executor, and hold the session only weakly.
  std::weak_ptr<Session> weak = weak_from_this();
  auto executor = socket_.get_executor();
  server_.registry_.dispatch(command, arguments, [weak, request, executor](Reply reply) {
    asio::post(executor, [weak, request, reply = std::move(reply)]() mutable {
      if (auto self = weak.lock()) self->on_reply(request, std::move(reply));
    });
  });
}

void ControlServer::Session::on_reply(uint64_t request, Reply reply) {
  if (state_ != State::dispatched || request != request_) {
    process::logger("ctl")->debug("control_late_answer_dropped command={} {}", command_, peer_);
    return;
  }
  send(reply);
}

void ControlServer::Session::send(const Reply& reply) {
  state_ = State::writing;
  out_ = encode_reply_line(reply);
  arm(server_.options_.idle_timeout, &Session::on_write_stalled);
  asio::async_write(socket_, asio::buffer(out_),
                    [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                      self->on_written(ec);
                    });
}

void ControlServer::Session::on_written(const boost::system::error_code& ec) {
  if (state_ == State::closed) return;
  if (ec) return close(ec.message());
  state_ = State::awaiting;
  arm(server_.options_.idle_timeout, &Session::on_idle);
  next();
}

void ControlServer::Session::answer_and_close(const Reply& reply, const std::string& why) {
  if (state_ == State::closed) return;
  std::string line = encode_reply_line(reply);
  boost::system::error_code ec;
  socket_.non_blocking(true, ec);
  socket_.write_some(asio::buffer(line), ec);
  close(why);
}

void ControlServer::Session::arm(std::chrono::milliseconds after, void (Session::*on_expiry)()) {
  const uint64_t generation = ++timer_generation_;
  timer_.expires_after(after);
  timer_.async_wait(
      [self = shared_from_this(), generation, on_expiry](const boost::system::error_code& ec) {
        if (ec || self->state_ == State::closed || generation != self->timer_generation_) return;
        ((*self).*on_expiry)();
      });
}

void ControlServer::Session::on_idle() {
  if (state_ != State::awaiting) return;
  answer_and_close(Reply::error("idle timeout: no complete request within " +
                                duration_text(server_.options_.idle_timeout)),
                   "idle timeout");
}

void ControlServer::Session::on_deadline() {
  if (state_ != State::dispatched) return;
  process::logger("ctl")->warn("control_command_timed_out command={} after={} {}", command_,
                               duration_text(server_.options_.idle_timeout), peer_);
  send(Reply::error("command '" + command_ + "' timed out: no answer within " +
                    duration_text(server_.options_.idle_timeout) + " (it may still complete)"));
}

void ControlServer::Session::on_write_stalled() {
  if (state_ != State::writing) return;
  close("client does not read its reply");
}

}  // namespace teiten::ctl
