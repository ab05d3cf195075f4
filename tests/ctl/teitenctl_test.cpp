// teitenctl: its argument parser and exit codes as functions, then the
// real binary against an in-process ControlServer.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "ctl/ctl_harness.h"
#include "daemon/ctl/invocation.h"
#include "support/temp_dir.h"

using namespace teiten;
using namespace std::chrono_literals;
using ctl::Reply;
using nlohmann::json;
using Json = nlohmann::ordered_json;
using test::ServerHarness;
using test::TempDir;

TEST_CASE("key=value words become arguments: numbers and booleans typed, the rest strings",
          "[ctl][teitenctl]") {
  auto args = teitenctl::parse_arguments({"limit=20", "by=sources", "verbose=true", "ratio=0.5",
                                          "port=0443", "offset=-5", "empty=", "expr=a=b",
                                          "nothing=null", "huge=123456789012345678901234"});
  CHECK(args.dump() ==
        R"({"limit":20,"by":"sources","verbose":true,"ratio":0.5,"port":"0443","offset":-5,)"
        R"("empty":"","expr":"a=b","nothing":"null","huge":"123456789012345678901234"})");
  CHECK(teitenctl::parse_arguments({}) == Json::object());
}

TEST_CASE("a word that is not key=value is a usage error naming it", "[ctl][teitenctl]") {
  CHECK_THROWS_WITH(teitenctl::parse_arguments({"limit"}), "argument 'limit' is not KEY=VALUE");
  CHECK_THROWS_WITH(teitenctl::parse_arguments({"=5"}), Catch::Contains("empty key"));
  CHECK_THROWS_WITH(teitenctl::parse_arguments({"a=1", "a=2"}), "argument 'a' given twice");
}

TEST_CASE("results map to the exit codes of docs/control-protocol.md", "[ctl][teitenctl]") {
  CHECK(teitenctl::exit_code_for(0) == 0);
  CHECK(teitenctl::exit_code_for(3) == 0);
  CHECK(teitenctl::exit_code_for(1) == 1);
  CHECK(teitenctl::exit_code_for(2) == 2);
  CHECK(teitenctl::exit_code_for(9) == 1);
}

TEST_CASE("the socket is the sensor's unless --collector or -s says otherwise",
          "[ctl][teitenctl]") {
  teitenctl::Invocation inv;
  CHECK(teitenctl::socket_path(inv) == "/run/teiten-sensor/control.sock");
  inv.collector = true;
  CHECK(teitenctl::socket_path(inv) == "/run/teiten-collector/control.sock");
  inv.socket = "/tmp/x.sock";
  CHECK(teitenctl::socket_path(inv) == "/tmp/x.sock");
}

namespace {

struct Outcome {
  int status = -1;
  std::string out, err;
};

std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

/// Runs the built teitenctl with `args`; stderr goes through a file so
/// stdout and stderr are checked apart.
Outcome teitenctl_run(const TempDir& dir, const std::vector<std::string>& args) {
  std::string command = quoted(TEITENCTL_BINARY);
  for (const auto& a : args) command += " " + quoted(a);
  const std::string err_file = dir.file("stderr.txt");
  command += " 2>" + quoted(err_file);
  Outcome o;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe);
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) o.out.append(buf, n);
  int status = ::pclose(pipe);
  o.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err_file);
  std::stringstream ss;
  ss << in.rdbuf();
  o.err = ss.str();
  return o;
}

struct CtlFixture {
  TempDir dir;
  ctl::CommandRegistry registry;
  std::unique_ptr<ServerHarness> server;

  CtlFixture() {
    registry.add_sync("status", "", [](const json&) {
      return Reply::ok("sensor s01 running",
                       {{"sensor", "s01"},
                        {"ports", json::array({{{"port", 22}, {"accesses", 1234}},
                                               {{"port", 445}, {"accesses", 7}}})}});
    });
    registry.add_sync("echo", "", ctl::kAnyArguments, [](const json& a) { return Reply::ok("", a); });
    registry.add_sync("broken", "",
                      [](const json&) -> Reply { throw std::runtime_error("database is locked"); });
    registry.add_sync("nothing", "", [](const json&) {
      return Reply{ctl::Result::empty, "no data yet", json::object()};
    });
    registry.add("never", "", [](const json&, ctl::Respond) {});
    ctl::ControlServerOptions o;
    o.path = dir.file("control.sock");
    server = std::make_unique<ServerHarness>(registry, o);
  }
  Outcome run(std::vector<std::string> args) {
    args.insert(args.begin(), {"-s", server->path()});
    return teitenctl_run(dir, args);
  }
};

}  // namespace

TEST_CASE_METHOD(CtlFixture, "teitenctl prints the text and rendered arguments, exit 0",
                 "[ctl][teitenctl][e2e]") {
  auto o = run({"status"});
  CHECK(o.status == 0);
  CHECK(o.err.empty());
  // Fields keep the order the daemon wrote them in.
  CHECK(o.out ==
        "sensor s01 running\n"
        "sensor: s01\n"
        "ports:\n"
        "  accesses  port\n"
        "      1234    22\n"
        "         7   445\n");
}

TEST_CASE_METHOD(CtlFixture, "teitenctl --json prints the raw reply as valid JSON",
                 "[ctl][teitenctl][e2e]") {
  auto o = run({"echo", "limit=20", "by=sources", "--json"});
  CHECK(o.status == 0);
  json reply = json::parse(o.out);
  CHECK(reply["result"] == 0);
  CHECK(reply["arguments"] == json{{"limit", 20}, {"by", "sources"}});
  CHECK(o.out.find("\n  \"result\": 0") != std::string::npos);  // pretty-printed
}

TEST_CASE_METHOD(CtlFixture, "teitenctl exits 0 for an empty result", "[ctl][teitenctl][e2e]") {
  auto o = run({"nothing"});
  CHECK(o.status == 0);
  CHECK(o.out == "no data yet\n");
}

TEST_CASE_METHOD(CtlFixture, "teitenctl exits 1 for an error and says it on stderr",
                 "[ctl][teitenctl][e2e]") {
  auto o = run({"broken"});
  CHECK(o.status == 1);
  CHECK(o.out.empty());
  CHECK(o.err == "teitenctl: broken: database is locked\n");
  auto j = run({"--json", "broken"});
  CHECK(j.status == 1);
  CHECK(json::parse(j.out)["result"] == 1);
}

TEST_CASE_METHOD(CtlFixture, "teitenctl exits 2 for an unknown command", "[ctl][teitenctl][e2e]") {
  auto o = run({"sttaus"});
  CHECK(o.status == 2);
  CHECK(o.err == "teitenctl: unknown command 'sttaus' (try list-commands)\n");
}

TEST_CASE_METHOD(CtlFixture, "teitenctl exits 3 when no daemon answers in time",
                 "[ctl][teitenctl][e2e]") {
  auto o = run({"--timeout", "0.3", "never"});
  CHECK(o.status == 3);
  CHECK(o.err.rfind("teitenctl: no reply from ", 0) == 0);
}

TEST_CASE("teitenctl exits 3 when the socket does not exist", "[ctl][teitenctl][e2e]") {
  TempDir dir;
  auto o = teitenctl_run(dir, {"-s", dir.file("absent.sock"), "status"});
  CHECK(o.status == 3);
  CHECK(o.err.rfind("teitenctl: no daemon answers on " + dir.file("absent.sock"), 0) == 0);
}

TEST_CASE("teitenctl usage errors exit 1 with a teitenctl: message", "[ctl][teitenctl][e2e]") {
  TempDir dir;
  auto missing = teitenctl_run(dir, {});
  CHECK(missing.status == 1);
  CHECK(missing.err.rfind("teitenctl: ", 0) == 0);
  auto bad_arg = teitenctl_run(dir, {"-s", dir.file("x.sock"), "top", "limit"});
  CHECK(bad_arg.status == 1);
  CHECK(bad_arg.err == "teitenctl: argument 'limit' is not KEY=VALUE\n");
}
