// The daemon shell: the standard commands every daemon gets, the status
// header, and the reload plumbing that compares through the config tables.
// A small daemon with a real collector configuration file stands in for
// the real ones (their end-to-end tests are in tests/integration).
#include "common/ctl/daemon_shell.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "common/config/collector_config.h"
#include "support/temp_dir.h"

using namespace teiten;
using ctl::Reply;
using ctl::Result;
using nlohmann::json;

namespace {

enum class TestCounter : size_t { uptime_seconds, things, count };

const process::CounterTable<TestCounter>& test_counters() {
  static const process::CounterTable<TestCounter> table(
      "teiten_test",
      {{TestCounter::uptime_seconds, {"uptime_seconds", process::CounterType::gauge, "seconds up"}},
       {TestCounter::things, {"things", process::CounterType::counter, "things"}}});
  return table;
}

const char* const base_config =
    "listen: {address: 127.0.0.1:7450, ca: ca.pem, cert: c.pem, key: c.key}\n"
    "sensors: [s01]\n";

class TestDaemon : public ctl::ConfiguredShell<config::CollectorConfig> {
 public:
  explicit TestDaemon(const std::string& path)
      : ConfiguredShell({"teiten-test", "test", "9.9.9", path, false}, test_counters()) {}

  void start() {
    config_ = std::make_shared<const config::CollectorConfig>(load_config());
    begin();
  }
  using DaemonShell::write_metrics;
  std::vector<Reply> command(const std::string& name) {
    std::vector<Reply> replies;
    registry_.dispatch(name, json::object(), [&](Reply r) { replies.push_back(std::move(r)); });
    return replies;
  }
  const config::CollectorConfig& running() const { return *config_; }
  json header() const { return status_header(); }

  std::vector<config::ConfigError> problems;
  int reloads = 0;
  std::vector<std::string> old_sensors, next_sensors;

 private:
  config::CollectorConfig load_config() const override {
    return config::load_collector_config(identity().config_path);
  }
  std::vector<config::ConfigError> check_config(const config::CollectorConfig&) const override {
    return problems;
  }
  int serve() override { return 0; }
  void reloaded(const config::CollectorConfig& old, const config::CollectorConfig& next) override {
    ++reloads;
    old_sensors = old.sensors;
    next_sensors = next.sensors;
  }
  std::vector<process::CounterValue> counter_values() const override {
    return {process::CounterValue(int64_t{3}), process::CounterValue(uint64_t{42})};
  }
  std::string status_line() const override { return "testing"; }
  nlohmann::ordered_json library_versions() const override { return {{"libtest", "1.0"}}; }
};

void write(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

// A TestDaemon started on base_config, written to `path` in a directory of
// its own (a case rewrites it to reload).
struct StartedDaemon {
  teiten::test::TempDir dir;
  std::string path = dir.write("collector.yaml", base_config);
  TestDaemon daemon{path};
  StartedDaemon() { daemon.start(); }
};

}  // namespace

TEST_CASE_METHOD(StartedDaemon,
                 "every daemon gets version, stats, config-test and config-reload from the shell",
                 "[ctl]") {
  auto list = daemon.command("list-commands");
  REQUIRE(list.size() == 1);
  CHECK(list[0].text ==
        "6 commands: config-reload, config-test, list-commands, metrics, stats, version");

  auto version = daemon.command("version")[0];
  CHECK(version.text == "teiten-test 9.9.9");
  CHECK(version.arguments["version"] == "9.9.9");
  CHECK(version.arguments["libtest"] == "1.0");
  CHECK(version.arguments["openssl"].get<std::string>().starts_with("OpenSSL"));

  auto stats = daemon.command("stats")[0];
  CHECK(stats.arguments == nlohmann::ordered_json::parse(R"({"counters": [
      {"name": "uptime_seconds", "type": "gauge", "value": 3, "help": "seconds up"},
      {"name": "things", "type": "counter", "value": 42, "help": "things"}]})"));
  CHECK(daemon.command("config-test")[0].result == Result::ok);

  auto metrics = daemon.command("metrics")[0];
  CHECK(metrics.text ==
        "# HELP teiten_test_uptime_seconds seconds up\n"
        "# TYPE teiten_test_uptime_seconds gauge\n"
        "teiten_test_uptime_seconds 3\n"
        "# HELP teiten_test_things_total things\n"
        "# TYPE teiten_test_things_total counter\n"
        "teiten_test_things_total 42\n");
  CHECK(metrics.arguments.empty());
}

TEST_CASE("the metrics textfile holds what `metrics` shows and follows a reload", "[ctl]") {
  teiten::test::TempDir dir;
  auto path =
      dir.write("collector.yaml", std::string(base_config) + "metrics: {textfile: a.prom}\n");
  TestDaemon daemon(path);
  daemon.start();
  daemon.write_metrics();
  auto read = [](const std::string& file) {
    std::ifstream in(file);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  CHECK(read(dir / "a.prom") == daemon.command("metrics")[0].text);
  write(path, std::string(base_config) + "metrics: {textfile: sub/b.prom}\n");
  CHECK(daemon.command("config-reload")[0].arguments["applied"] == json{"metrics.textfile"});
  daemon.write_metrics();  // the file's own directory is made, like the database's
  CHECK(read(dir / "sub/b.prom") == daemon.command("metrics")[0].text);
}

TEST_CASE_METHOD(StartedDaemon,
                 "the status header names the version, pid, uptime and running configuration",
                 "[ctl]") {
  auto h = daemon.header();
  CHECK(h["version"] == "9.9.9");
  CHECK(h["pid"] == ::getpid());
  CHECK(h["uptime_seconds"].get<int64_t>() >= 0);
  CHECK(h["config"]["file"] == path);
  CHECK(h["config"]["sha256"].get<std::string>().size() == 64);
  CHECK(h["config"]["seconds_since_reload"].get<int64_t>() >= 0);
}

TEST_CASE_METHOD(
    StartedDaemon,
    "a reload reports each changed key as applied or needing a restart, from the tables", "[ctl]") {
  auto hash = daemon.header()["config"]["sha256"];
  write(path,
        "listen: {address: 127.0.0.1:7451, ca: ca.pem, cert: c.pem, key: c.key,"
        " max_connections: 7}\nsensors: [s01, s02]\n");
  auto reply = daemon.command("config-reload")[0];
  CHECK(reply.result == Result::ok);
  CHECK(reply.arguments["applied"] == json{"listen.max_connections", "sensors"});
  CHECK(reply.arguments["restart_required"] == json{"listen.address"});
  CHECK(reply.text ==
        "configuration reloaded; applied: listen.max_connections, sensors; restart needed for: "
        "listen.address");
  CHECK(daemon.reloads == 1);
  CHECK(daemon.old_sensors == std::vector<std::string>{"s01"});
  CHECK(daemon.next_sensors == std::vector<std::string>{"s01", "s02"});
  CHECK(daemon.running().listen.max_connections == 7);
  CHECK(daemon.running().listen.port == 7450);  // a restart key keeps its running value
  CHECK(daemon.header()["config"]["sha256"] != hash);
}

TEST_CASE_METHOD(StartedDaemon,
                 "a reload of a bad file, or one whose files fail the check, keeps the running one",
                 "[ctl]") {
  write(path, "listen: {address: nowhere}\nsensors: [s01, s02]\n");
  auto bad = daemon.command("config-reload")[0];
  CHECK(bad.result == Result::error);
  CHECK(bad.text == "configuration invalid; the running one is kept");
  CHECK_FALSE(bad.arguments["errors"].empty());
  CHECK(daemon.command("config-test")[0].result == Result::error);

  write(path, std::string(base_config) + "fleet: {timezone: Asia/Tokyo}\n");
  daemon.problems = {{path, 1, 1, "listen.ca: no such file"}};
  auto refused = daemon.command("config-reload")[0];
  CHECK(refused.result == Result::error);
  CHECK(refused.text == "configuration refers to missing or bad files; the running one is kept");
  CHECK(daemon.reloads == 0);
  CHECK(daemon.running().fleet.timezone == "UTC");
}
