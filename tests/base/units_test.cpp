#include "common/base/units.h"

#include <catch2/catch.hpp>

using namespace teiten::base;

TEST_CASE("durations need a unit", "[base]") {
  CHECK(parse_duration("500ms")->count() == 500);
  CHECK(parse_duration("60s")->count() == 60'000);
  CHECK(parse_duration("5m")->count() == 300'000);
  CHECK(parse_duration("1h")->count() == 3'600'000);
  CHECK(parse_duration("400d")->count() == 400ll * 86'400'000);
  CHECK_FALSE(parse_duration("60"));
  CHECK_FALSE(parse_duration("s"));
  CHECK_FALSE(parse_duration("-5s"));
  CHECK_FALSE(parse_duration("5 weeks"));
  CHECK_FALSE(parse_duration("99999999999999999999d"));
  CHECK(format_duration(Duration{60'000}) == "1m");
  CHECK(format_duration(Duration{1500}) == "1500ms");
}

TEST_CASE("sizes accept binary and decimal units", "[base]") {
  CHECK(*parse_size("4096") == 4096);
  CHECK(*parse_size("64MiB") == 64ull << 20);
  CHECK(*parse_size("2GB") == 2'000'000'000ull);
  CHECK_FALSE(parse_size("12 parsecs"));
  CHECK_FALSE(parse_size("MiB"));
}
