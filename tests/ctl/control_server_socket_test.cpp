// The control socket as a file: modes, the directory, stale and live
// sockets, removal on stop.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "common/ctl/control_server.h"
#include "ctl/ctl_harness.h"
#include "support/temp_dir.h"

using namespace teiten;
using namespace std::chrono_literals;
using nlohmann::json;
using test::RawConnection;
using test::ServerHarness;
using test::TempDir;

namespace {

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

/// A socket file whose listener is gone, as a crashed daemon leaves it.
void make_stale_socket(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(fd, 1) == 0);
  ::close(fd);
}

ctl::ControlServerOptions at(const std::string& path) {
  ctl::ControlServerOptions o;
  o.path = path;
  return o;
}

}  // namespace

TEST_CASE("the socket is mode 0660 in a directory created 0750, whatever the umask",
          "[ctl][socket]") {
  TempDir dir;
  ctl::CommandRegistry registry;
  const std::string run_dir = dir.file("run/teiten-sensor");
  mode_t old = ::umask(0);  // the widest umask must not widen either mode
  ServerHarness server(registry, at(run_dir + "/control.sock"));
  ::umask(old);
  CHECK(mode_of(run_dir + "/control.sock") == 0660);
  CHECK(mode_of(run_dir) == 0750);
  CHECK(mode_of(dir.file("run")) == 0750);
  struct stat st {};
  REQUIRE(::lstat(server.path().c_str(), &st) == 0);
  CHECK(S_ISSOCK(st.st_mode));
}

TEST_CASE("an existing directory keeps its mode", "[ctl][socket]") {
  TempDir dir;
  ctl::CommandRegistry registry;
  std::filesystem::create_directory(dir.file("run"));
  ::chmod(dir.file("run").c_str(), 0755);
  ServerHarness server(registry, at(dir.file("run/control.sock")));
  CHECK(mode_of(dir.file("run")) == 0755);
  CHECK(mode_of(dir.file("run/control.sock")) == 0660);
}

TEST_CASE("a stale socket file from a dead daemon is replaced", "[ctl][socket]") {
  TempDir dir;
  ctl::CommandRegistry registry;
  const std::string path = dir.file("control.sock");
  make_stale_socket(path);
  ServerHarness server(registry, at(path));
  RawConnection c(path);
  CHECK(c.request(R"({"command": "list-commands"})")["result"] == 0);
}

TEST_CASE("start() refuses a path on which another server answers, which keeps serving",
          "[ctl][socket]") {
  TempDir dir;
  ctl::CommandRegistry registry;
  const std::string path = dir.file("control.sock");
  ServerHarness first(registry, at(path));
  {
    boost::asio::io_context io;
    ctl::ControlServer second(io, registry, at(path));
    CHECK_THROWS_WITH(second.start(), "control socket " + path + " is in use by another process");
    second.stop();  // and its destructor: neither may remove the first server's socket
  }
  RawConnection c(path);
  CHECK(c.request(R"({"command": "list-commands"})")["result"] == 0);
}

TEST_CASE("a path that is not a socket is left alone and start() says so", "[ctl][socket]") {
  TempDir dir;
  ctl::CommandRegistry registry;
  const std::string path = dir.file("control.sock");
  std::ofstream(path) << "precious";
  boost::asio::io_context io;
  ctl::ControlServer server(io, registry, at(path));
  CHECK_THROWS_WITH(server.start(), Catch::Contains("exists and is not a socket"));
  CHECK(std::filesystem::is_regular_file(path));
}

TEST_CASE("a socket path too long for sun_path is refused by name", "[ctl][socket]") {
  ctl::CommandRegistry registry;
  boost::asio::io_context io;
  ctl::ControlServer server(io, registry, at("/tmp/" + std::string(120, 'x')));
  CHECK_THROWS_WITH(server.start(), Catch::Contains("is too long"));
}

TEST_CASE("stop() closes every client and removes the socket file", "[ctl][socket]") {
  TempDir dir;
  ctl::CommandRegistry registry;
  const std::string path = dir.file("control.sock");
  ServerHarness server(registry, at(path));
  RawConnection c(path);
  REQUIRE(c.request(R"({"command": "list-commands"})")["result"] == 0);
  server.stop();
  CHECK_FALSE(std::filesystem::exists(path));
  CHECK(c.closed_by_peer());
}

TEST_CASE("stop() leaves a successor's socket file in place", "[ctl][socket]") {
  TempDir dir;
  ctl::CommandRegistry registry;
  const std::string path = dir.file("control.sock");
  ServerHarness server(registry, at(path));
  // Someone removed our file and a new daemon bound the path.
  std::filesystem::remove(path);
  make_stale_socket(path);
  server.stop();
  CHECK(std::filesystem::exists(path));
}
