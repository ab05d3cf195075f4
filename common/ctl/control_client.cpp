#include "common/ctl/control_client.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace teiten::ctl {
namespace {

using Clock = std::chrono::steady_clock;

/// Replies are unbounded by the protocol (a long `top`), but a peer that is
/// not a teiten daemon must not make us allocate without limit.
constexpr size_t kMaxReply = 64 * 1024 * 1024;

/// Milliseconds left before the deadline, for poll(); 0 when it has passed.
int remaining_ms(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(std::min<long long>(left.count(), 1 << 30));
}

std::string duration_text(std::chrono::milliseconds d) {
  auto ms = d.count();
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + "s" : std::to_string(ms) + "ms";
}

/// The request as one line, or nullopt with `why` when it cannot be sent.
std::optional<std::string> request_line(const std::string& socket_path, const std::string& command,
                                        const nlohmann::ordered_json& arguments, std::string& why) {
  if (socket_path.empty() || socket_path.size() >= sizeof(sockaddr_un::sun_path)) {
    why = "control socket path '" + socket_path + "' is empty or too long";
    return std::nullopt;
  }
  if (!arguments.is_null() && !arguments.is_object()) {
    why = "arguments must be a JSON object";
    return std::nullopt;
  }
  nlohmann::ordered_json request{
      {"command", command},
      {"arguments", arguments.is_null() ? nlohmann::ordered_json::object() : arguments}};
  return request.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

/// One connection to a control socket, every step bounded by one deadline.
/// Each step returns false after filling the CallError.
class Exchange {
 public:
  Exchange(const std::string& path, std::chrono::milliseconds timeout, CallError& error)
      : path_(path),
        timeout_(timeout),
        deadline_(Clock::now() + timeout),
        error_(error),
        fd_(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) {}
  ~Exchange() {
    if (fd_ >= 0) ::close(fd_);
  }
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;

  bool connect();
  bool send(const std::string& line);
  /// The reply line without its newline.
  bool receive_line(std::string& line);

  bool fail(bool no_daemon, std::string message, bool timed_out = false) {
    error_.no_daemon = no_daemon;
    error_.timed_out = timed_out;
    error_.message = std::move(message);
    return false;
  }

 private:
  /// Waits for `events`; false on timeout.
  bool wait_for(short events);
  bool no_reply() {
    return fail(true, "no reply from " + path_ + " within " + duration_text(timeout_), true);
  }

  const std::string& path_;
  std::chrono::milliseconds timeout_;
  Clock::time_point deadline_;
  CallError& error_;
  int fd_;
};

bool Exchange::wait_for(short events) {
  for (;;) {
    pollfd p{fd_, events, 0};
    int rc = ::poll(&p, 1, remaining_ms(deadline_));
    if (rc > 0) return true;
    if (rc == 0) return false;
    if (errno != EINTR) return false;
  }
}

bool Exchange::connect() {
  if (fd_ < 0) return fail(false, std::string("socket: ") + std::strerror(errno));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path_.c_str(), path_.size() + 1);
  // A Unix connect never returns EINPROGRESS; EAGAIN means the daemon's
  // backlog is full, so it is busy rather than absent: retry until the deadline.
  while (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    int err = errno;
    if (err == EINTR) continue;
    if (err == ENOENT || err == ECONNREFUSED || err == ENOTDIR)
      return fail(true, "no daemon answers on " + path_ + " (" + std::strerror(err) + ")");
    if (err != EAGAIN) return fail(false, "cannot connect to " + path_ + ": " + std::strerror(err));
    if (Clock::now() >= deadline_)
      return fail(
          true,
          "no daemon accepted a connection on " + path_ + " within " + duration_text(timeout_),
          true);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

bool Exchange::send(const std::string& line) {
  for (size_t sent = 0; sent < line.size();) {
    if (!wait_for(POLLOUT)) return no_reply();
    ssize_t n = ::send(fd_, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      // The daemon closed early, maybe after answering (a request too large
      // is refused before it is read in full): read what it said.
      if (errno == EPIPE || errno == ECONNRESET) return true;
      return fail(false, "cannot send to " + path_ + ": " + std::strerror(errno));
    }
    sent += static_cast<size_t>(n);
  }
  return true;
}

bool Exchange::receive_line(std::string& line) {
  size_t newline = std::string::npos;
  char chunk[16384];
  while (newline == std::string::npos) {
    if (!wait_for(POLLIN)) return no_reply();
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    // A reset is how a peer that closed with our request unread looks on a
    // Unix socket: the same event as a plain close for the user.
    if (n < 0 && errno != ECONNRESET)
      return fail(false, "cannot read from " + path_ + ": " + std::strerror(errno));
    if (n <= 0)
      return fail(false, "the daemon on " + path_ + " closed the connection " +
                             (line.empty() ? "without a reply" : "mid-reply"));
    size_t before = line.size();
    line.append(chunk, static_cast<size_t>(n));
    newline = line.find('\n', before);
    if (newline == std::string::npos && line.size() > kMaxReply)
      return fail(false,
                  "reply from " + path_ + " exceeds " + std::to_string(kMaxReply) + " bytes");
  }
  line.resize(newline);
  return true;
}

}  // namespace

std::optional<nlohmann::ordered_json> call_raw(const std::string& socket_path,
                                               const std::string& command,
                                               const nlohmann::ordered_json& arguments,
                                               std::chrono::milliseconds timeout,
                                               CallError& error) {
  error = {};
  std::string why;
  auto line = request_line(socket_path, command, arguments, why);
  if (!line) {
    error.message = why;
    return std::nullopt;
  }
  Exchange exchange(socket_path, timeout, error);
  std::string received;
  if (!exchange.connect() || !exchange.send(*line) || !exchange.receive_line(received))
    return std::nullopt;
  try {
    auto reply = nlohmann::ordered_json::parse(received);
    (void)Reply::from_json(reply);
    return reply;
  } catch (const std::exception& e) {
    exchange.fail(false, "invalid reply from " + socket_path + ": " + e.what());
    return std::nullopt;
  }
}

std::optional<Reply> call(const std::string& socket_path, const std::string& command,
                          const nlohmann::json& arguments, std::chrono::milliseconds timeout,
                          CallError& error) {
  auto raw = call_raw(socket_path, command, nlohmann::ordered_json(arguments), timeout, error);
  if (!raw) return std::nullopt;
  return Reply::from_json(*raw);
}

}  // namespace teiten::ctl
