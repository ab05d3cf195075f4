// Test helper: addresses and prefixes from text a test writes out. A typo
// in the text fails the test where it stands instead of dereferencing an
// empty optional.
#pragma once

#include <catch2/catch.hpp>

#include "common/base/ip_address.h"
#include "common/base/prefix.h"

namespace teiten::test {

inline base::IpAddress ip(const char* text) {
  auto a = base::IpAddress::parse(text);
  REQUIRE(a);
  return *a;
}

inline base::Prefix prefix(const char* text) {
  auto p = base::Prefix::parse(text);
  REQUIRE(p);
  return *p;
}

}  // namespace teiten::test
