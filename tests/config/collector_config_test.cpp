// teiten-collector's file: defaults, every key, the sensor allowlist, and
// bad values located at FILE:LINE:COLUMN.
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "config_test_support.h"

using namespace teiten::config;
using namespace teiten::config::test;
using namespace std::chrono_literals;
using Errors = std::vector<std::string>;

namespace {

const std::string minimal =
    "listen:\n  ca: ca.pem\n  cert: collector.pem\n  key: collector.key\nsensors: [s01, s02]\n";

}  // namespace

TEST_CASE("collector keys left out read as their table defaults written out", "[config]") {
  TempDir dir;
  auto c = load_collector_config(dir.write("collector.yaml", minimal));
  // Every default written out reads the same.
  std::map<std::string, std::string> sections = {
      {"listen", "  ca: ca.pem\n  cert: collector.pem\n  key: collector.key\n"}};
  for (const auto& k : collector_config_keys()) {
    auto dot = k.path.find('.');
    if (k.default_text.empty() || dot == std::string::npos) continue;
    sections[k.path.substr(0, dot)] += "  " + k.path.substr(dot + 1) + ": " + k.default_text + "\n";
  }
  std::string written = "sensors: [s01, s02]\n";
  for (const auto& [name, keys] : sections) written += name + ":\n" + keys;
  auto w = load_collector_config(dir.write("written.yaml", written));
  CHECK(c.listen == w.listen);
  CHECK(c.listen.host == "0.0.0.0");
  CHECK(c.listen.port == 7450);
  CHECK(c.listen.ca == dir / "ca.pem");
  CHECK(c.sensors == std::vector<std::string>{"s01", "s02"});
  CHECK(c.fleet == w.fleet);
  CHECK(c.storage == w.storage);
  CHECK(c.control == w.control);
  CHECK(c.process == w.process);
  CHECK(c.log == w.log);
  // The collector struct restates no default of the table (a second copy that can drift).
  std::set<std::string> differ;
  for (const auto& change : changed_keys(CollectorConfig{}, c)) differ.insert(change.path);
  for (const auto& k : collector_config_keys()) {
    INFO(k.path);
    if (!k.default_text.empty()) CHECK(differ.contains(k.path));
  }
  // Independent of the tables: the values the README and the header promise.
  CHECK(c.listen.idle_timeout == 120s);
  CHECK(c.listen.max_frame == 16u << 20);
  CHECK(c.fleet.timezone == "UTC");
  CHECK(c.storage.path == "/var/lib/teiten-collector/collector.db");
  CHECK(c.control.socket == "/run/teiten-collector/control.sock");
}

TEST_CASE("every collector key is read into its field", "[config]") {
  TempDir dir;
  auto c = load_collector_config(dir.write("etc/collector.yaml", yaml(R"(
listen:
  address: "[::]:7451"
  ca: /etc/teiten/ca.pem
  cert: tls/collector.pem
  key: tls/collector.key
  idle_timeout: 5m
  handshake_timeout: 3s
  max_frame: 1KiB
  max_connections: 100000
sensors:
  - s01
  - tokyo-02
fleet: {timezone: Asia/Tokyo}
storage: {path: db/collector.db}
control: {socket: /run/c.sock}
process: {user: teiten, group: teiten}
log: {level: critical}
)")));
  CHECK(c.listen.address == "[::]:7451");
  CHECK(c.listen.host == "::");
  CHECK(c.listen.port == 7451);
  CHECK(c.listen.ca == "/etc/teiten/ca.pem");
  CHECK(c.listen.cert == dir / "etc/tls/collector.pem");
  CHECK(c.listen.key == dir / "etc/tls/collector.key");
  CHECK(c.listen.idle_timeout == 5min);
  CHECK(c.listen.handshake_timeout == 3s);
  CHECK(c.listen.max_frame == 1024);
  CHECK(c.listen.max_connections == 100000);
  CHECK(c.sensors == std::vector<std::string>{"s01", "tokyo-02"});
  CHECK(c.fleet.timezone == "Asia/Tokyo");
  CHECK(c.storage.path == dir / "etc/db/collector.db");
  CHECK(c.control.socket == "/run/c.sock");
  CHECK(c.process.user == "teiten");
  CHECK(c.log.level == "critical");
  CHECK(c.marks.positions.at("sensors[1]") == std::pair{12, 5});
}

TEST_CASE("the allowlist rejects duplicates, bad ids and items that are not ids", "[config]") {
  TempDir dir;
  auto file = dir.write("collector.yaml", yaml(R"(
listen: {ca: ca.pem, cert: c.pem, key: c.key}
sensors:
  - s01
  - s02
  - s01
  - "bad id"
  - [s03]
)"));
  CHECK(collector_errors(file) ==
        Errors{"5:5: sensors[2]: duplicate sensor 's01' (first at line 3)",
               "6:5: sensors[3]: 'bad id' is not a valid sensor id (1 to 64 of A-Z a-z 0-9 . _ -)",
               "7:5: sensors[4]: expected a sensor id, found a list"});
}

TEST_CASE("the allowlist must be a non-empty list and is required", "[config]") {
  TempDir dir;
  const std::string listen = "listen: {ca: ca.pem, cert: c.pem, key: c.key}\n";
  CHECK(collector_errors(dir.write("a.yaml", listen + "sensors: []\n")) ==
        Errors{"2:10: sensors: the list is empty; name every sensor allowed to connect"});
  CHECK(collector_errors(dir.write("b.yaml", listen + "sensors: s01\n")) ==
        Errors{"2:10: sensors: expected a list of sensor ids, found 's01'"});
  CHECK(collector_errors(dir.write("c.yaml", listen + "sensors:\n")) ==
        Errors{"2:1: sensors: expected a list of sensor ids, found nothing"});
  CHECK(collector_errors(dir.write("d.yaml", listen)) ==
        Errors{"1:1: sensors: required section is missing"});
}

TEST_CASE("listen requires its TLS files and the section itself", "[config]") {
  TempDir dir;
  CHECK(
      collector_errors(dir.write("a.yaml", "listen: {address: \"[::]:7450\"}\nsensors: [s01]\n")) ==
      Errors{"1:1: listen.ca: required key is missing", "1:1: listen.cert: required key is missing",
             "1:1: listen.key: required key is missing"});
  CHECK(collector_errors(dir.write("b.yaml", "sensors: [s01]\n")) ==
        Errors{"1:1: listen: required section is missing"});
}

TEST_CASE("bad collector values are all reported at their values in file order", "[config]") {
  TempDir dir;
  auto file = dir.write("collector.yaml", yaml(R"(
listen:
  address: 0.0.0.0
  ca: ca.pem
  cert: c.pem
  key: c.key
  max_frame: 512MiB
  max_connections: 0
  idle_timeout: 0s
  handshake_timeout: 2h
sensors: [s01]
fleet: {timezone: Mars/Olympus}
storage: {path: ""}
sensor: {id: s01}
)"));
  CHECK(collector_errors(file) ==
        Errors{"2:12: listen.address: '0.0.0.0' has no port (expected host:port or [ipv6]:port)",
               "6:14: listen.max_frame: 512MiB is out of range 1KiB..256MiB",
               "7:20: listen.max_connections: 0 is out of range 1..100000",
               "8:17: listen.idle_timeout: 0s is out of range 1s..1h",
               "9:22: listen.handshake_timeout: 2h is out of range 1s..1h",
               "11:19: fleet.timezone: unknown time zone 'Mars/Olympus'",
               "12:17: storage.path: expected a path, found an empty string",
               "13:1: sensor: unknown section (allowed: listen, sensors, fleet, storage, control, "
               "metrics, "
               "process, log); did you mean 'sensors'?"});
}

TEST_CASE("the collector's many-errors fixture reports every error in file order", "[config]") {
  CHECK(
      collector_errors(data_file("collector_many_errors.yaml")) ==
      Errors{"4:12: listen.address: '2001:db8::1:7450' needs brackets around an IPv6 address "
             "(expected [ipv6]:port)",
             "5:3: listen.cert: duplicate key (first at line 3)",
             "8:14: listen.max_frame: expected a size (a number of bytes, or with KiB, MiB, GiB), "
             "found a list",
             "11:5: sensors[1]: duplicate sensor 's01' (first at line 10)",
             "13:3: fleet.zone: unknown key (allowed: timezone)",
             "15:10: log.level: unknown log level 'chatty' (expected one of trace, debug, info, "
             "warn, error, critical, off)"});
}

TEST_CASE("frame_memory smaller than max_frame is an error at frame_memory's value", "[config]") {
  TempDir dir;
  auto file = dir.write("collector.yaml", yaml(R"(
listen:
  address: 0.0.0.0:7450
  ca: ca.pem
  cert: c.pem
  key: c.key
  max_frame: 32MiB
  frame_memory: 16MiB
sensors: [s01]
)"));
  CHECK(collector_errors(file) ==
        Errors{"7:17: listen.frame_memory: 16MiB is less than listen.max_frame (32MiB)"});
}

TEST_CASE("storage names exactly one backend: an SQLite path or a PostgreSQL database",
          "[config]") {
  TempDir dir;
  const std::string head = "listen: {ca: ca.pem, cert: c.pem, key: c.key}\nsensors: [s01]\n";
  auto pg = load_collector_config(dir.write(
      "pg.yaml", head + "storage:\n  postgres: \"host=/run/postgresql dbname=teiten\"\n"
                        "  password_file: secret/pgpass\n"));
  CHECK(pg.storage.postgres == "host=/run/postgresql dbname=teiten");
  CHECK(pg.storage.password_file == dir / "secret/pgpass");
  CHECK(pg.storage.path.empty());  // not the SQLite default: that backend is not used
  CHECK(collector_errors(dir.write(
            "both.yaml", head + "storage: {path: c.db, postgres: \"dbname=teiten\"}\n")) ==
        Errors{"3:33: storage.postgres: exactly one of storage.path (SQLite) and "
               "storage.postgres may be set"});
  CHECK(collector_errors(dir.write("empty.yaml", head + "storage: {postgres: \"\"}\n")) ==
        Errors{"3:21: storage.postgres: is empty (expected a libpq connection string or "
               "postgresql:// URI)"});
  CHECK(collector_errors(dir.write("pwfile.yaml", head + "storage: {password_file: pw}\n")) ==
        Errors{"3:26: storage.password_file: is only for storage.postgres"});
  // Changing the backend waits for a restart, like the path.
  auto sqlite = load_collector_config(dir.write("sqlite.yaml", head));
  for (const auto& change : changed_keys(sqlite, pg)) {
    INFO(change.path);
    CHECK(change.reload == Reload::restart);
  }
}
