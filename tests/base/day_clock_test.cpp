#include "common/base/day_clock.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>

using namespace teiten::base;

TEST_CASE("days split at local midnight in Asia/Tokyo", "[base]") {
  DayClock tokyo("Asia/Tokyo");
  // 2010-07-08T14:59:59Z is 23:59:59 JST on the 8th; one second later is the 9th.
  auto d8 = tokyo.day_of(1278601199);
  auto d9 = tokyo.day_of(1278601200);
  CHECK(format_day(d8) == "2010-07-08");
  CHECK(format_day(d9) == "2010-07-09");
  CHECK(tokyo.day_start(d9) == 1278601200);
  CHECK(tokyo.day_of(1278601199) == d8);  // from the cache after a miss
}

TEST_CASE("DST days have 23 and 25 hours in America/New_York", "[base]") {
  DayClock ny("America/New_York");
  auto spring = *parse_day("2024-03-10");
  auto fall = *parse_day("2024-11-03");
  CHECK(ny.day_end(spring) - ny.day_start(spring) == 23 * 3600);
  CHECK(ny.day_end(fall) - ny.day_start(fall) == 25 * 3600);
  // 2024-03-10T06:59:59Z = 01:59:59 EST; 07:00:00Z = 03:00 EDT, same day.
  CHECK(ny.day_of(1710053999) == spring);
  CHECK(ny.day_of(1710054000) == spring);
  CHECK(ny.day_of(ny.day_end(spring) - 1) == spring);
  CHECK(ny.day_of(ny.day_end(spring)) == spring + 1);
}

TEST_CASE("every second of a DST week maps to the day computed directly", "[base]") {
  DayClock ny("America/New_York");
  DayClock fresh("America/New_York");
  auto start = ny.day_start(*parse_day("2024-11-01"));
  for (int64_t t = start; t < start + 7 * 86400; t += 599) {
    DayClock once("America/New_York");
    REQUIRE(ny.day_of(t) == once.day_of(t));
  }
  (void)fresh;
}

TEST_CASE("unknown zones and bad days are rejected", "[base]") {
  CHECK_THROWS_WITH(DayClock("Mars/Olympus"), Catch::Contains("Mars/Olympus"));
  CHECK_FALSE(is_known_zone("Asia/Tokio"));
  CHECK(is_known_zone("UTC"));
  CHECK_FALSE(parse_day("2010-02-30"));
  CHECK_FALSE(parse_day("2010-7-9"));
  CHECK(format_day(*parse_day("1999-12-31")) == "1999-12-31");
  CHECK(*parse_day("1970-01-01") == 0);
}

TEST_CASE("times far outside the calendar get the day at a bound, in order", "[base]") {
  // A pcapng interface's if_tsoffset can put a capture time anywhere in
  // int64 (fuzz_packet found the overflow this used to be).
  DayClock tokyo("Asia/Tokyo");
  const int64_t extremes[] = {INT64_MIN, INT64_MIN + 1, -(int64_t{1} << 50), int64_t{1} << 50,
                              INT64_MAX - 1, INT64_MAX};
  Day previous = std::numeric_limits<Day>::min();
  for (int64_t t : extremes) {
    Day d = tokyo.day_of(t);
    CHECK(d >= previous);
    previous = d;
  }
  CHECK(tokyo.day_of(INT64_MAX) > 65535);
  CHECK(tokyo.day_of(INT64_MIN) < 0);
  CHECK(format_day(tokyo.day_of(1278601200)) == "2010-07-09");  // still right afterwards
}
