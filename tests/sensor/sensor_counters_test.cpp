// The sensor's counter table: every row gets a value from what the daemon
// gathers, in every mode, and the families follow their enums.
#include "daemon/sensor/sensor_counters.h"

#include <catch2/catch.hpp>

using namespace teiten;
using namespace teiten::sensor;

namespace {

CounterSources live_shipping_sources() {
  CounterSources s;
  s.live = LiveStats{};
  s.live->if_drops = 3;
  s.shipping = ShipperStatus{};
  s.shipping->oldest_unacked = 100;
  s.now = 160;
  return s;
}

}  // namespace

TEST_CASE("every sensor counter row has a value when capturing live and shipping", "[sensor]") {
  auto values = sensor_counter_values(live_shipping_sources());
  CHECK(sensor_counters().unset_rows(values.values()) == std::vector<std::string>{});
  CHECK(values[SensorCounter::interface_drops].text() == "3");
  CHECK(values[SensorCounter::oldest_unacked_age_seconds].text() == "60");
}

TEST_CASE("every sensor counter row has a value when reading files without a collector",
          "[sensor]") {
  auto values = sensor_counter_values(CounterSources{});
  CHECK(sensor_counters().unset_rows(values.values()) == std::vector<std::string>{});
  CHECK_FALSE(values[SensorCounter::kernel_drops].is_number());
  CHECK_FALSE(values[SensorCounter::batches_acked].is_number());
}

TEST_CASE("interface drops libpcap cannot measure are unsupported, not zero", "[sensor]") {
  auto s = live_shipping_sources();
  s.live->if_drops.reset();
  CHECK(sensor_counter_values(s)[SensorCounter::interface_drops].is_unsupported());
}

TEST_CASE("the malformed and ignored families have one row per reason of their enums", "[sensor]") {
  const auto& table = sensor_counters();
  for (int i = 1; i < packet::kMalformedReasons; ++i) {
    auto reason = static_cast<packet::Malformed>(i);
    CHECK(table[malformed_counter(reason)].name ==
          "malformed." + std::string(packet::name(reason)));
  }
  for (int i = 0; i < tally::kIgnoredReasons; ++i) {
    auto reason = static_cast<tally::Ignored>(i);
    CHECK(table[ignored_counter(reason)].name == "ignored." + std::string(tally::name(reason)));
  }
  CHECK(table[accesses_counter(packet::Kind::backscatter)].name == "accesses_backscatter");
}

TEST_CASE("the sensor's malformed total is the sum of its reasons", "[sensor]") {
  auto s = live_shipping_sources();
  s.capture.since_start.malformed[static_cast<size_t>(packet::Malformed::snaplen)] = 2;
  s.capture.since_start.malformed[static_cast<size_t>(packet::Malformed::timestamp)] = 5;
  auto values = sensor_counter_values(s);
  CHECK(sensor_counters().value(SensorCounter::malformed_total, values.values()).text() == "7");
  CHECK(values[malformed_counter(packet::Malformed::timestamp)].text() == "5");
}
