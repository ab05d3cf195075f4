#include "daemon/sensor/config_warnings.h"

#include <catch2/catch.hpp>

#include "support/addresses.h"

using namespace teiten;
using config::SensorMode;
using teiten::test::prefix;

namespace {

config::SensorConfig live_config(std::vector<base::Prefix> observed) {
  config::SensorConfig c;
  c.file = "sensor.yaml";
  c.capture.interface = "eth0";
  c.capture.observed = std::move(observed);
  c.marks.file = "sensor.yaml";
  c.marks.positions = {{"capture", {2, 1}},
                       {"capture.interface", {3, 3}},
                       {"capture.observed", {4, 3}},
                       {"capture.observed[0]", {4, 14}},
                       {"capture.observed[1]", {4, 25}}};
  return c;
}

}  // namespace

TEST_CASE("an observed prefix that holds the senders warns at its own position", "[sensor]") {
  auto c = live_config({prefix("0.0.0.0/0"), prefix("::/0")});
  auto w = sensor::config_warnings(c, SensorMode::read, {});
  REQUIRE(w.size() == 2);
  CHECK(w[0].to_string().starts_with("sensor.yaml:4:14: warning: capture.observed[0]: 0.0.0.0/0 "));
  CHECK(w[0].message.find("ignored.own_source") != std::string::npos);
  CHECK(w[1].to_string().starts_with("sensor.yaml:4:25: warning: capture.observed[1]: ::/0 "));
}

TEST_CASE("darknet-sized observed prefixes and the sensor's own address do not warn", "[sensor]") {
  auto c = live_config({prefix("192.0.2.0/24"), prefix("10.0.0.0/9")});
  CHECK(sensor::config_warnings(c, SensorMode::live, {prefix("192.0.2.1/32")}).empty());
  // /8 and /16 are where a sender would sit inside the observed space.
  CHECK(sensor::config_warnings(live_config({prefix("10.0.0.0/8")}), SensorMode::read, {}).size() ==
        1);
  CHECK(sensor::config_warnings(live_config({prefix("2001::/16")}), SensorMode::read, {})
            .size() == 1);
}

TEST_CASE("live: observed without any interface address warns; --read does not ask", "[sensor]") {
  auto c = live_config({prefix("198.51.100.0/24")});
  auto w = sensor::config_warnings(c, SensorMode::live, {prefix("192.0.2.1/32")});
  REQUIRE(w.size() == 1);
  CHECK(
      w[0].to_string().starts_with("sensor.yaml:4:3: warning: capture.observed: none of eth0's "
                                   "addresses (192.0.2.1)"));
  CHECK(sensor::config_warnings(c, SensorMode::read, {prefix("192.0.2.1/32")}).empty());
}

TEST_CASE("live: an interface without addresses and no observed list warns", "[sensor]") {
  auto c = live_config({});
  auto w = sensor::config_warnings(c, SensorMode::live, {});
  REQUIRE(w.size() == 1);
  CHECK(
      w[0].to_string().starts_with("sensor.yaml:3:3: warning: capture.interface: 'eth0' has "
                                   "no addresses"));
  CHECK(sensor::config_warnings(c, SensorMode::live, {prefix("192.0.2.1/32")}).empty());
}

TEST_CASE("status hints only after a minute in which every packet was ignored", "[sensor]") {
  tally::DayStats s;
  s.packets = 100;
  s.ignored[static_cast<size_t>(tally::Ignored::own_source)] = 90;
  s.ignored[static_cast<size_t>(tally::Ignored::not_observed)] = 10;
  auto hint = sensor::nothing_counted_hint(s, 61);
  REQUIRE(hint);
  CHECK(hint->find("ignored.own_source") != std::string::npos);
  CHECK(hint->find("capture.observed") != std::string::npos);
  CHECK_FALSE(sensor::nothing_counted_hint(s, 59));  // too early to say
  s.packets = 101;                                   // one packet counted or malformed
  CHECK_FALSE(sensor::nothing_counted_hint(s, 61));
  CHECK_FALSE(sensor::nothing_counted_hint(tally::DayStats{}, 3600));  // no traffic at all
}
