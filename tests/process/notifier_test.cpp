// The notify protocol against a fake systemd: a datagram socket in a
// temporary directory named by NOTIFY_SOCKET, as the service manager sets it.
#include "common/process/notifier.h"

#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>

#include "support/temp_dir.h"

using namespace teiten::process;
using teiten::test::TempDir;

namespace {

class FakeSystemd {
 public:
  explicit FakeSystemd(const std::string& path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    REQUIRE(path.size() < sizeof addr.sun_path);
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
  }
  ~FakeSystemd() {
    ::unsetenv("NOTIFY_SOCKET");
    ::close(fd_);
  }
  /// The next datagram, or "" when none comes within `ms`.
  std::string next(int ms = 5000) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, ms) != 1) return "";
    char buf[4096];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
  }

 private:
  int fd_ = -1;
};

}  // namespace

TEST_CASE("each notification reaches NOTIFY_SOCKET as systemd expects it", "[process]") {
  TempDir dir;
  FakeSystemd systemd(dir / "notify");
  Notifier n;
  n.ready("listening on 127.0.0.1:7450");
  CHECK(systemd.next() == "READY=1\nSTATUS=listening on 127.0.0.1:7450");
  n.status("3 sensors");
  CHECK(systemd.next() == "STATUS=3 sensors");
  n.watchdog();
  CHECK(systemd.next() == "WATCHDOG=1");
  n.reloading();
  CHECK(systemd.next() == "RELOADING=1");
  n.stopping("stopping");
  CHECK(systemd.next() == "STOPPING=1\nSTATUS=stopping");
}

TEST_CASE("outside systemd the notifier sends nothing", "[process]") {
  TempDir dir;
  FakeSystemd systemd(dir / "notify");
  ::unsetenv("NOTIFY_SOCKET");
  Notifier n;
  n.ready("up");
  n.watchdog();
  CHECK(systemd.next(200).empty());
}

TEST_CASE("the watchdog interval is the unit's when it is meant for this process", "[process]") {
  ::setenv("WATCHDOG_USEC", "3000000", 1);
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  CHECK(Notifier::watchdog_interval() == std::chrono::microseconds(3'000'000));
  // A watchdog set for another process (our parent, say) is not ours.
  ::setenv("WATCHDOG_PID", std::to_string(::getppid()).c_str(), 1);
  CHECK_FALSE(Notifier::watchdog_interval());
  ::unsetenv("WATCHDOG_PID");
  ::unsetenv("WATCHDOG_USEC");
  CHECK_FALSE(Notifier::watchdog_interval());
}
