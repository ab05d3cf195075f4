// config/sensor.yaml and config/collector.yaml: they load, they pass `-t`
// once their certificates exist, and they document every key with the
// default the loader really applies.
#include <net/if.h>

#include <catch2/catch.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "config_test_support.h"

using namespace teiten::config;
using namespace teiten::config::test;
using Errors = std::vector<std::string>;

namespace {

// A line of an example that names a key: "section:" at column 0, or
// "  key: value" inside a section, either one possibly commented out as
// "#key: value". Prose comments have a space after '#', so they never match.
struct Documented {
  std::string path;
  bool commented = false;
  std::string value;
  int line = 0;
};

std::vector<Documented> documented(const std::string& text) {
  static const std::regex section_line(R"(^(#?)([a-z_]+):\s*(.*?)\s*$)");
  static const std::regex key_line(R"(^\s+(#?)([a-z_]+):\s*(.*?)\s*$)");
  std::vector<Documented> out;
  std::istringstream in(text);
  std::string line, section;
  for (int n = 1; std::getline(in, line); ++n) {
    std::smatch m;
    if (std::regex_match(line, m, section_line)) {
      section = m[2];
      out.push_back({section, m[1].length() > 0, m[3], n});
    } else if (std::regex_match(line, m, key_line)) {
      out.push_back({section + "." + m[2].str(), m[1].length() > 0, m[3], n});
    }
  }
  return out;
}

void check_documents_every_key(const std::string& example, const std::vector<KeyInfo>& keys) {
  auto lines = documented(read_file(example));
  std::set<std::string> known;
  for (const auto& k : keys) {
    known.insert(k.path);
    known.insert(k.path.substr(0, k.path.find('.')));
  }
  for (const auto& k : keys) {
    INFO(example << ": " << k.path);
    auto it =
        std::find_if(lines.begin(), lines.end(), [&](const auto& d) { return d.path == k.path; });
    REQUIRE(it != lines.end());
    if (it->commented && !k.default_text.empty()) CHECK(it->value == k.default_text);
    if (k.required) CHECK_FALSE(it->commented);
  }
  for (const auto& d : lines) {
    INFO(example << ":" << d.line << ": " << d.path);
    CHECK(known.contains(d.path));  // no key the loader would refuse
  }
}

// Every "#key: value" line made active; the documented values must load.
std::string uncommented(const std::string& text) {
  return std::regex_replace(text, std::regex(R"((^|\n)(\s*)#([a-z_]+:))"), "$1$2$3");
}

// The collector's storage backends are alternatives (exactly one may be
// set): the file with PostgreSQL's keys taken out, or made active alone.
std::string without_postgres(const std::string& text) {
  return std::regex_replace(text, std::regex(R"(\n\s*#(postgres|password_file):[^\n]*)"), "");
}
std::string postgres_only(const std::string& text) {
  return std::regex_replace(text, std::regex(R"((\n\s*)#(postgres|password_file):)"), "$1$2:");
}

}  // namespace

TEST_CASE("config/sensor.yaml loads in live mode without errors", "[config]") {
  auto c = load_sensor_config(source_file("config/sensor.yaml"), SensorMode::live);
  CHECK(c.sensor.id == "s01");
  CHECK(c.capture.interface == "eth0");
  CHECK(c.collector.enabled);
  REQUIRE(c.collector.endpoints.size() == 1);
  CHECK(c.collector.endpoints[0].host == "collector.example");
  CHECK(c.collector.ca == source_file("config/ca.pem"));
}

TEST_CASE("config/collector.yaml loads without errors", "[config]") {
  auto c = load_collector_config(source_file("config/collector.yaml"));
  CHECK(c.sensors == std::vector<std::string>{"s01", "s02"});
  CHECK(c.listen.cert == source_file("config/collector.pem"));
}

TEST_CASE("the example configs document every key with the loader's default", "[config]") {
  check_documents_every_key(source_file("config/sensor.yaml"), sensor_config_keys());
  check_documents_every_key(source_file("config/collector.yaml"), collector_config_keys());
}

TEST_CASE("the example configs still load with every documented line made active", "[config]") {
  TempDir dir;
  auto sensor = dir.write("sensor.yaml", uncommented(read_file(source_file("config/sensor.yaml"))));
  CHECK(sensor_errors(sensor).empty());
  auto defaults = load_sensor_config(source_file("config/sensor.yaml"), SensorMode::live);
  auto active = load_sensor_config(sensor, SensorMode::live);
  CHECK(active.capture == defaults.capture);  // its commented lines were all defaults
  CHECK(active.storage == defaults.storage);
  CHECK(active.process.user == "teiten-sensor");  // the account systemd/teiten.sysusers makes
  auto example = read_file(source_file("config/collector.yaml"));
  auto collector = dir.write("collector.yaml", uncommented(without_postgres(example)));
  CHECK(collector_errors(collector).empty());
  auto on_postgres = load_collector_config(dir.write("postgres.yaml", postgres_only(example)));
  CHECK(on_postgres.storage.path.empty());
  CHECK(on_postgres.storage.postgres == "host=db.example dbname=teiten user=teiten_collector");
  CHECK(on_postgres.storage.password_file == "/etc/teiten/collector.pgpass");
}

// The examples name certificate files next to themselves, which a source
// tree does not have; so `-t` is run on a copy beside freshly made ones. The
// interface eth0 is the one thing that depends on the machine.
TEST_CASE("config/sensor.yaml passes the environment check once its certificates exist",
          "[config]") {
  TempDir dir;
  auto file = dir.write("sensor.yaml", read_file(source_file("config/sensor.yaml")));
  make_certificates(dir, "s01");
  auto c = load_sensor_config(file, SensorMode::live);
  auto errors = located(check_sensor_environment(c, SensorMode::live));
  if (if_nametoindex("eth0") != 0) {
    CHECK(errors.empty());
  } else {
    auto [line, column] = c.marks.positions.at("capture.interface");
    CHECK(errors == Errors{std::to_string(line) + ":" + std::to_string(column) +
                           ": capture.interface: no such interface 'eth0'"});
  }
}

TEST_CASE("config/collector.yaml passes the environment check once its certificates exist",
          "[config]") {
  TempDir dir;
  auto file = dir.write("collector.yaml", read_file(source_file("config/collector.yaml")));
  make_certificates(dir, "collector");
  auto c = load_collector_config(file);
  CHECK(located(check_collector_environment(c)).empty());
}
