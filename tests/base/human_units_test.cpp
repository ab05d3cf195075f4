#include "common/base/human_units.h"

#include <catch2/catch.hpp>

using namespace teiten::base;

TEST_CASE("spans show the largest unit that fits, rounded down", "[base]") {
  CHECK(human_span(0) == "0s");
  CHECK(human_span(12) == "12s");
  CHECK(human_span(59) == "59s");
  CHECK(human_span(60) == "1m");
  CHECK(human_span(200) == "3m");
  CHECK(human_span(3 * 3600 + 59) == "3h");
  CHECK(human_span(86400 * 2) == "2d");
  // A sensor that replayed July 2010 data, asked in 2026.
  CHECK(human_span(515925045) == "16y");
  CHECK(human_span(-5) == "-5s");
}

TEST_CASE("spans with two units pad minutes and seconds like a clock", "[base]") {
  CHECK(human_span(65, true) == "1m05s");
  CHECK(human_span(60, true) == "1m");
  CHECK(human_span(3600 + 120, true) == "1h02m");
  CHECK(human_span(86400 + 3 * 3600, true) == "1d3h");
  CHECK(human_span(7, true) == "7s");
}

TEST_CASE("counts keep three significant digits", "[base]") {
  CHECK(human_count(0) == "0");
  CHECK(human_count(999) == "999");
  CHECK(human_count(1234) == "1.23k");
  CHECK(human_count(1200) == "1.2k");
  CHECK(human_count(845000) == "845k");
  CHECK(human_count(1200000) == "1.2M");
  CHECK(human_count(999999) == "1M");
  CHECK(human_count(3e9) == "3G");
}

TEST_CASE("grouped counts separate thousands", "[base]") {
  CHECK(grouped(0) == "0");
  CHECK(grouped(999) == "999");
  CHECK(grouped(1000) == "1,000");
  CHECK(grouped(3000000) == "3,000,000");
}
