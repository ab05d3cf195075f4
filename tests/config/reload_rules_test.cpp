// Reload rules come from the key tables: every key has one, a reload
// compares every key through the table, and a reloaded configuration takes
// exactly the hot keys.
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "config_test_support.h"

using namespace teiten::config;
using namespace teiten::config::test;
using namespace std::chrono_literals;

namespace {

// Two sensor files that differ in every key the loader knows. A key added
// to the tables and not to both of these makes the comparison test fail.
const char* const sensor_a = R"(
sensor: {id: s01, timezone: UTC}
capture:
  interface: eth0
  observed: [192.0.2.10]
  ignore_sources: [10.0.0.0/8]
  filter: tcp
  snaplen: 256
  buffer_size: 64MiB
  promiscuous: false
  timeout: 100ms
  address_poll: 5s
storage: {path: a.db, flush_interval: 60s, retention: 400d, max_rows_in_memory: 4000000}
collector:
  address: a.example:7450
  server_name: a.example
  ca: a-ca.pem
  cert: a.pem
  key: a.key
  batch_rows: 20000
  backoff_initial: 1s
  backoff_max: 5m
  ack_timeout: 60s
control: {socket: a.sock}
metrics: {textfile: a.prom}
process: {user: a, group: a}
log: {level: info}
)";

const char* const sensor_b = R"(
sensor: {id: s02, timezone: Asia/Tokyo}
capture:
  interface: eth1
  observed: [192.0.2.11]
  ignore_sources: [10.0.0.0/16]
  filter: udp
  snaplen: 300
  buffer_size: 32MiB
  promiscuous: true
  timeout: 200ms
  address_poll: 6s
storage: {path: b.db, flush_interval: 30s, retention: 30d, max_rows_in_memory: 2000}
collector:
  address: b.example:7451
  server_name: b.example
  ca: b-ca.pem
  cert: b.pem
  key: b.key
  batch_rows: 10
  backoff_initial: 2s
  backoff_max: 6m
  ack_timeout: 61s
control: {socket: b.sock}
metrics: {textfile: b.prom}
process: {user: b, group: b}
log: {level: debug}
)";

const char* const collector_a = R"(
listen:
  address: 0.0.0.0:7450
  ca: a-ca.pem
  cert: a.pem
  key: a.key
  idle_timeout: 120s
  handshake_timeout: 10s
  max_frame: 16MiB
  max_connections: 1024
  max_unauthenticated: 256
  max_unauthenticated_per_address: 8
  frame_memory: 256MiB
sensors: [s01]
fleet: {timezone: UTC}
storage: {path: a.db}
control: {socket: a.sock}
metrics: {textfile: a.prom}
process: {user: a, group: a}
log: {level: info}
)";

const char* const collector_b = R"(
listen:
  address: 127.0.0.1:7451
  ca: b-ca.pem
  cert: b.pem
  key: b.key
  idle_timeout: 121s
  handshake_timeout: 11s
  max_frame: 1MiB
  max_connections: 10
  max_unauthenticated: 5
  max_unauthenticated_per_address: 2
  frame_memory: 8MiB
sensors: [s01, s02]
fleet: {timezone: Asia/Tokyo}
storage: {path: b.db}
control: {socket: b.sock}
metrics: {textfile: b.prom}
process: {user: b, group: b}
log: {level: debug}
)";

std::map<std::string, Reload> rules(const std::vector<KeyInfo>& keys) {
  std::map<std::string, Reload> out;
  for (const auto& k : keys) out[k.path] = k.reload;
  return out;
}

// Every key the tables know, changed between two files, is reported once
// with the rule its row gives.
void check_every_key_compared(const std::vector<KeyInfo>& keys,
                              const std::vector<KeyChange>& changes) {
  auto want = rules(keys);
  std::map<std::string, Reload> got;
  for (const auto& c : changes) {
    INFO(c.path);
    CHECK(got.emplace(c.path, c.reload).second);  // once
  }
  CHECK(got == want);
}

}  // namespace

TEST_CASE("every key of both configuration files has a reload rule", "[config]") {
  for (const auto& keys : {sensor_config_keys(), collector_config_keys()})
    for (const auto& k : keys) {
      INFO(k.path);
      CHECK(k.reload != Reload::unset);
    }
}

TEST_CASE("the reload rules operators rely on", "[config]") {
  auto sensor = rules(sensor_config_keys());
  CHECK(sensor.at("storage.flush_interval") == Reload::hot);
  CHECK(sensor.at("capture.observed") == Reload::hot);
  CHECK(sensor.at("log.level") == Reload::hot);
  CHECK(sensor.at("capture.snaplen") == Reload::restart);
  CHECK(sensor.at("capture.interface") == Reload::restart);
  CHECK(sensor.at("collector.address") == Reload::restart);
  auto collector = rules(collector_config_keys());
  CHECK(collector.at("sensors") == Reload::hot);
  CHECK(collector.at("listen.max_connections") == Reload::hot);
  CHECK(collector.at("listen.address") == Reload::restart);
  CHECK(collector.at("fleet.timezone") == Reload::restart);
}

TEST_CASE("a sensor reload compares every key through the table", "[config]") {
  TempDir dir;
  auto a = load_sensor_config(dir.write("a.yaml", yaml(sensor_a)), SensorMode::live);
  auto b = load_sensor_config(dir.write("b.yaml", yaml(sensor_b)), SensorMode::live);
  check_every_key_compared(sensor_config_keys(), changed_keys(a, b));
  CHECK(changed_keys(a, a).empty());
}

TEST_CASE("a collector reload compares every key through the table", "[config]") {
  TempDir dir;
  auto a = load_collector_config(dir.write("a.yaml", yaml(collector_a)));
  auto b = load_collector_config(dir.write("b.yaml", yaml(collector_b)));
  // storage's backends exclude each other: PostgreSQL's keys in a second pair.
  auto keys = collector_config_keys();
  std::erase_if(keys, [](const KeyInfo& k) {
    return k.path == "storage.postgres" || k.path == "storage.password_file";
  });
  check_every_key_compared(keys, changed_keys(a, b));
  CHECK(changed_keys(b, b).empty());
  auto on_pg = [&](const std::string& name, const std::string& db) {
    std::string text = yaml(collector_a);
    text.replace(text.find("storage: {path: a.db}"), 21,
                 "storage: {postgres: \"dbname=" + db + "\", password_file: " + db + ".pw}");
    return load_collector_config(dir.write(name, text));
  };
  std::vector<KeyChange> want = {{"storage.postgres", Reload::restart},
                                 {"storage.password_file", Reload::restart}};
  CHECK(changed_keys(on_pg("pa.yaml", "a"), on_pg("pb.yaml", "b")) == want);
}

TEST_CASE("a reloaded sensor configuration takes the hot keys and keeps the others", "[config]") {
  TempDir dir;
  auto a = load_sensor_config(dir.write("a.yaml", yaml(sensor_a)), SensorMode::live);
  auto b = load_sensor_config(dir.write("b.yaml", yaml(sensor_b)), SensorMode::live);
  auto next = with_hot_keys(a, b);
  CHECK(next.storage.flush_interval == 30s);
  CHECK(next.storage.max_rows_in_memory == 2000);
  CHECK(next.capture.observed == b.capture.observed);
  CHECK(next.log.level == "debug");
  CHECK(next.capture.snaplen == 256);
  CHECK(next.sensor == a.sensor);
  CHECK(next.collector == a.collector);  // derived fields (host, port) stay with their keys
  CHECK(next.file == b.file);
  // What is left to differ is exactly the restart keys.
  for (const auto& c : changed_keys(next, b)) {
    INFO(c.path);
    CHECK(c.reload == Reload::restart);
  }
  CHECK(changed_keys(a, next).size() + changed_keys(next, b).size() == changed_keys(a, b).size());
}

TEST_CASE("a reloaded collector configuration takes the allowlist and limits only", "[config]") {
  TempDir dir;
  auto a = load_collector_config(dir.write("a.yaml", yaml(collector_a)));
  auto b = load_collector_config(dir.write("b.yaml", yaml(collector_b)));
  auto next = with_hot_keys(a, b);
  CHECK(next.sensors == b.sensors);
  CHECK(next.listen.max_connections == 10);
  CHECK(next.listen.max_frame == 1u << 20);
  CHECK(next.listen.address == a.listen.address);
  CHECK(next.listen.port == 7450);
  CHECK(next.fleet.timezone == "UTC");
}
