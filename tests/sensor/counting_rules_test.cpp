#include "daemon/sensor/counting_rules.h"

#include <catch2/catch.hpp>

#include "support/addresses.h"

using namespace teiten;
using config::SensorMode;
using teiten::test::ip;
using teiten::test::prefix;

TEST_CASE("configured observed prefixes win over the interface's addresses", "[sensor]") {
  config::SensorConfig c;
  c.capture.observed = {prefix("198.18.0.0/16")};
  auto rules = sensor::build_rules(c, SensorMode::live, {prefix("192.0.2.1/32")}, {});
  CHECK(rules->observed.contains(ip("198.18.3.4")));
  CHECK_FALSE(rules->observed.contains(ip("192.0.2.1")));
  CHECK_FALSE(rules->observe_all);
}

TEST_CASE("without observed, a live sensor observes its interface and --read observes all",
          "[sensor]") {
  config::SensorConfig c;
  auto live = sensor::build_rules(c, SensorMode::live,
                                  {prefix("192.0.2.1/32"), prefix("2001:db8::1/128")}, {});
  CHECK(live->observed.contains(ip("192.0.2.1")));
  CHECK(live->observed.contains(ip("2001:db8::1")));
  CHECK_FALSE(live->observed.contains(ip("192.0.2.2")));
  CHECK_FALSE(live->observe_all);

  auto read = sensor::build_rules(c, SensorMode::read, {prefix("192.0.2.1/32")}, {});
  CHECK(read->observe_all);
  CHECK(read->observed.empty());

  // A live sensor whose interface has no address yet counts nothing.
  auto bare = sensor::build_rules(c, SensorMode::live, {}, {});
  CHECK(bare->observed.empty());
  CHECK_FALSE(bare->observe_all);
}

TEST_CASE("ignored sources and the collector's addresses are carried into the rules", "[sensor]") {
  config::SensorConfig c;
  c.capture.ignore_sources = {prefix("10.0.0.0/8")};
  auto rules = sensor::build_rules(c, SensorMode::read, {}, {prefix("203.0.113.5/32")});
  CHECK(rules->ignore_sources.contains(ip("10.1.2.3")));
  CHECK_FALSE(rules->ignore_sources.contains(ip("11.0.0.1")));
  CHECK(rules->collector.contains(ip("203.0.113.5")));
  CHECK_FALSE(rules->collector.contains(ip("203.0.113.6")));
}
