// teiten-sensor's file: defaults, every key's value, paths, and every kind
// of bad value located at FILE:LINE:COLUMN.
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "common/base/prefix.h"
#include "config_test_support.h"
#include "support/addresses.h"

using namespace teiten;
using teiten::test::prefix;
using namespace teiten::config;
using namespace teiten::config::test;
using namespace std::chrono_literals;
using Errors = std::vector<std::string>;

namespace {

// Errors for "  KEY: VALUE" written on line 5 of a sensor file, inside
// SECTION, so the value starts at column KEY.size() + 5. The lines around it
// keep the file otherwise valid.
Errors value_errors(const TempDir& dir, const std::string& section, const std::string& key,
                    const std::string& value) {
  const bool capture = section == "capture";
  std::string text = "sensor: {id: s01}\n";
  text += capture ? "# capture follows\n" : "capture: {interface: eth0}\n";
  text += section + ":\n";
  text += capture ? "  interface: eth0\n" : "  # the key under test\n";
  text += "  " + key + ": " + value + "\n";
  if (section == "collector") text += "  address: c.example:7450\n  ca: a\n  cert: b\n  key: c\n";
  return sensor_errors(dir.write("sensor.yaml", text));
}

}  // namespace

TEST_CASE("absent keys read as their table defaults written out", "[config]") {
  // The collector section is left out: present, it needs keys without defaults.
  std::map<std::string, std::string> sections = {{"sensor", "  id: s01\n"},
                                                 {"capture", "  interface: eth0\n"}};
  for (const auto& k : sensor_config_keys()) {
    auto dot = k.path.find('.');
    if (k.default_text.empty() || k.path.starts_with("collector.")) continue;
    sections[k.path.substr(0, dot)] += "  " + k.path.substr(dot + 1) + ": " + k.default_text + "\n";
  }
  std::string written;
  for (const auto& [name, keys] : sections) written += name + ":\n" + keys;
  TempDir dir;
  auto c = load_sensor_config(
      dir.write("sensor.yaml", "sensor:\n  id: s01\ncapture:\n  interface: eth0\n"),
      SensorMode::live);
  auto w = load_sensor_config(dir.write("written.yaml", written), SensorMode::live);
  CHECK(c.sensor == w.sensor);
  CHECK(c.capture == w.capture);
  CHECK(c.storage == w.storage);
  CHECK(c.collector == w.collector);
  CHECK_FALSE(c.collector.enabled);
  CHECK(c.control == w.control);
  CHECK(c.process == w.process);
  CHECK(c.log == w.log);
  CHECK(c.file == dir / "sensor.yaml");
}

TEST_CASE("the sensor config struct restates no default of the table", "[config]") {
  // A default written again as a member initializer is a second copy that
  // can drift; then the default-constructed struct already holds it.
  TempDir dir;
  auto loaded =
      load_sensor_config(dir.write("sensor.yaml", "sensor: {id: s01}\n"), SensorMode::read);
  std::set<std::string> differ;
  for (const auto& c : changed_keys(SensorConfig{}, loaded)) differ.insert(c.path);
  for (const auto& k : sensor_config_keys()) {
    if (k.default_text.empty() || k.default_text == "[]" || k.default_text == "false") continue;
    INFO(k.path << " defaults to " << k.default_text);
    CHECK(differ.contains(k.path));
  }
}

TEST_CASE("the defaults are the documented values", "[config]") {
  // An oracle independent of the tables: the README and the header comments.
  TempDir dir;
  auto c = load_sensor_config(dir.write("sensor.yaml", "sensor: {id: s01}\n"), SensorMode::read);
  CHECK(c.sensor.timezone == "UTC");
  CHECK(c.capture.snaplen == 256);
  CHECK(c.capture.buffer_size == 64u << 20);
  CHECK(c.capture.timeout == 100ms);
  CHECK(c.capture.observed.empty());
  CHECK(c.storage.path == "/var/lib/teiten-sensor/sensor.db");
  CHECK(c.storage.flush_interval == 60s);
  CHECK(c.storage.retention == std::chrono::hours(24 * 400));
  CHECK(c.collector.batch_rows == 20'000);
  CHECK(c.control.socket == "/run/teiten-sensor/control.sock");
  CHECK(c.log.level == "info");
}

TEST_CASE("every key is read into its field", "[config]") {
  TempDir dir;
  auto c = load_sensor_config(dir.write("sensor.yaml", yaml(R"(
sensor:
  id: tokyo-01.a_B
  timezone: Asia/Tokyo
capture:
  interface: eth1
  observed: [192.0.2.10, 198.51.100.0/24, "2001:db8::/32"]
  ignore_sources:
    - 10.0.0.0/8
  filter: not port 22
  snaplen: 65535
  buffer_size: 128MiB
  promiscuous: true
  timeout: 250ms
  address_poll: 1m
storage:
  path: /srv/teiten/sensor.db
  flush_interval: 30s
  retention: 30d
  max_rows_in_memory: 1000
collector:
  address: "[2001:db8::7]:7451"
  server_name: collector.example
  ca: /etc/teiten/ca.pem
  cert: /etc/teiten/s01.pem
  key: /etc/teiten/s01.key
  batch_rows: 1000000
  backoff_initial: 100ms
  backoff_max: 1h
  ack_timeout: 2m
control:
  socket: /tmp/teiten.sock
process:
  user: teiten
  group: adm
log:
  level: debug
)")),
                              SensorMode::live);
  CHECK(c.sensor.id == "tokyo-01.a_B");
  CHECK(c.sensor.timezone == "Asia/Tokyo");
  CHECK(c.capture.interface == "eth1");
  CHECK(c.capture.observed ==
        std::vector{prefix("192.0.2.10"), prefix("198.51.100.0/24"), prefix("2001:db8::/32")});
  CHECK(c.capture.ignore_sources == std::vector{prefix("10.0.0.0/8")});
  CHECK(c.capture.filter == "not port 22");
  CHECK(c.capture.snaplen == 65535);
  CHECK(c.capture.buffer_size == 128u << 20);
  CHECK(c.capture.promiscuous);
  CHECK(c.capture.timeout == 250ms);
  CHECK(c.capture.address_poll == 1min);
  CHECK(c.storage.path == "/srv/teiten/sensor.db");
  CHECK(c.storage.flush_interval == 30s);
  CHECK(c.storage.retention == std::chrono::hours(24 * 30));
  CHECK(c.storage.max_rows_in_memory == 1000);
  CHECK(c.collector.enabled);
  CHECK(c.collector.address == std::vector<std::string>{"[2001:db8::7]:7451"});
  CHECK(c.collector.endpoints ==
        std::vector<SensorConfig::Endpoint>{
            {"[2001:db8::7]:7451", "2001:db8::7", 7451, "collector.example"}});
  CHECK(c.collector.server_name == "collector.example");
  CHECK(c.collector.ca == "/etc/teiten/ca.pem");
  CHECK(c.collector.cert == "/etc/teiten/s01.pem");
  CHECK(c.collector.key == "/etc/teiten/s01.key");
  CHECK(c.collector.batch_rows == 1'000'000);
  CHECK(c.collector.backoff_initial == 100ms);
  CHECK(c.collector.backoff_max == 1h);
  CHECK(c.collector.ack_timeout == 2min);
  CHECK(c.control.socket == "/tmp/teiten.sock");
  CHECK(c.process.user == "teiten");
  CHECK(c.process.group == "adm");
  CHECK(c.log.level == "debug");
}

TEST_CASE("the flow-style example of the design document loads", "[config]") {
  TempDir dir;
  auto c = load_sensor_config(dir.write("etc/sensor.yaml", yaml(R"(
sensor: {id: s01, timezone: Asia/Tokyo}
capture: {interface: eth0, observed: [192.0.2.10, 198.51.100.0/24], ignore_sources: [10.0.0.0/8]}
storage: {path: /var/lib/teiten-sensor/sensor.db, flush_interval: 60s, retention: 400d}
collector: {address: "collector.example:7450", ca: ca.pem, cert: s01.pem, key: s01.key}
control: {socket: /run/teiten-sensor/control.sock}
process: {user: teiten, group: teiten}   # used only when started as root
log: {level: info}
)")),
                              SensorMode::live);
  CHECK(c.capture.observed.size() == 2);
  CHECK(c.collector.enabled);
  REQUIRE(c.collector.endpoints.size() == 1);
  CHECK(c.collector.endpoints[0].host == "collector.example");
  CHECK(c.collector.endpoints[0].port == 7450);
  CHECK(c.collector.endpoints[0].server_name == "collector.example");  // defaults to the host
  CHECK(c.collector.ca == dir / "etc/ca.pem");
}

TEST_CASE("relative paths resolve against the config file's directory", "[config]") {
  TempDir dir;
  auto c = load_sensor_config(dir.write("conf/sensor.yaml", yaml(R"(
sensor: {id: s01}
storage:
  path: data/sensor.db
collector: {address: "c.example:7450", ca: ../certs/ca.pem, cert: ./s01.pem, key: /abs/s01.key}
control:
  socket: run/control.sock
)")),
                              SensorMode::read);
  CHECK(c.storage.path == dir / "conf/data/sensor.db");
  CHECK(c.collector.ca == dir / "conf/../certs/ca.pem");  // ".." kept: symlinked dirs resolve right
  CHECK(c.collector.cert == dir / "conf/s01.pem");
  CHECK(c.collector.key == "/abs/s01.key");
  CHECK(c.control.socket == dir / "conf/run/control.sock");
}

TEST_CASE("a relative config path still yields absolute paths", "[config]") {
  TempDir dir;
  auto file = dir.write("conf/sensor.yaml", "sensor: {id: s01}\nstorage: {path: db/s.db}\n");
  auto relative = std::filesystem::relative(file).string();
  REQUIRE(std::filesystem::path(relative).is_relative());
  auto c = load_sensor_config(relative, SensorMode::read);
  CHECK(c.file == relative);
  CHECK(std::filesystem::path(c.storage.path).is_absolute());
  CHECK(std::filesystem::weakly_canonical(c.storage.path) ==
        std::filesystem::weakly_canonical(dir.path() / "conf/db/s.db"));
}

TEST_CASE("the interface is required in live mode and optional with --read", "[config]") {
  TempDir dir;
  auto file = dir.write("sensor.yaml", "sensor:\n  id: s01\ncapture:\n  snaplen: 256\n");
  CHECK(sensor_errors(file, SensorMode::live) ==
        Errors{"3:1: capture.interface: required for live capture (only --read works without it)"});
  CHECK(sensor_errors(file, SensorMode::read).empty());
  auto bare = dir.write("bare.yaml", "sensor: {id: s01}\n");
  CHECK(sensor_errors(bare, SensorMode::live) ==
        Errors{"1:1: capture.interface: required for live capture (only --read works without it)"});
}

TEST_CASE("the sensor id is required, and a missing section is reported", "[config]") {
  TempDir dir;
  CHECK(sensor_errors(dir.write("a.yaml", "capture: {interface: eth0}\n")) ==
        Errors{"1:1: sensor: required section is missing"});
  CHECK(sensor_errors(
            dir.write("b.yaml", "sensor:\n  timezone: UTC\ncapture: {interface: eth0}\n")) ==
        Errors{"1:1: sensor.id: required key is missing"});
}

TEST_CASE("a bad sensor id is located at its value", "[config]") {
  TempDir dir;
  const std::string rule = " is not a valid sensor id (1 to 64 of A-Z a-z 0-9 . _ -)";
  CHECK(sensor_errors(dir.write("a.yaml", "capture: {interface: eth0}\nsensor:\n  id: s/01\n")) ==
        Errors{"3:7: sensor.id: 's/01'" + rule});
  std::string long_id(65, 'a');
  CHECK(sensor_errors(
            dir.write("b.yaml", "sensor: {id: " + long_id + "}\ncapture: {interface: eth0}\n")) ==
        Errors{"1:14: sensor.id: '" + long_id + "'" + rule});
  CHECK(sensor_errors(dir.write("c.yaml", "sensor: {id: " + long_id.substr(1) +
                                              "}\ncapture: {interface: eth0}\n"))
            .empty());
}

TEST_CASE("an unknown time zone in a flow map is located at its value", "[config]") {
  TempDir dir;
  auto file = dir.write("sensor.yaml",
                        "sensor: {id: s01, timezone: Asia/Tokio}\ncapture: {interface: eth0}\n");
  CHECK(sensor_errors(file) == Errors{"1:29: sensor.timezone: unknown time zone 'Asia/Tokio'"});
}

TEST_CASE("bad addresses and prefixes are located at their list item", "[config]") {
  TempDir dir;
  auto file = dir.write("sensor.yaml", yaml(R"(
sensor:
  id: s01
capture:
  interface: eth0
  observed:
    - 192.0.2.10
    - 10.1.2.3/8
  ignore_sources: [10.0.0.0/8, 300.1.1.1, "2001:db8::1/16"]
)"));
  CHECK(sensor_errors(file) ==
        Errors{"7:7: capture.observed[1]: '10.1.2.3/8' has host bits set beyond /8 (did you mean "
               "10.0.0.0/8?)",
               "8:32: capture.ignore_sources[1]: '300.1.1.1' is not an IP address or prefix",
               "8:43: capture.ignore_sources[2]: '2001:db8::1/16' has host bits set beyond /16 "
               "(did you mean 2001::/16?)"});
}

TEST_CASE("a count out of range, negative, quoted or not a number is an error at its value",
          "[config]") {
  TempDir dir;
  auto snaplen = [&](const std::string& v) { return value_errors(dir, "capture", "snaplen", v); };
  CHECK(snaplen("70000") == Errors{"5:12: capture.snaplen: 70000 is out of range 68..65535"});
  CHECK(snaplen("67") == Errors{"5:12: capture.snaplen: 67 is out of range 68..65535"});
  CHECK(snaplen("-5") == Errors{"5:12: capture.snaplen: -5 is out of range 68..65535"});
  CHECK(snaplen("99999999999999999999999") ==
        Errors{"5:12: capture.snaplen: 99999999999999999999999 is out of range 68..65535"});
  CHECK(snaplen("\"256\"") ==
        Errors{"5:12: capture.snaplen: expected a whole number, found the string \"256\""});
  CHECK(snaplen("abc") == Errors{"5:12: capture.snaplen: expected a whole number, found 'abc'"});
  CHECK(snaplen("1.5") == Errors{"5:12: capture.snaplen: expected a whole number, found '1.5'"});
  CHECK(snaplen("0x100") ==
        Errors{"5:12: capture.snaplen: expected a whole number, found '0x100'"});
  CHECK(snaplen("{a: 1}") == Errors{"5:12: capture.snaplen: expected a whole number, found a map"});
  // An empty value has no text of its own: the error sits on the key.
  CHECK(snaplen("") == Errors{"5:3: capture.snaplen: expected a whole number, found nothing"});
  CHECK(snaplen("68").empty());
  CHECK(snaplen("65535").empty());
  CHECK(value_errors(dir, "storage", "max_rows_in_memory", "999") ==
        Errors{"5:23: storage.max_rows_in_memory: 999 is below the minimum 1000"});
  CHECK(value_errors(dir, "collector", "batch_rows", "0") ==
        Errors{"5:15: collector.batch_rows: 0 is out of range 1..1000000"});
}

TEST_CASE("a duration needs a unit and a range", "[config]") {
  TempDir dir;
  auto flush = [&](const std::string& v) {
    return value_errors(dir, "storage", "flush_interval", v);
  };
  const std::string unit = "expected a duration with a unit (500ms, 60s, 5m, 1h, 1d)";
  CHECK(flush("60") == Errors{"5:19: storage.flush_interval: " + unit + ", found '60'"});
  CHECK(flush("1.5s") == Errors{"5:19: storage.flush_interval: " + unit + ", found '1.5s'"});
  CHECK(flush("60 sec") == Errors{"5:19: storage.flush_interval: " + unit + ", found '60 sec'"});
  CHECK(flush("-5s") == Errors{"5:19: storage.flush_interval: -5s is out of range 1s..1h"});
  CHECK(flush("2h") == Errors{"5:19: storage.flush_interval: 2h is out of range 1s..1h"});
  CHECK(flush("500ms") == Errors{"5:19: storage.flush_interval: 500ms is out of range 1s..1h"});
  CHECK(flush("99999999999999999999d") ==
        Errors{"5:19: storage.flush_interval: 99999999999999999999d is out of range 1s..1h"});
  CHECK(flush("\"90s\"").empty());  // a quoted duration is still a duration
  CHECK(flush("1h").empty());
  CHECK(value_errors(dir, "storage", "retention", "12h") ==
        Errors{"5:14: storage.retention: 12h is below the minimum 1d"});
  CHECK(value_errors(dir, "capture", "timeout", "0ms") ==
        Errors{"5:12: capture.timeout: 0ms is out of range 1ms..10s"});
  CHECK(value_errors(dir, "capture", "address_poll", "2h") ==
        Errors{"5:17: capture.address_poll: 2h is out of range 1s..1h"});
}

TEST_CASE("a size takes a unit or plain bytes, within its range", "[config]") {
  TempDir dir;
  auto size = [&](const std::string& v) { return value_errors(dir, "capture", "buffer_size", v); };
  CHECK(size("32KiB") == Errors{"5:16: capture.buffer_size: 32KiB is out of range 64KiB..2GiB"});
  CHECK(size("3GiB") == Errors{"5:16: capture.buffer_size: 3GiB is out of range 64KiB..2GiB"});
  CHECK(size("-1MiB") == Errors{"5:16: capture.buffer_size: -1MiB is out of range 64KiB..2GiB"});
  CHECK(size("64 megs") ==
        Errors{"5:16: capture.buffer_size: expected a size (a number of bytes, or with KiB, MiB, "
               "GiB), found '64 megs'"});
  CHECK(size("1048576").empty());
  CHECK(size("2GiB").empty());
  TempDir other;
  auto c = load_sensor_config(
      other.write("s.yaml",
                  "sensor: {id: s01}\ncapture: {interface: eth0, buffer_size: 3145728}\n"),
      SensorMode::live);
  CHECK(c.capture.buffer_size == 3u << 20);
}

TEST_CASE("flags, log levels, interface names and BPF filters are checked", "[config]") {
  TempDir dir;
  CHECK(value_errors(dir, "capture", "promiscuous", "yes") ==
        Errors{"5:16: capture.promiscuous: expected true or false, found 'yes'"});
  CHECK(value_errors(dir, "capture", "promiscuous", "\"true\"") ==
        Errors{"5:16: capture.promiscuous: expected true or false, found the string \"true\""});
  CHECK(value_errors(dir, "log", "level", "verbose") ==
        Errors{"5:10: log.level: unknown log level 'verbose' (expected one of trace, debug, info, "
               "warn, error, critical, off)"});
  CHECK(value_errors(dir, "log", "level", "warn").empty());
  auto iface =
      sensor_errors(dir.write("i.yaml", "sensor: {id: s01}\ncapture:\n  interface: eth0/1\n"));
  CHECK(iface == Errors{"3:14: capture.interface: 'eth0/1' is not an interface name (1 to 15 "
                        "characters, no '/' or spaces)"});
  auto filter = value_errors(dir, "capture", "filter", "tcp port");
  REQUIRE(filter.size() == 1);
  CHECK_THAT(filter[0],
             Catch::StartsWith("5:11: capture.filter: invalid BPF expression 'tcp port': "));
  CHECK(value_errors(dir, "capture", "filter", "not port 22 and (tcp or udp)").empty());
  CHECK(value_errors(dir, "capture", "filter", "\"\"").empty());
}

TEST_CASE("a collector address needs a host and a port", "[config]") {
  TempDir dir;
  auto address = [&](const std::string& v) {
    auto file =
        dir.write("sensor.yaml",
                  "sensor: {id: s01}\ncapture: {interface: eth0}\ncollector:\n  address: " + v +
                      "\n  ca: ca.pem\n  cert: s.pem\n  key: s.key\n");
    return sensor_errors(file);
  };
  const std::string at = "4:12: collector.address: ";
  CHECK(address("collector.example") ==
        Errors{at + "'collector.example' has no port (expected host:port or [ipv6]:port)"});
  CHECK(address("2001:db8::1:7450") ==
        Errors{at +
               "'2001:db8::1:7450' needs brackets around an IPv6 address (expected [ipv6]:port)"});
  CHECK(address("c.example:0") ==
        Errors{at + "'c.example:0' has an invalid port '0' (expected 1..65535)"});
  CHECK(address("c.example:65536") ==
        Errors{at + "'c.example:65536' has an invalid port '65536' (expected 1..65535)"});
  CHECK(address("\":7450\"") ==
        Errors{at + "':7450' has no host (expected host:port or [ipv6]:port)"});
  CHECK(address("\"bad host:7450\"") ==
        Errors{at + "'bad host:7450' has an invalid host name 'bad host'"});
  CHECK(address("300.1.1.1:7450") ==
        Errors{at + "'300.1.1.1:7450' has an invalid host name '300.1.1.1'"});
  CHECK(address("\"[2001:db8::1]\"") ==
        Errors{at + "'[2001:db8::1]' has no port (expected [ipv6]:port)"});
  CHECK(address("\"[192.0.2.1]:7450\"") ==
        Errors{at + "'[192.0.2.1]:7450' has no IPv6 address inside the brackets"});
  CHECK(address("192.0.2.1:7450").empty());
}

TEST_CASE("a present collector section requires address, ca, cert and key", "[config]") {
  TempDir dir;
  auto partial = dir.write(
      "a.yaml",
      "sensor: {id: s01}\ncapture: {interface: eth0}\ncollector:\n  address: c.example:7450\n");
  CHECK(sensor_errors(partial) == Errors{"3:1: collector.ca: required key is missing",
                                         "3:1: collector.cert: required key is missing",
                                         "3:1: collector.key: required key is missing"});
  auto empty = dir.write("b.yaml", "sensor: {id: s01}\ncapture: {interface: eth0}\ncollector:\n");
  CHECK(sensor_errors(empty).size() == 4);
}

TEST_CASE("backoff_max shorter than backoff_initial is an error at backoff_max", "[config]") {
  TempDir dir;
  auto file = dir.write("sensor.yaml", yaml(R"(
sensor: {id: s01}
capture: {interface: eth0}
collector:
  address: c.example:7450
  ca: ca.pem
  cert: s01.pem
  key: s01.key
  backoff_initial: 10m
  backoff_max: 1m
)"));
  CHECK(sensor_errors(file) ==
        Errors{"9:16: collector.backoff_max: 1m is shorter than collector.backoff_initial (10m)"});
}

TEST_CASE("a wrong type is an error at the value, whatever the type", "[config]") {
  TempDir dir;
  auto file = dir.write("sensor.yaml", yaml(R"(
sensor:
  id: s01
capture:
  interface: [eth0]
  observed: 192.0.2.1
storage: /var/lib/x
log:
  level:
    nested: x
)"));
  CHECK(
      sensor_errors(file) ==
      Errors{"4:14: capture.interface: expected an interface name, found a list",
             "5:13: capture.observed: expected a list of addresses or prefixes, found '192.0.2.1'",
             "6:10: storage: expected a map with the keys path, flush_interval, retention, "
             "max_rows_in_memory, found '/var/lib/x'",
             "9:5: log.level: expected a log level (trace, debug, info, warn, error, critical, "
             "off), found a map"});
}

TEST_CASE("several errors in one file are all reported in file order", "[config]") {
  auto file = data_file("sensor_many_errors.yaml");
  const std::string capture_keys =
      "interface, observed, ignore_sources, filter, snaplen, buffer_size, promiscuous, timeout, "
      "address_poll";
  CHECK(sensor_errors(file) ==
        Errors{"3:7: sensor.id: 's 01' is not a valid sensor id (1 to 64 of A-Z a-z 0-9 . _ -)",
               "4:13: sensor.timezone: unknown time zone 'Asia/Tokio'",
               "7:26: capture.observed[1]: '10.1.2.3/8' has host bits set beyond /8 (did you mean "
               "10.0.0.0/8?)",
               "8:12: capture.snaplen: 70000 is out of range 68..65535",
               "9:3: capture.frobnicate: unknown key (allowed: " + capture_keys + ")",
               "11:19: storage.flush_interval: expected a duration with a unit (500ms, 60s, 5m, "
               "1h, 1d), found '60'",
               "12:14: storage.retention: -1d is below the minimum 1d",
               "13:22: collector.address: 'collector.example' has no port (expected host:port or "
               "[ipv6]:port)",
               "13:117: collector.backoff_max: 1m is shorter than collector.backoff_initial (10m)",
               "15:10: log.level: unknown log level 'loud' (expected one of trace, debug, info, "
               "warn, error, critical, off)"});
}

TEST_CASE("collector.address takes a list of collectors in order of preference", "[config]") {
  TempDir dir;
  const std::string head = "sensor: {id: s01}\n";
  const std::string tls = "  ca: ca.pem\n  cert: s01.pem\n  key: s01.key\n";
  auto c = load_sensor_config(
      dir.write("list.yaml", head + "collector:\n  address: [\"b.example:7450\", "
                                    "\"[2001:db8::1]:7451\", \"a.example:7450\"]\n" + tls),
      SensorMode::read);
  CHECK(c.collector.address ==
        std::vector<std::string>{"b.example:7450", "[2001:db8::1]:7451", "a.example:7450"});
  REQUIRE(c.collector.endpoints.size() == 3);
  CHECK(c.collector.endpoints[1] ==
        SensorConfig::Endpoint{"[2001:db8::1]:7451", "2001:db8::1", 7451, "2001:db8::1"});
  CHECK(c.collector.endpoints[2].server_name == "a.example");  // each its own host
  // server_name, when set, is the name every collector's certificate carries.
  auto named = load_sensor_config(
      dir.write("named.yaml", head + "collector:\n  address: [a.example:1, b.example:2]\n"
                                     "  server_name: collectors.example\n" + tls),
      SensorMode::read);
  for (const auto& e : named.collector.endpoints) CHECK(e.server_name == "collectors.example");
  // Each item is checked where it is written; an empty list and repeats are mistakes.
  CHECK(sensor_errors(dir.write("bad.yaml", head + "collector:\n  address:\n    - a.example:1\n"
                                                   "    - b.example\n    - a.example:1\n" + tls),
                      SensorMode::read) ==
        Errors{"5:7: collector.address[1]: 'b.example' has no port (expected host:port or "
               "[ipv6]:port)",
               "6:7: collector.address[2]: duplicate address 'a.example:1' (first at line 4)"});
  CHECK(sensor_errors(dir.write("empty.yaml", head + "collector:\n  address: []\n" + tls),
                      SensorMode::read) ==
        Errors{"3:12: collector.address: the list is empty; name at least one address"});
}
