#include "common/ctl/control_server.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "common/ctl/control_session.h"
#include "common/process/logging.h"

namespace teiten::ctl {
namespace asio = boost::asio;
using stream = asio::local::stream_protocol;

namespace {

std::runtime_error failure(const std::string& what) {
  return std::runtime_error(what);
}

std::string errno_text(int err) {
  return std::strerror(err);
}

/// Creates the missing directories above the socket with `mode` (applied
/// after mkdir, which the umask would narrow); existing ones are left alone
/// because an operator or tmpfiles.d may have chosen their mode.
void prepare_directory(const std::string& socket_path, unsigned mode) {
  std::filesystem::path dir = std::filesystem::path(socket_path).parent_path();
  std::vector<std::filesystem::path> missing;
  for (auto p = dir; !p.empty() && p != p.root_path(); p = p.parent_path()) {
    struct stat st {};
    if (::stat(p.c_str(), &st) == 0) break;
    missing.push_back(p);
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), static_cast<mode_t>(mode)) != 0 && errno != EEXIST)
      throw failure("cannot create directory " + it->string() + " for control socket " +
                    socket_path + ": " + errno_text(errno));
    ::chmod(it->c_str(), static_cast<mode_t>(mode));
  }
}

/// A socket file nobody answers on is left over from a daemon that died
/// without stop(); one that answers belongs to a running daemon, which we
/// must neither steal from nor silently shadow.
void remove_stale_socket(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return;
    throw failure("cannot check control socket " + path + ": " + errno_text(errno));
  }
  if (!S_ISSOCK(st.st_mode))
    throw failure("control socket " + path + " exists and is not a socket; not removing it");
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw failure("cannot create a socket: " + errno_text(errno));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  int err = errno;
  ::close(fd);
  // EAGAIN: the listener exists but its backlog is full; still alive.
  if (rc == 0 || err == EAGAIN)
    throw failure("control socket " + path + " is in use by another process");
  if (err != ECONNREFUSED)
    throw failure("cannot check control socket " + path + ": " + errno_text(err));
  if (::unlink(path.c_str()) != 0 && errno != ENOENT)
    throw failure("cannot remove stale control socket " + path + ": " + errno_text(errno));
  process::logger("ctl")->info("control_stale_socket_removed path={}", path);
}

void set_cloexec(int fd) {
  ::fcntl(fd, F_SETFD, ::fcntl(fd, F_GETFD) | FD_CLOEXEC);
}

}  // namespace

ControlServer::ControlServer(asio::io_context& io, const CommandRegistry& registry,
                             ControlServerOptions options)
    : io_(io),
      registry_(registry),
      options_(std::move(options)),
      acceptor_(io),
      accept_retry_(io) {}

ControlServer::~ControlServer() {
  stop();
  *alive_ = false;
}

void ControlServer::start() {
  if (started_) return;
  const std::string& path = options_.path;
  if (path.empty()) throw failure("control socket path is empty");
  if (path.size() >= sizeof(sockaddr_un::sun_path))
    throw failure("control socket path " + path + " is too long (" + std::to_string(path.size()) +
                  " bytes, at most " + std::to_string(sizeof(sockaddr_un::sun_path) - 1) + ")");
  prepare_directory(path, options_.directory_mode);
  remove_stale_socket(path);

  boost::system::error_code ec;
  acceptor_.open(stream(), ec);
  if (ec) throw failure("cannot create control socket " + path + ": " + ec.message());
  set_cloexec(acceptor_.native_handle());
  // Linux creates the socket file with the socket inode's mode minus the
  // umask: narrowing it first leaves no moment where the file is wider
  // than socket_mode. The chmod after bind makes it exact.
  ::fchmod(acceptor_.native_handle(), static_cast<mode_t>(options_.socket_mode));
  acceptor_.bind(stream::endpoint(path), ec);
  if (ec) {
    acceptor_.close();
    throw failure("cannot bind control socket " + path + ": " + ec.message());
  }
  struct stat st {};
  if (::chmod(path.c_str(), static_cast<mode_t>(options_.socket_mode)) != 0 ||
      ::stat(path.c_str(), &st) != 0) {
    int err = errno;
    acceptor_.close();
    ::unlink(path.c_str());
    throw failure("cannot set the mode of control socket " + path + ": " + errno_text(err));
  }
  socket_dev_ = st.st_dev;
  socket_ino_ = st.st_ino;
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    acceptor_.close();
    ::unlink(path.c_str());
    throw failure("cannot listen on control socket " + path + ": " + ec.message());
  }
  started_ = true;
  process::logger("ctl")->info("control_listening path={}", path);
  accept();
}

void ControlServer::stop() {
  if (!started_) return;
  started_ = false;
  boost::system::error_code ec;
  acceptor_.close(ec);
  accept_retry_.cancel();
  auto sessions = std::move(sessions_);
  sessions_.clear();
  for (const auto& s : sessions) s->close("server stopping");
  struct stat st {};
  if (::lstat(options_.path.c_str(), &st) == 0 && st.st_dev == socket_dev_ &&
      st.st_ino == socket_ino_)
    ::unlink(options_.path.c_str());
  process::logger("ctl")->info("control_stopped path={}", options_.path);
}

size_t ControlServer::clients() const {
  return sessions_.size();
}

void ControlServer::accept() {
  acceptor_.async_accept(
      [this, alive = alive_](const boost::system::error_code& ec, stream::socket socket) {
        // Checked before `this` is used: the server may be gone (alive) or
        // stopped (started_) while this completion waited in the queue.
        if (!*alive || ec == asio::error::operation_aborted || !started_) return;
        if (ec) {
          // Typically EMFILE: retrying at once would spin; the clients that
          // hold the descriptors time out within idle_timeout.
          process::logger("ctl")->warn("control_accept_failed error=\"{}\"", ec.message());
          accept_retry_.expires_after(std::chrono::milliseconds(100));
          accept_retry_.async_wait([this, alive](const boost::system::error_code& wait_ec) {
            if (*alive && !wait_ec && started_) accept();
          });
          return;
        }
        set_cloexec(socket.native_handle());
        auto session = std::make_shared<Session>(*this, std::move(socket));
        sessions_.insert(session);
        session->start();
        accept();
      });
}

void ControlServer::session_closed(const std::shared_ptr<Session>& session) {
  sessions_.erase(session);
}

}  // namespace teiten::ctl
