#include "common/base/prefix.h"

#include <catch2/catch.hpp>

using teiten::base::IpAddress;
using teiten::base::Prefix;
using teiten::base::PrefixSet;

TEST_CASE("prefixes parse, reject host bits and match", "[base]") {
  auto p = Prefix::parse("198.51.100.0/24");
  REQUIRE(p);
  CHECK(p->contains(*IpAddress::parse("198.51.100.255")));
  CHECK_FALSE(p->contains(*IpAddress::parse("198.51.101.0")));
  CHECK_FALSE(Prefix::parse("10.1.2.3/8"));
  CHECK_FALSE(Prefix::parse("10.0.0.0/33"));
  CHECK_FALSE(Prefix::parse("10.0.0.0/"));
  CHECK_FALSE(Prefix::parse("10.0.0.0/8x"));
  CHECK(Prefix::parse("192.0.2.10")->length == 32);
  CHECK(Prefix::parse("2001:db8::/32")->to_string() == "2001:db8::/32");
  CHECK(Prefix::parse("0.0.0.0/0")->contains(*IpAddress::parse("8.8.8.8")));
  CHECK_FALSE(Prefix::parse("0.0.0.0/0")->contains(*IpAddress::parse("::1")));
}

TEST_CASE("prefix sets match both families at every length", "[base]") {
  PrefixSet set;
  set.add(*Prefix::parse("10.0.0.0/8"));
  set.add(*Prefix::parse("192.0.2.10"));
  set.add(*Prefix::parse("2001:db8:1::/48"));
  set.add(*Prefix::parse("2001:db8:ffff::1/128"));
  set.add(*Prefix::parse("fe80::/70"));
  CHECK(set.contains(*IpAddress::parse("10.255.0.1")));
  CHECK_FALSE(set.contains(*IpAddress::parse("11.0.0.1")));
  CHECK(set.contains(*IpAddress::parse("192.0.2.10")));
  CHECK_FALSE(set.contains(*IpAddress::parse("192.0.2.11")));
  CHECK(set.contains(*IpAddress::parse("2001:db8:1:ffff::9")));
  CHECK_FALSE(set.contains(*IpAddress::parse("2001:db8:2::9")));
  CHECK(set.contains(*IpAddress::parse("2001:db8:ffff::1")));
  CHECK_FALSE(set.contains(*IpAddress::parse("2001:db8:ffff::2")));
  CHECK(set.contains(*IpAddress::parse("fe80::3ff:ffff:ffff:ffff")));
  CHECK_FALSE(set.contains(*IpAddress::parse("fe80::400:0:0:0")));
  CHECK(set.prefixes().size() == 5);
  CHECK(set.prefixes()[4].to_string() == "fe80::/70");
}
