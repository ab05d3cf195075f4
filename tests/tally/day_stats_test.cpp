#include "common/tally/day_stats.h"

#include <catch2/catch.hpp>

using namespace teiten;

TEST_CASE("named counters round-trip and unknown names are refused", "[tally]") {
  tally::DayStats s;
  s.malformed[static_cast<size_t>(packet::Malformed::snaplen)] = 3;
  s.ignored[static_cast<size_t>(tally::Ignored::own_source)] = 2;
  s.non_ip[0x0806] = 7;
  auto named = tally::named_counters(s);
  REQUIRE(named.size() == 3);
  CHECK(named[0].name == "malformed.snaplen");
  CHECK(named[1].name == "ignored.own_source");
  CHECK(named[2].name == "non_ip.0x0806");
  tally::DayStats back;
  for (const auto& n : named) CHECK(tally::add_named_counter(back, n.name, n.value));
  CHECK(back.malformed == s.malformed);
  CHECK(back.ignored == s.ignored);
  CHECK(back.non_ip == s.non_ip);
  CHECK_FALSE(tally::add_named_counter(back, "malformed.gremlins", 1));
  CHECK_FALSE(tally::add_named_counter(back, "non_ip.0xzz", 1));
}

TEST_CASE("day stats merge by sum and by span", "[tally]") {
  tally::DayStats a, b;
  a.packets = 5;
  a.first_packet = 100;
  a.last_packet = 200;
  b.packets = 1;
  b.first_packet = 50;
  b.last_packet = 150;
  b.kernel_drops = 4;
  a.merge(b);
  CHECK(a.packets == 6);
  CHECK(a.first_packet == 50);
  CHECK(a.last_packet == 200);
  CHECK(a.kernel_drops == 4u);
  CHECK_FALSE(a.if_drops.has_value());
}
