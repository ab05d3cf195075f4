#include "common/ctl/control_client.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "ctl/ctl_harness.h"
#include "support/temp_dir.h"

using namespace teiten;
using namespace std::chrono_literals;
using ctl::Reply;
using nlohmann::json;
using test::ServerHarness;
using test::TempDir;

namespace {

ctl::ControlServerOptions at(const std::string& path, std::chrono::milliseconds idle = 5000ms) {
  ctl::ControlServerOptions o;
  o.path = path;
  o.idle_timeout = idle;
  return o;
}

/// A listening socket that is not a ControlServer: it accepts whatever the
/// test does with it, by hand.
struct RawListener {
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  explicit RawListener(const std::string& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(fd, 4) == 0);
  }
  ~RawListener() { ::close(fd); }
};

}  // namespace

TEST_CASE("call returns the daemon's reply", "[ctl][client]") {
  TempDir dir;
  ctl::CommandRegistry registry;
  registry.add_sync("echo", "", ctl::kAnyArguments, [](const json& a) { return Reply::ok("echoed", a); });
  ServerHarness server(registry, at(dir.file("c.sock")));
  ctl::CallError error;
  auto reply = ctl::call(server.path(), "echo", json{{"limit", 20}}, 2000ms, error);
  REQUIRE(reply);
  CHECK(reply->result == ctl::Result::ok);
  CHECK(reply->text == "echoed");
  CHECK(reply->arguments == json{{"limit", 20}});
  CHECK(error.message.empty());
}

TEST_CASE("call_raw keeps the reply's keys in the order the daemon sent them", "[ctl][client]") {
  TempDir dir;
  ctl::CommandRegistry registry;
  ServerHarness server(registry, at(dir.file("c.sock")));
  ctl::CallError error;
  auto reply = ctl::call_raw(server.path(), "list-commands", nlohmann::ordered_json::object(),
                             2000ms, error);
  REQUIRE(reply);
  std::vector<std::string> keys;
  for (const auto& [key, value] : reply->items()) keys.push_back(key);
  CHECK(keys == std::vector<std::string>{"result", "text", "arguments"});
}

TEST_CASE("call to a missing socket reports no daemon and names the path", "[ctl][client]") {
  TempDir dir;
  ctl::CallError error;
  auto reply = ctl::call(dir.file("absent.sock"), "status", json::object(), 1000ms, error);
  CHECK_FALSE(reply);
  CHECK(error.no_daemon);
  CHECK_FALSE(error.timed_out);
  CHECK_THAT(error.message, Catch::Contains(dir.file("absent.sock")));
}

TEST_CASE("call to a socket file nobody listens on reports no daemon", "[ctl][client]") {
  TempDir dir;
  const std::string path = dir.file("stale.sock");
  { RawListener gone(path); }  // closed, file left behind: connect is refused
  ctl::CallError error;
  CHECK_FALSE(ctl::call(path, "status", json::object(), 1000ms, error));
  CHECK(error.no_daemon);
  CHECK_THAT(error.message, Catch::Contains("no daemon answers on " + path));
}

TEST_CASE("call gives up after its timeout when the handler never answers", "[ctl][client]") {
  TempDir dir;
  ctl::CommandRegistry registry;
  registry.add("never", "", [](const json&, ctl::Respond) {});
  ServerHarness server(registry, at(dir.file("c.sock"), 10'000ms));
  ctl::CallError error;
  auto start = std::chrono::steady_clock::now();
  CHECK_FALSE(ctl::call(server.path(), "never", json::object(), 200ms, error));
  auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(error.no_daemon);
  CHECK(error.timed_out);
  CHECK_THAT(error.message, Catch::Contains("no reply from " + server.path() + " within 200ms"));
  CHECK(elapsed >= 190ms);
  CHECK(elapsed < 2000ms);
}

TEST_CASE("a peer that closes without replying is an error, not a missing daemon",
          "[ctl][client]") {
  TempDir dir;
  RawListener listener(dir.file("c.sock"));
  std::thread closer([&] { ::close(::accept(listener.fd, nullptr, nullptr)); });
  ctl::CallError error;
  CHECK_FALSE(ctl::call(dir.file("c.sock"), "status", json::object(), 2000ms, error));
  closer.join();
  CHECK_FALSE(error.no_daemon);
  CHECK_THAT(error.message, Catch::Contains("closed the connection"));
}

TEST_CASE("a reply that is not a reply object is an error", "[ctl][client]") {
  TempDir dir;
  RawListener listener(dir.file("c.sock"));
  std::thread liar([&] {
    int fd = ::accept(listener.fd, nullptr, nullptr);
    const char line[] = "[\"not a reply\"]\n";
    (void)::send(fd, line, sizeof line - 1, MSG_NOSIGNAL);
    ::close(fd);
  });
  ctl::CallError error;
  CHECK_FALSE(ctl::call(dir.file("c.sock"), "status", json::object(), 2000ms, error));
  liar.join();
  CHECK_FALSE(error.no_daemon);
  CHECK_THAT(error.message, Catch::Contains("invalid reply"));
}

TEST_CASE("a request the daemon refuses before reading it all still gets the daemon's answer",
          "[ctl][client]") {
  TempDir dir;
  ctl::CommandRegistry registry;
  auto options = at(dir.file("c.sock"));
  options.max_request = 1024;
  ServerHarness server(registry, options);
  ctl::CallError error;
  // Far more than the socket buffers hold, so the server closes mid-send.
  auto reply =
      ctl::call(server.path(), "x", json{{"pad", std::string(4 << 20, 'x')}}, 5000ms, error);
  REQUIRE(reply);
  CHECK(reply->result == ctl::Result::error);
  CHECK_THAT(reply->text, Catch::StartsWith("request too large"));
}
