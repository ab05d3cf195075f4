#include "common/base/ip_address.h"

#include <catch2/catch.hpp>

using teiten::base::IpAddress;

namespace {
std::string roundtrip(const char* text) {
  return IpAddress::parse(text)->to_string();
}
}  // namespace

TEST_CASE("ipv4 text round-trips and keeps family", "[base]") {
  auto a = IpAddress::parse("192.0.2.10");
  REQUIRE(a);
  CHECK(a->is_v4());
  CHECK(a->v4_value() == 0xC000020Au);
  CHECK(a->to_string() == "192.0.2.10");
  CHECK(IpAddress::v4(0x01020304).to_string() == "1.2.3.4");
}

TEST_CASE("ipv6 text follows RFC 5952", "[base]") {
  CHECK(roundtrip("2001:DB8:0:0:0:0:2:1") == "2001:db8::2:1");
  CHECK(roundtrip("2001:db8:0:1:1:1:1:1") == "2001:db8:0:1:1:1:1:1");  // single zero not compressed
  CHECK(roundtrip("2001:0:0:1:0:0:0:1") == "2001:0:0:1::1");           // longest run wins
  CHECK(roundtrip("2001:db8:0:0:1:0:0:1") == "2001:db8::1:0:0:1");     // first of equal runs
  CHECK(roundtrip("::1") == "::1");
  CHECK(roundtrip("::") == "::");
  CHECK(roundtrip("fe80::") == "fe80::");
  CHECK(roundtrip("::ffff:192.0.2.1") == "::ffff:192.0.2.1");
  CHECK(roundtrip("::102:304") == "::102:304");  // IPv4-compatible form is not dotted
  CHECK(roundtrip("1:2:3:4:5:6:7:8") == "1:2:3:4:5:6:7:8");
}

TEST_CASE("invalid address text is rejected", "[base]") {
  for (const char* bad :
       {"", "1.2.3", "1.2.3.256", "1:2:3:4:5:6:7:8:9", "::g", "a.b.c.d", " 1.2.3.4"})
    CHECK_FALSE(IpAddress::parse(bad));
}
