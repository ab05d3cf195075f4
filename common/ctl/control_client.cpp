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

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::optional<nlohmann::ordered_json> fail(CallError& error, bool no_daemon, std::string message,
                                           bool timed_out = false) {
  error.no_daemon = no_daemon;
  error.timed_out = timed_out;
  error.message = std::move(message);
  return std::nullopt;
}

/// Milliseconds left before the deadline, for poll(); 0 when it has passed.
int remaining_ms(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(std::min<long long>(left.count(), 1 << 30));
}

std::string duration_text(std::chrono::milliseconds d) {
  auto ms = d.count();
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + "s" : std::to_string(ms) + "ms";
}

/// Waits for `events`; false on timeout.
bool wait_for(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    int rc = ::poll(&p, 1, remaining_ms(deadline));
    if (rc > 0) return true;
    if (rc == 0) return false;
    if (errno != EINTR) return false;
  }
}

}  // namespace

std::optional<nlohmann::ordered_json> call_raw(const std::string& socket_path,
                                               const std::string& command,
                                               const nlohmann::ordered_json& arguments,
                                               std::chrono::milliseconds timeout,
                                               CallError& error) {
  error = {};
  const auto deadline = Clock::now() + timeout;
  sockaddr_un addr{};
  if (socket_path.empty() || socket_path.size() >= sizeof addr.sun_path)
    return fail(error, false, "control socket path '" + socket_path + "' is empty or too long");
  if (!arguments.is_null() && !arguments.is_object())
    return fail(error, false, "arguments must be a JSON object");

  nlohmann::ordered_json request{
      {"command", command},
      {"arguments", arguments.is_null() ? nlohmann::ordered_json::object() : arguments}};
  const std::string line =
      request.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";

  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) return fail(error, false, std::string("socket: ") + std::strerror(errno));
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, socket_path.c_str(), socket_path.size() + 1);
  // A Unix connect never returns EINPROGRESS; EAGAIN means the daemon's
  // backlog is full, so it is busy rather than absent: retry until the deadline.
  while (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    int err = errno;
    if (err == EINTR) continue;
    if (err == ENOENT || err == ECONNREFUSED || err == ENOTDIR)
      return fail(error, true,
                  "no daemon answers on " + socket_path + " (" + std::strerror(err) + ")");
    if (err != EAGAIN)
      return fail(error, false, "cannot connect to " + socket_path + ": " + std::strerror(err));
    if (Clock::now() >= deadline)
      return fail(
          error, true,
          "no daemon accepted a connection on " + socket_path + " within " + duration_text(timeout),
          true);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  for (size_t sent = 0; sent < line.size();) {
    if (!wait_for(fd.get(), POLLOUT, deadline))
      return fail(error, true, "no reply from " + socket_path + " within " + duration_text(timeout),
                  true);
    ssize_t n = ::send(fd.get(), line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      // The daemon closed early, maybe after answering (a request too large
      // is refused before it is read in full): read what it said.
      if (errno == EPIPE || errno == ECONNRESET) break;
      return fail(error, false, "cannot send to " + socket_path + ": " + std::strerror(errno));
    }
    sent += static_cast<size_t>(n);
  }

  std::string received;
  size_t newline = std::string::npos;
  char chunk[16384];
  while (newline == std::string::npos) {
    if (!wait_for(fd.get(), POLLIN, deadline))
      return fail(error, true, "no reply from " + socket_path + " within " + duration_text(timeout),
                  true);
    ssize_t n = ::recv(fd.get(), chunk, sizeof chunk, 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    // A reset is how a peer that closed with our request unread looks on a
    // Unix socket: the same event as a plain close for the user.
    if (n < 0 && errno != ECONNRESET)
      return fail(error, false, "cannot read from " + socket_path + ": " + std::strerror(errno));
    if (n <= 0)
      return fail(error, false,
                  "the daemon on " + socket_path + " closed the connection " +
                      (received.empty() ? "without a reply" : "mid-reply"));
    size_t before = received.size();
    received.append(chunk, static_cast<size_t>(n));
    newline = received.find('\n', before);
    if (newline == std::string::npos && received.size() > kMaxReply)
      return fail(error, false,
                  "reply from " + socket_path + " exceeds " + std::to_string(kMaxReply) + " bytes");
  }
  received.resize(newline);

  nlohmann::ordered_json reply;
  try {
    reply = nlohmann::ordered_json::parse(received);
    (void)Reply::from_json(reply);
  } catch (const std::exception& e) {
    return fail(error, false, "invalid reply from " + socket_path + ": " + e.what());
  }
  return reply;
}

std::optional<Reply> call(const std::string& socket_path, const std::string& command,
                          const nlohmann::json& arguments, std::chrono::milliseconds timeout,
                          CallError& error) {
  auto raw = call_raw(socket_path, command, nlohmann::ordered_json(arguments), timeout, error);
  if (!raw) return std::nullopt;
  return Reply::from_json(*raw);
}

}  // namespace teiten::ctl
