#include "daemon/sensor/collector_failover.h"

#include <catch2/catch.hpp>

using teiten::sensor::CollectorFailover;

TEST_CASE("one collector: every failure is a backoff on the same address", "[failover]") {
  CollectorFailover f(1);
  CHECK(f.current() == 0);
  CHECK_FALSE(f.unreachable());
  CHECK(f.current() == 0);
  f.ended();
  CHECK(f.current() == 0);
}

TEST_CASE("an unreachable collector passes the turn to the next, in order", "[failover]") {
  CollectorFailover f(3);
  CHECK(f.current() == 0);
  CHECK(f.unreachable());  // dial the second now, no backoff
  CHECK(f.current() == 1);
  CHECK(f.unreachable());
  CHECK(f.current() == 2);
  CHECK_FALSE(f.unreachable());  // all three failed: back off
  CHECK(f.current() == 0);       // the next round starts at the first
}

TEST_CASE("after a working connection ends, the preferred collector is tried first again",
          "[failover]") {
  CollectorFailover f(2);
  CHECK(f.unreachable());
  CHECK(f.current() == 1);  // connected to the second
  f.ended();                // it died mid-shipping
  CHECK(f.current() == 0);
}
