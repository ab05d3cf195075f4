// The control protocol as a client sees it: framing, errors, limits,
// timeouts, and many clients at once, against a real ControlServer.
#include "common/ctl/control_server.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <mutex>

#include "common/process/worker_thread.h"
#include "ctl/ctl_harness.h"
#include "support/temp_dir.h"

using namespace teiten;
using namespace std::chrono_literals;
using ctl::Reply;
using nlohmann::json;
using test::RawConnection;
using test::ServerHarness;
using test::TempDir;

namespace {

/// The registry every test here talks to: synchronous and asynchronous
/// commands, one that never answers, one whose answers the test releases.
struct TestCommands {
  ctl::CommandRegistry registry;
  process::WorkerThread worker;  ///< "another thread" for asynchronous answers
  std::mutex held_mutex;
  std::vector<ctl::Respond> held;  ///< answers the test gives by hand

  TestCommands() {
    registry.add_sync("echo", "returns its arguments", ctl::kAnyArguments,
                      [](const json& a) { return Reply::ok("echo", a); });
    registry.add("later", "answers from a worker thread after delay_ms", ctl::kAnyArguments,
                 [this](const json& a, ctl::Respond respond) {
                   int delay = a.value("delay_ms", 20);
                   json copy = a;
                   worker.post([delay, copy, respond] {
                     std::this_thread::sleep_for(std::chrono::milliseconds(delay));
                     respond(Reply::ok("later", copy));
                   });
                 });
    registry.add("never", "never answers", [](const json&, ctl::Respond) {});
    registry.add("hold", "answers when the test says", [this](const json&, ctl::Respond r) {
      std::lock_guard lock(held_mutex);
      held.push_back(std::move(r));
    });
  }
  size_t held_count() {
    std::lock_guard lock(held_mutex);
    return held.size();
  }
};

/// A server with the test commands in a fresh directory; `idle` is also
/// the answer deadline.
struct Served {
  TempDir dir;
  TestCommands commands;
  ServerHarness server;

  explicit Served(std::chrono::milliseconds idle = 5000ms)
      : server(commands.registry, options(dir, idle)) {}
  static ctl::ControlServerOptions options(const TempDir& dir, std::chrono::milliseconds idle) {
    ctl::ControlServerOptions o;
    o.path = dir.file("control.sock");
    o.idle_timeout = idle;
    return o;
  }
};

/// Short timeouts, for the tests that wait for them.
struct ServedQuickly : Served {
  ServedQuickly() : Served(300ms) {}
};

}  // namespace

TEST_CASE_METHOD(Served, "list-commands over the socket lists the registered commands",
                 "[ctl][server]") {
  RawConnection c(server.path());
  json reply = c.request(R"({"command": "list-commands"})");
  CHECK(reply["result"] == 0);
  CHECK(reply["arguments"]["commands"].size() == 5);
  CHECK(reply["arguments"]["commands"][0] ==
        json{{"name", "echo"}, {"help", "returns its arguments"}});
}

TEST_CASE_METHOD(Served, "a synchronous command is answered on one line with its arguments",
                 "[ctl][server]") {
  RawConnection c(server.path());
  REQUIRE(c.send(R"({"command": "echo", "arguments": {"limit": 20, "by": "sources"}})"
                 "\n"));
  auto line = c.read_line();
  REQUIRE(line);
  // Key order on the wire is result, text, arguments (docs/control-protocol.md).
  CHECK(*line == R"({"result":0,"text":"echo","arguments":{"by":"sources","limit":20}})");
  // arguments may be left out.
  CHECK(c.request(R"({"command": "echo"})")["arguments"] == json::object());
}

TEST_CASE_METHOD(Served,
                 "an asynchronous command answered later from another thread reaches the client",
                 "[ctl][server]") {
  RawConnection c(server.path());
  json reply = c.request(R"({"command": "later", "arguments": {"delay_ms": 100, "id": 7}})");
  CHECK(reply["result"] == 0);
  CHECK(reply["text"] == "later");
  CHECK(reply["arguments"]["id"] == 7);
}

TEST_CASE_METHOD(Served, "an unknown command is answered with result 2", "[ctl][server]") {
  RawConnection c(server.path());
  json reply = c.request(R"({"command": "sttaus"})");
  CHECK(reply["result"] == 2);
  CHECK(reply["text"] == "unknown command 'sttaus' (try list-commands)");
}

TEST_CASE_METHOD(
    Served, "a request of 64 KiB + 1 bytes without a newline is refused and the connection closed",
    "[ctl][server]") {
  RawConnection c(server.path());
  REQUIRE(c.send(std::string(64 * 1024 + 1, ' ')));
  auto line = c.read_line();
  REQUIRE(line);
  json reply = json::parse(*line);
  CHECK(reply["result"] == 1);
  CHECK(reply["text"].get<std::string>().rfind("request too large", 0) == 0);
  CHECK(c.closed_by_peer());
  CHECK(test::eventually([&] { return server.clients() == 0; }));
}

TEST_CASE_METHOD(Served, "a request line of exactly 64 KiB is served, one byte more is too large",
                 "[ctl][server]") {
  auto request_of_size = [](size_t size) {
    std::string head = R"({"command": "echo", "arguments": {"pad": ")";
    std::string tail = "\"}}";
    return head + std::string(size - head.size() - tail.size(), 'x') + tail;
  };
  RawConnection fits(server.path());
  CHECK(fits.request(request_of_size(64 * 1024))["result"] == 0);
  RawConnection over(server.path());
  REQUIRE(over.send(request_of_size(64 * 1024 + 1) + "\n"));
  auto line = over.read_line();
  REQUIRE(line);
  CHECK(json::parse(*line)["text"].get<std::string>().rfind("request too large", 0) == 0);
  CHECK(over.closed_by_peer());
}

TEST_CASE_METHOD(
    Served, "a malformed request is answered result 1 and the connection still serves the next",
    "[ctl][server]") {
  RawConnection c(server.path());
  struct Case {
    std::string line, text;
  };
  for (const auto& [line, text] : std::vector<Case>{
           {"{not json", "invalid request: not JSON"},
           {"[1, 2]", "invalid request: expected a JSON object"},
           {R"({"arguments": {}})", "invalid request: \"command\" must be a non-empty string"},
           {R"({"command": 5})", "invalid request: \"command\" must be a non-empty string"},
           {R"({"command": "echo", "arguments": [1]})",
            "invalid request: \"arguments\" must be an object"},
       }) {
    CAPTURE(line);
    json reply = c.request(line);
    CHECK(reply["result"] == 1);
    CHECK(reply["text"].get<std::string>().rfind(text, 0) == 0);
  }
  CHECK(c.request(R"({"command": "echo", "arguments": {"ok": true}})")["arguments"]["ok"] == true);
}

TEST_CASE_METHOD(Served,
                 "a request nested 30,000 levels deep is refused and does not crash the server",
                 "[ctl][server]") {
  RawConnection c(server.path());
  const int depth = 30'000;  // fits in 64 KiB; copying it recursively would overflow the stack
  json reply = c.request(R"({"command": "echo", "arguments": {"a": )" + std::string(depth, '[') +
                         std::string(depth, ']') + "}}");
  CHECK(reply["result"] == 1);
  CHECK(reply["text"] == "invalid request: nested deeper than 32 levels");
  CHECK(c.request(R"({"command": "echo"})")["result"] == 0);
}

TEST_CASE_METHOD(Served, "blank lines and CRLF endings are tolerated", "[ctl][server]") {
  RawConnection c(server.path());
  REQUIRE(c.send("\n  \r\n{\"command\": \"echo\"}\r\n"));
  auto line = c.read_line();
  REQUIRE(line);
  CHECK(json::parse(*line)["result"] == 0);
  CHECK_FALSE(c.read_line(100ms));  // the blank lines got no reply of their own
}

TEST_CASE_METHOD(Served, "a last request without a newline is answered when the client half-closes",
                 "[ctl][server]") {
  RawConnection c(server.path());
  REQUIRE(c.send(R"({"command": "echo", "arguments": {"n": 1}})"));
  c.shutdown_write();
  auto line = c.read_line();
  REQUIRE(line);
  CHECK(json::parse(*line)["arguments"]["n"] == 1);
  CHECK(c.closed_by_peer());
}

TEST_CASE_METHOD(ServedQuickly, "a client idle past the idle timeout is told so and closed",
                 "[ctl][server]") {
  RawConnection c(server.path());
  // A partial request is not activity: only a complete line resets the clock.
  auto start = std::chrono::steady_clock::now();
  REQUIRE(c.send(R"({"command": "ec)"));
  auto line = c.read_line(3000ms);
  auto elapsed = std::chrono::steady_clock::now() - start;
  REQUIRE(line);
  CHECK(json::parse(*line)["text"] == "idle timeout: no complete request within 300ms");
  CHECK(c.closed_by_peer());
  CHECK(elapsed >= 250ms);
  CHECK(elapsed < 2000ms);
  CHECK(test::eventually([&] { return server.clients() == 0; }));
}

TEST_CASE_METHOD(ServedQuickly, "a client that keeps sending requests is not idle",
                 "[ctl][server]") {
  RawConnection c(server.path());
  for (int i = 0; i < 5; ++i) {
    std::this_thread::sleep_for(150ms);
    CHECK(c.request(R"({"command": "echo"})")["result"] == 0);
  }
}

TEST_CASE_METHOD(
    ServedQuickly,
    "a handler that never answers is answered 'timed out' and the connection stays usable",
    "[ctl][server]") {
  RawConnection c(server.path());
  auto start = std::chrono::steady_clock::now();
  json reply = c.request(R"({"command": "never"})");
  CHECK(std::chrono::steady_clock::now() - start >= 250ms);
  CHECK(reply["result"] == 1);
  CHECK(reply["text"] ==
        "command 'never' timed out: no answer within 300ms (it may still complete)");
  CHECK(c.request(R"({"command": "echo", "arguments": {"after": 1}})")["arguments"]["after"] == 1);
}

TEST_CASE_METHOD(ServedQuickly,
                 "an answer that comes after the deadline is dropped, not taken for the next reply",
                 "[ctl][server]") {
  RawConnection c(server.path());
  CHECK(c.request(R"({"command": "hold"})")["text"].get<std::string>().find("timed out") !=
        std::string::npos);
  // The next request is in flight when the late answer arrives.
  REQUIRE(c.send(R"({"command": "later", "arguments": {"delay_ms": 150, "id": 2}})"
                 "\n"));
  REQUIRE(commands.held_count() == 1);
  std::this_thread::sleep_for(30ms);  // usually lets "later" be in flight first
  commands.held[0](Reply::ok("late"));
  auto line = c.read_line();
  REQUIRE(line);
  CHECK(json::parse(*line)["arguments"]["id"] == 2);
  CHECK_FALSE(c.read_line(200ms));
}

TEST_CASE_METHOD(Served,
                 "pipelined requests on one connection are answered in order, slow ones included",
                 "[ctl][server]") {
  RawConnection c(server.path());
  REQUIRE(c.send(R"({"command": "later", "arguments": {"delay_ms": 150, "id": 1}})"
                 "\n"
                 R"({"command": "echo", "arguments": {"id": 2}})"
                 "\n"
                 R"({"command": "nope"})"
                 "\n"
                 R"({"command": "later", "arguments": {"delay_ms": 0, "id": 4}})"
                 "\n"));
  std::vector<json> replies;
  for (int i = 0; i < 4; ++i) {
    auto line = c.read_line();
    REQUIRE(line);
    replies.push_back(json::parse(*line));
  }
  CHECK(replies[0]["arguments"]["id"] == 1);
  CHECK(replies[1]["arguments"]["id"] == 2);
  CHECK(replies[2]["result"] == 2);
  CHECK(replies[3]["arguments"]["id"] == 4);
}

TEST_CASE_METHOD(
    Served, "20 concurrent clients with several requests each are all served while one is stuck",
    "[ctl][server]") {
  // The stuck client: connected first, half a request, never a newline.
  RawConnection stuck(server.path());
  REQUIRE(stuck.send(R"({"command": "echo", "argu)"));
  REQUIRE(test::eventually([&] { return server.clients() == 1; }));

  constexpr int kClients = 20;
  constexpr int kRequests = 8;
  std::atomic<int> correct{0};
  auto talk = [&](int client) {
    RawConnection c(server.path());
    // Half sent one at a time, half pipelined in one write.
    std::string batch;
    for (int i = 0; i < kRequests; ++i) {
      json request{{"command", i % 2 ? "later" : "echo"},
                   {"arguments", {{"client", client}, {"i", i}, {"delay_ms", (client + i) % 7}}}};
      if (i < kRequests / 2) {
        json reply = c.request(request.dump());
        if (reply["arguments"]["client"] == client && reply["arguments"]["i"] == i) ++correct;
      } else {
        batch += request.dump() + "\n";
      }
    }
    if (!c.send(batch)) return;
    for (int i = kRequests / 2; i < kRequests; ++i) {
      auto line = c.read_line();
      if (!line) return;
      json reply = json::parse(*line);
      if (reply["arguments"]["client"] == client && reply["arguments"]["i"] == i) ++correct;
    }
  };
  std::vector<std::thread> threads;
  auto start = std::chrono::steady_clock::now();
  for (int client = 0; client < kClients; ++client) {
    threads.emplace_back([&talk, client] {
      try {
        talk(client);
      } catch (const std::exception&) {
        // a failed client shows up as missing answers below
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(correct == kClients * kRequests);
  // Served long before the stuck client's idle timeout could have freed anything.
  CHECK(std::chrono::steady_clock::now() - start < 4000ms);
  CHECK(server.clients() >= 1);  // the stuck one is still connected
  CHECK_FALSE(stuck.closed_by_peer(10ms));
}
