#include "daemon/sensor/interface_addresses.h"

#include <algorithm>
#include <catch2/catch.hpp>

using namespace teiten;

namespace {

bool has(const std::vector<base::Prefix>& v, const char* text) {
  auto p = base::Prefix::parse(text);
  REQUIRE(p);
  return std::find(v.begin(), v.end(), *p) != v.end();
}

}  // namespace

TEST_CASE("loopback's addresses are read as host prefixes", "[sensor]") {
  // Every Linux host, container or namespace has lo with 127.0.0.1.
  auto lo = sensor::interface_addresses("lo");
  CHECK(has(lo, "127.0.0.1/32"));
  CHECK(std::is_sorted(lo.begin(), lo.end(), [](const base::Prefix& a, const base::Prefix& b) {
    return a.address < b.address;
  }));
  // "any" means every interface but loopback.
  CHECK_FALSE(has(sensor::interface_addresses("any"), "127.0.0.1/32"));
  CHECK(sensor::interface_addresses("no-such-if0").empty());
}

TEST_CASE("the collector's address resolves to the prefixes the sensor ignores", "[sensor]") {
  // Numeric hosts only: the test must not depend on a resolver.
  CHECK(sensor::resolve_host("127.0.0.1") == std::vector{*base::Prefix::parse("127.0.0.1/32")});
  CHECK(sensor::resolve_host("::1") == std::vector{*base::Prefix::parse("::1/128")});
}
