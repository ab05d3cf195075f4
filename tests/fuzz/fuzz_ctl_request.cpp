// Fuzz target: the control socket's request handling (common/ctl): a real
// ControlServer on a Unix socket, sent the input as one client's byte
// stream. What is exercised is what runs in both daemons: the session's
// line splitting and size limit, parse_request, the registry's dispatch
// and encode_reply_line.
//
// Input: the bytes a client writes before closing its side.
// Properties, for any bytes:
// - the server answers each request line with exactly one reply, in
//   order, and stops after a line over the size limit (answered with an
//   error); blank lines get no answer (docs/control-protocol.md);
// - every reply is one JSON object {"result": 0..3, "text": string,
//   "arguments": object} on its own line;
// - each reply is the one parse_request's verdict calls for: result 1 for
//   an invalid request, 2 for an unknown command, and the `echo` command
//   returns the request's arguments unchanged;
// - the server neither crashes nor stops answering later clients.
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <thread>
#include <vector>

#include "common/ctl/control_server.h"
#include "common/process/logging.h"
#include "fuzz/fuzz_support.h"

namespace {

using namespace teiten;
namespace fs = std::filesystem;
using nlohmann::json;

// Small, so inputs of a few KiB reach the limit.
constexpr size_t kMaxRequest = 512;

struct Server {
  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard{
      boost::asio::make_work_guard(io)};
  ctl::CommandRegistry registry;
  std::unique_ptr<ctl::ControlServer> server;
  std::thread thread;
  fs::path dir;
};

Server* server = nullptr;

void stop_server() {
  boost::asio::post(server->io, [] { server->server->stop(); });
  server->guard.reset();
  server->thread.join();
}

bool blank(std::string_view s) {
  return s.find_first_not_of(" \t\r") == std::string_view::npos;
}

// What the server must answer, line by line, from the protocol alone.
struct Expected {
  enum Kind { invalid, unknown, echo, listed, too_large } kind;
  json arguments;
};

std::vector<Expected> expected_replies(std::string_view stream) {
  std::vector<Expected> out;
  while (!stream.empty()) {
    size_t nl = stream.find('\n');
    std::string_view line = stream.substr(0, nl);
    stream = nl == std::string_view::npos ? std::string_view() : stream.substr(nl + 1);
    if (line.size() > kMaxRequest) {
      out.push_back({Expected::too_large, {}});
      break;
    }
    if (blank(line)) continue;
    ctl::Request r = ctl::parse_request(std::string(line));
    if (!r.error.empty())
      out.push_back({Expected::invalid, {}});
    else if (r.command == "echo")
      out.push_back({Expected::echo, r.arguments});
    else if (r.command == "list-commands")
      out.push_back({Expected::listed, {}});
    else
      out.push_back({Expected::unknown, {}});
  }
  return out;
}

// libFuzzer's timeout alarm interrupts system calls now and then: each
// call here is retried on EINTR, as a real client's would be.
template <class Call>
auto retrying(Call call) {
  for (;;) {
    auto r = call();
    if (r >= 0 || errno != EINTR) return r;
  }
}

std::string exchange(std::string_view request) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) fuzz::broken("socket() failed");
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::string path = server->server->path();
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  if (retrying([&] { return ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr); }) != 0)
    fuzz::broken(std::string("the server no longer accepts clients: ") + std::strerror(errno));
  // A server that closes early (a request too large) may leave part unsent.
  for (size_t at = 0; at < request.size();) {
    ssize_t n = retrying(
        [&] { return ::send(fd, request.data() + at, request.size() - at, MSG_NOSIGNAL); });
    if (n <= 0) break;
    at += static_cast<size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  std::string replies;
  char buffer[65536];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (retrying([&] { return ::poll(&p, 1, 10'000); }) != 1)
      fuzz::broken("no answer and no close within 10 s");
    ssize_t n = retrying([&] { return ::read(fd, buffer, sizeof buffer); });
    if (n < 0) fuzz::broken(std::string("reading the replies failed: ") + std::strerror(errno));
    if (n == 0) break;
    replies.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return replies;
}

void check_reply(const json& reply, const Expected& want, size_t index) {
  std::string where = "reply " + std::to_string(index) + " " + reply.dump();
  if (!reply.is_object() || reply.size() != 3 || !reply.contains("result") ||
      !reply["result"].is_number_integer() || !reply.contains("text") ||
      !reply["text"].is_string() || !reply.contains("arguments") ||
      !reply["arguments"].is_object())
    fuzz::broken("not a reply object: " + where);
  int result = reply["result"].get<int>();
  int want_result = want.kind == Expected::echo || want.kind == Expected::listed ? 0
                    : want.kind == Expected::unknown                              ? 2
                                                                                  : 1;
  if (result != want_result)
    fuzz::broken("result " + std::to_string(result) + " where " + std::to_string(want_result) +
                 " was due: " + where);
  if (want.kind == Expected::echo && reply["arguments"] != want.arguments)
    fuzz::broken("echo changed the arguments: " + where);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  process::set_log_level("off");
  server = new Server;
  server->dir = fuzz::run_directory("ctl");
  server->registry.add_sync("echo", "returns its arguments", [](const json& arguments) {
    return ctl::Reply::ok("echo", nlohmann::ordered_json(arguments));
  });
  ctl::ControlServerOptions options{(server->dir / "control.sock").string()};
  options.max_request = kMaxRequest;
  server->server = std::make_unique<ctl::ControlServer>(server->io, server->registry, options);
  server->server->start();
  server->thread = std::thread([] { server->io.run(); });
  std::atexit(stop_server);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view request = fuzz::bytes_of(data, size);
  std::vector<Expected> want = expected_replies(request);
  std::string replies = exchange(request);
  size_t index = 0;
  std::string_view rest = replies;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    if (nl == std::string_view::npos) fuzz::broken("a reply without its newline: " + replies);
    json reply = json::parse(rest.substr(0, nl), nullptr, false);
    if (reply.is_discarded()) fuzz::broken("a reply that is not JSON: " + replies);
    if (index >= want.size())
      fuzz::broken("more replies than requests (" + std::to_string(want.size()) + "): " + replies);
    check_reply(reply, want[index], index);
    ++index;
    rest.remove_prefix(nl + 1);
  }
  if (index != want.size())
    fuzz::broken(std::to_string(index) + " replies to " + std::to_string(want.size()) +
                 " requests: " + replies);
  return 0;
}
