// Test helpers for the control socket: a ControlServer running on its own
// io_context thread (as on a daemon's network thread), and a raw client
// connection that sends exact bytes and reads exact lines, so tests can
// speak the protocol badly on purpose.
#pragma once

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <cstring>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "common/ctl/control_server.h"
#include "common/process/logging.h"

namespace teiten::test {

using namespace std::chrono_literals;

class ServerHarness {
 public:
  ServerHarness(const ctl::CommandRegistry& registry, ctl::ControlServerOptions options)
      : guard_(boost::asio::make_work_guard(io_)), server_(io_, registry, std::move(options)) {
    process::set_log_level("warn");  // every test starts and stops a server: keep output readable
    server_.start();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~ServerHarness() { stop(); }
  ServerHarness(const ServerHarness&) = delete;
  ServerHarness& operator=(const ServerHarness&) = delete;

  /// Runs f on the server's thread and waits for its result.
  template <class F>
  auto on_io(F f) {
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto result = task.get_future();
    boost::asio::post(io_, [&task] { task(); });
    return result.get();
  }
  size_t clients() {
    return on_io([this] { return server_.clients(); });
  }
  void stop() {
    if (!thread_.joinable()) return;
    on_io([this] { server_.stop(); });
    guard_.reset();
    thread_.join();
  }
  boost::asio::io_context& io() { return io_; }
  const std::string& path() const { return server_.path(); }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  ctl::ControlServer server_;
  std::thread thread_;
};

/// Waits until pred() holds or the timeout passes; returns pred().
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 3000ms) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return pred();
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

class RawConnection {
 public:
  explicit RawConnection(const std::string& path) : fd_(::socket(AF_UNIX, SOCK_STREAM, 0)) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      throw std::runtime_error("connect " + path + ": " + std::strerror(errno));
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  /// False when the server has closed (EPIPE/ECONNRESET).
  bool send(const std::string& bytes) {
    for (size_t sent = 0; sent < bytes.size();) {
      ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }
  void shutdown_write() { ::shutdown(fd_, SHUT_WR); }

  /// The next line without its newline; nullopt on EOF, error or timeout.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout = 5000ms) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (auto nl = buffer_.find('\n'); nl != std::string::npos) {
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        return line;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      pollfd p{fd_, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0)
        return std::nullopt;
      char chunk[4096];
      ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) {
        closed_ = true;
        return std::nullopt;
      }
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }
  /// True when the peer closed (EOF or reset) within the timeout, with
  /// nothing more sent before that.
  bool closed_by_peer(std::chrono::milliseconds timeout = 3000ms) {
    if (closed_) return buffer_.empty();
    return !read_line(timeout) && closed_ && buffer_.empty();
  }
  /// Sends one line and parses the reply line.
  nlohmann::json request(const std::string& line) {
    if (!send(line + "\n")) throw std::runtime_error("send failed");
    auto reply = read_line();
    if (!reply) throw std::runtime_error("no reply to " + line);
    return nlohmann::json::parse(*reply);
  }

 private:
  int fd_;
  std::string buffer_;
  bool closed_ = false;
};

}  // namespace teiten::test
