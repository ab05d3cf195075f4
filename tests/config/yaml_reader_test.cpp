// File-level behavior shared by both loaders (exercised through the sensor
// loader): unreadable files, YAML syntax, document shape, key names.
#include <catch2/catch.hpp>

#include "common/config/yaml_reader.h"
#include "config_test_support.h"

using namespace teiten::config;
using namespace teiten::config::test;
using Errors = std::vector<std::string>;

namespace {

const char* const sections_text =
    "sensor, capture, storage, collector, control, metrics, process, log";

}  // namespace

TEST_CASE("a missing file is one error without a position naming the file and the OS reason",
          "[config]") {
  TempDir dir;
  const std::string file = dir / "absent.yaml";
  try {
    load_sensor_config(file, SensorMode::live);
    FAIL("loaded a file that does not exist");
  } catch (const ConfigErrors& e) {
    REQUIRE(e.errors().size() == 1);
    CHECK(e.errors()[0].line == 0);
    CHECK(e.errors()[0].to_string() ==
          file + ": cannot read the configuration: No such file or directory");
  }
}

TEST_CASE("a directory given as the config file is reported with the OS reason", "[config]") {
  TempDir dir;
  CHECK(sensor_errors(dir.path().string()) ==
        Errors{"cannot read the configuration: Is a directory"});
}

TEST_CASE("a YAML syntax error stops at the first error and is located", "[config]") {
  TempDir dir;
  // Line 5 would be a semantic error; a syntax error ends the run first.
  auto file = dir.write("sensor.yaml", yaml(R"(
sensor:
  id: s01
   timezone: UTC
capture:
  snaplen: 70000
)"));
  CHECK(sensor_errors(file) == Errors{"3:12: YAML syntax error: illegal map value"});
}

TEST_CASE("an unclosed flow map and a tab in indentation are syntax errors with a position",
          "[config]") {
  TempDir dir;
  CHECK(sensor_errors(dir.write("a.yaml", "sensor: {id: s01\ncapture: x\n")) ==
        Errors{"2:8: YAML syntax error: end of map flow not found"});
  CHECK(sensor_errors(dir.write("b.yaml", "sensor: s01\n\tlog: x\n")) ==
        Errors{"2:1: YAML syntax error: illegal tab when looking for indentation"});
}

TEST_CASE("a syntax error prints as FILE:LINE:COLUMN", "[config]") {
  TempDir dir;
  auto file = dir.write("sensor.yaml", "sensor: {id: s01\ncapture: x\n");
  try {
    load_sensor_config(file, SensorMode::live);
    FAIL("loaded invalid YAML");
  } catch (const ConfigErrors& e) {
    CHECK(std::string(e.what()) == file + ":2:8: YAML syntax error: end of map flow not found");
  }
}

TEST_CASE("a stray comma where a document starts is a syntax error, not an endless loop",
          "[config]") {
  // yaml-cpp 0.7 alone reads such a file as empty (Load) or never returns (LoadAll).
  TempDir dir;
  CHECK(sensor_errors(dir.write("a.yaml", ",\n")) ==
        Errors{"1:1: YAML syntax error: unexpected ','"});
  CHECK(sensor_errors(dir.write("b.yaml", "# settings\n, sensor: {id: s01}\n")) ==
        Errors{"2:1: YAML syntax error: unexpected ','"});
  // In a second document it is that document which is the error.
  CHECK(sensor_errors(
            dir.write("c.yaml", "sensor: {id: s01}\ncapture: {interface: eth0}\n---\n,\n")) ==
        Errors{"3:1: only one YAML document is allowed; remove the '---' and what follows"});
}

TEST_CASE("an empty file or one of only comments holds no settings", "[config]") {
  TempDir dir;
  const std::string expected =
      std::string("holds no settings (expected a map with the sections ") + sections_text + ")";
  CHECK(sensor_errors(dir.write("empty.yaml", "")) == Errors{expected});
  CHECK(sensor_errors(dir.write("comments.yaml", "# nothing here\n\n# yet\n")) == Errors{expected});
  CHECK(sensor_errors(dir.write("null.yaml", "~\n")) == Errors{expected});
}

TEST_CASE("a document that is not a map is an error at its start", "[config]") {
  TempDir dir;
  CHECK(sensor_errors(dir.write("list.yaml", "- sensor\n- capture\n")) ==
        Errors{std::string("1:1: expected a map with the sections ") + sections_text +
               ", found a list"});
  CHECK(sensor_errors(dir.write("scalar.yaml", "\n  just text\n")) ==
        Errors{std::string("2:3: expected a map with the sections ") + sections_text +
               ", found 'just text'"});
}

TEST_CASE("a second YAML document is an error at its '---'", "[config]") {
  TempDir dir;
  auto file = dir.write("sensor.yaml", yaml(R"(
sensor: {id: s01}
capture: {interface: eth0}
---
sensor: {id: s02}
)"));
  CHECK(sensor_errors(file) ==
        Errors{"3:1: only one YAML document is allowed; remove the '---' and what follows"});
}

TEST_CASE("a duplicate key is an error at the second key naming the first one's line", "[config]") {
  TempDir dir;
  auto block = dir.write("block.yaml", yaml(R"(
sensor:
  id: s01
  timezone: UTC
  id: s02
capture:
  interface: eth0
capture:
  interface: eth1
)"));
  CHECK(sensor_errors(block) == Errors{"4:3: sensor.id: duplicate key (first at line 2)",
                                       "7:1: capture: duplicate key (first at line 5)"});
  auto flow = dir.write("flow.yaml", "sensor: {id: s01, id: s02}\ncapture: {interface: eth0}\n");
  CHECK(sensor_errors(flow) == Errors{"1:19: sensor.id: duplicate key (first at line 1)"});
}

TEST_CASE("a duplicate key's value is not read, so it adds no error of its own", "[config]") {
  TempDir dir;
  auto file =
      dir.write("sensor.yaml", "sensor: {id: s01, id: \"bad id\"}\ncapture: {interface: eth0}\n");
  CHECK(sensor_errors(file) == Errors{"1:19: sensor.id: duplicate key (first at line 1)"});
}

TEST_CASE("an unknown section is located at its key and lists the allowed sections", "[config]") {
  TempDir dir;
  auto file = dir.write("sensor.yaml", yaml(R"(
sensor: {id: s01}
capture: {interface: eth0}
frobnicate:
  a: 1
colector: {address: "c.example:7450"}
)"));
  CHECK(sensor_errors(file) ==
        Errors{std::string("3:1: frobnicate: unknown section (allowed: ") + sections_text + ")",
               std::string("5:1: colector: unknown section (allowed: ") + sections_text +
                   "); did you mean 'collector'?"});
}

TEST_CASE("an unknown nested key is located at its own line and column", "[config]") {
  TempDir dir;
  auto file = dir.write("sensor.yaml", yaml(R"(
sensor:
  id: s01
capture:
  interface: eth0
  frobnicate: 1
  snaplenn: 256
log: {level: info, colour: true}
)"));
  const std::string capture_keys =
      "interface, observed, ignore_sources, filter, snaplen, buffer_size, promiscuous, timeout, "
      "address_poll";
  CHECK(sensor_errors(file) ==
        Errors{"5:3: capture.frobnicate: unknown key (allowed: " + capture_keys + ")",
               "6:3: capture.snaplenn: unknown key (allowed: " + capture_keys +
                   "); did you mean 'snaplen'?",
               "7:20: log.colour: unknown key (allowed: level)"});
}

TEST_CASE("a map inside a list item is located at the item", "[config]") {
  TempDir dir;
  auto file = dir.write("sensor.yaml", yaml(R"(
sensor: {id: s01}
capture:
  interface: eth0
  observed:
    - 192.0.2.0/24
    - {address: 192.0.2.1}
)"));
  CHECK(sensor_errors(file) ==
        Errors{"6:7: capture.observed[1]: expected an address or prefix, found a map"});
}

TEST_CASE("a key that is not a plain name is an error", "[config]") {
  TempDir dir;
  auto file = dir.write("sensor.yaml", yaml(R"(
sensor: {id: s01}
capture: {interface: eth0}
? [a, b]
: c
)"));
  CHECK(sensor_errors(file) == Errors{"3:3: section names must be plain names, found a list"});
}

TEST_CASE("ConfigError prints FILE:LINE:COLUMN, or FILE: without a position", "[config]") {
  CHECK(ConfigError{"s.yaml", 3, 7, "capture.snaplen: bad"}.to_string() ==
        "s.yaml:3:7: capture.snaplen: bad");
  CHECK(ConfigError{"s.yaml", 0, 0, "cannot read"}.to_string() == "s.yaml: cannot read");
  ConfigErrors all({{"a.yaml", 1, 2, "x"}, {"a.yaml", 0, 0, "y"}});
  CHECK(std::string(all.what()) == "a.yaml:1:2: x\na.yaml: y");
  CHECK(all.errors().size() == 2);
}

TEST_CASE("SourceMarks::error_at uses the key's position, then its nearest written parent",
          "[config]") {
  SourceMarks marks;
  marks.file = "s.yaml";
  marks.positions = {{"capture", {3, 1}},
                     {"capture.interface", {4, 3}},
                     {"capture.observed", {5, 3}},
                     {"capture.observed[0]", {6, 7}}};
  auto at = [&](const std::string& path) {
    auto e = marks.error_at(path, "problem");
    CHECK(e.file == "s.yaml");
    return located(e);
  };
  CHECK(at("capture.interface") == "4:3: capture.interface: problem");
  CHECK(at("capture.observed[0]") == "6:7: capture.observed[0]: problem");
  CHECK(at("capture.observed[2]") == "5:3: capture.observed[2]: problem");
  CHECK(at("capture.snaplen") == "3:1: capture.snaplen: problem");
  CHECK(at("log.level") == "1:1: log.level: problem");  // nothing written: the file's start
}

TEST_CASE("loading records the position of every written key, section and list item", "[config]") {
  TempDir dir;
  auto file = dir.write("sensor.yaml", yaml(R"(
sensor: {id: s01, timezone: UTC}
capture:
  interface: eth0
  observed: [192.0.2.1, 192.0.2.2]
)"));
  auto c = load_sensor_config(file, SensorMode::live);
  using P = std::pair<int, int>;
  const auto& pos = c.marks.positions;
  CHECK(c.marks.file == file);
  CHECK(pos.at("sensor") == P{1, 1});
  CHECK(pos.at("sensor.id") == P{1, 10});
  CHECK(pos.at("sensor.timezone") == P{1, 19});
  CHECK(pos.at("capture") == P{2, 1});
  CHECK(pos.at("capture.interface") == P{3, 3});
  CHECK(pos.at("capture.observed") == P{4, 3});
  CHECK(pos.at("capture.observed[1]") == P{4, 25});
  CHECK_FALSE(pos.contains("capture.snaplen"));  // a default was never written
}

TEST_CASE("a number key reads decimals in its range and refuses quoted or other text",
          "[config]") {
  using namespace teiten::config::detail;
  TempDir dir;
  YamlReader r(dir.write("n.yaml", "a: 0.25\nb: 2\nc: \"1\"\nd: nan\ne: 1.5\nf: -1\ng: [1, 2]\n"));
  const Spec share{Kind::number, {}, 0, 1};
  auto read = [&](const char* key) { return r.read(key, share, r.root()[key], r.root()[key].Mark()); };
  CHECK(std::get<double>(*read("a")) == 0.25);
  CHECK_FALSE(read("b"));
  CHECK_FALSE(read("c"));
  CHECK_FALSE(read("d"));
  CHECK_FALSE(read("e"));
  CHECK_FALSE(read("f"));
  // A node key keeps any value, composite ones included, for the loader's own rules.
  const auto node = r.read("g", Spec{Kind::node}, r.root()["g"], r.root()["g"].Mark());
  CHECK(std::get<YAML::Node>(*node).size() == 2);
  try {
    r.throw_if_errors();
    FAIL("no errors");
  } catch (const ConfigErrors& e) {
    std::vector<std::string> got;
    for (const auto& error : e.errors())
      got.push_back(std::to_string(error.line) + ":" + std::to_string(error.column) + ": " +
                    error.message);
    CHECK(got == Errors{"2:4: b: 2 is out of range 0..1",
                        "3:4: c: expected a number, found the string \"1\"",
                        "4:4: d: expected a number, found 'nan'",
                        "5:4: e: 1.5 is out of range 0..1", "6:4: f: -1 is out of range 0..1"});
  }
}

TEST_CASE("a missing section or key of a missing section is located at 1:1, not bare FILE",
          "[config]") {
  TempDir dir;
  const std::string file = dir.write("a.yaml", "capture: {interface: eth0}\n");
  try {
    load_sensor_config(file, SensorMode::live);
    FAIL("loaded without the sensor section");
  } catch (const ConfigErrors& e) {
    REQUIRE(e.errors().size() == 1);
    CHECK(e.errors()[0].to_string() == file + ":1:1: sensor: required section is missing");
  }
}

TEST_CASE("only the first 100 errors are shown, then how many more there were", "[config]") {
  TempDir dir;
  std::string text = "sensor: {id: s01}\ncapture:\n  interface: eth0\n  observed:\n";
  for (int i = 0; i < 1234; ++i) text += "    - 10.0." + std::to_string(i) + "/99\n";
  const std::string file = dir.write("many.yaml", text);
  try {
    load_sensor_config(file, SensorMode::live);
    FAIL("loaded 1234 bad prefixes");
  } catch (const ConfigErrors& e) {
    CHECK(e.errors().size() == 1234);  // all found, so the count is right
    auto lines = shown_errors(e.errors());
    REQUIRE(lines.size() == 101);
    CHECK(lines[0].starts_with(file + ":5:7: capture.observed[0]: "));
    CHECK(lines[99].starts_with(file + ":104:7: capture.observed[99]: "));
    CHECK(lines[100] == file + ": and 1134 more errors");
    // what() is what a reload logs: the same lines.
    CHECK(std::string(e.what()).ends_with("\n" + file + ": and 1134 more errors"));
  }
}

TEST_CASE("a file of more values than any configuration needs is refused before it is built",
          "[config]") {
  TempDir dir;
  // 70,000 list entries, about 1 MB: refused at the first value past 65,536
  // (the sensor and capture maps and their keys come first).
  std::string text = "sensor: {id: s01}\ncapture:\n  interface: eth0\n  observed:\n";
  for (int i = 0; i < 70000; ++i) text += "    - 10.0.0.1\n";
  CHECK(sensor_errors(dir.write("huge.yaml", text)) ==
        Errors{"65530:7: more than 65536 values; a configuration this large is a mistake"});
  // Just under the bound loads.
  std::string fits = "sensor: {id: s01}\ncapture:\n  interface: eth0\n  observed:\n";
  for (int i = 0; i < 65000; ++i) fits += "    - 10.0.0.1\n";
  CHECK(sensor_errors(dir.write("fits.yaml", fits)).empty());
}
