#include "common/geo/special_purpose.h"

#include <catch2/catch.hpp>
#include <fstream>

#include "common/geo/network_ranges.h"

using namespace teiten;
using geo::is_special_purpose;

namespace {

bool special(const char* text) {
  auto a = base::IpAddress::parse(text);
  REQUIRE(a);
  return is_special_purpose(*a);
}

}  // namespace

TEST_CASE("the special-purpose table is IPv4 then IPv6, in address order, without overlaps",
          "[geo]") {
  const auto& blocks = geo::special_purpose_blocks();
  REQUIRE(blocks.size() > 30);
  for (size_t i = 1; i < blocks.size(); ++i) {
    const auto& a = blocks[i - 1].prefix;
    const auto& b = blocks[i].prefix;
    INFO(a.to_string() << " then " << b.to_string());
    if (a.address.family != b.address.family) {
      CHECK(a.address.is_v4());
      continue;
    }
    CHECK(geo::range_of(a).last < geo::range_of(b).first);
  }
  for (const auto& block : blocks) {
    CHECK_FALSE(block.name.empty());
    CHECK(block.reference.substr(0, 4) == "RFC ");
  }
}

// Addresses taken from the IANA registry pages and their RFCs, one or two
// per entry, including entries nested inside a larger row.
TEST_CASE("addresses from every registry entry are special", "[geo]") {
  for (const char* a : {"0.0.0.0",
                        "0.255.255.255",
                        "10.0.0.0",
                        "10.255.255.255",
                        "100.64.0.1",
                        "100.127.255.255",
                        "127.0.0.1",
                        "169.254.1.1",
                        "172.16.0.1",
                        "172.31.255.255",
                        "192.0.0.9",
                        "192.0.0.170",
                        "192.0.2.1",
                        "192.31.196.1",
                        "192.52.193.1",
                        "192.88.99.1",
                        "192.168.1.1",
                        "192.175.48.1",
                        "198.18.0.1",
                        "198.19.255.255",
                        "198.51.100.7",
                        "203.0.113.255",
                        "224.0.0.1",
                        "239.255.255.250",
                        "240.0.0.1",
                        "255.255.255.255",
                        "::",
                        "::1",
                        "::ffff:8.8.8.8",
                        "64:ff9b::808:808",
                        "64:ff9b:1::1",
                        "100::1",
                        "100:0:0:1::1",
                        "2001::1",
                        "2001:1::1",
                        "2001:2::1",
                        "2001:3::1",
                        "2001:4:112::1",
                        "2001:20::1",
                        "2001:30::1",
                        "2001:db8::1",
                        "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
                        "2002:c000:204::1",
                        "2620:4f:8000::1",
                        "3fff::1",
                        "3fff:fff:ffff::1",
                        "5f00::1",
                        "fc00::1",
                        "fd12:3456::1",
                        "fe80::1",
                        "febf:ffff::1",
                        "ff02::1"}) {
    INFO(a);
    CHECK(special(a));
  }
}

TEST_CASE("addresses just outside the registry blocks are not special", "[geo]") {
  for (const char* a : {"1.0.0.0",          "1.1.1.1",
                        "8.8.8.8",          "9.255.255.255",
                        "11.0.0.0",         "100.63.255.255",
                        "100.128.0.0",      "126.255.255.255",
                        "128.0.0.0",        "169.253.255.255",
                        "169.255.0.0",      "172.15.255.255",
                        "172.32.0.0",       "192.0.1.0",
                        "192.0.3.0",        "192.88.98.255",
                        "192.88.100.0",     "192.167.255.255",
                        "192.169.0.0",      "198.17.255.255",
                        "198.20.0.0",       "198.51.99.255",
                        "203.0.112.255",    "203.0.114.0",
                        "223.255.255.255",  "::2",
                        "64:ff9b::1:0:0",   "2001:200::1",
                        "2001:db7:ffff::1", "2001:db9::",
                        "2003::1",          "2620:4f:7fff::1",
                        "2620:4f:8001::",   "3ffe:ffff::1",
                        "4000::1",          "5eff::1",
                        "5f01::1",          "fbff::1",
                        "fec0::1",          "feff::1"}) {
    INFO(a);
    CHECK_FALSE(special(a));
  }
}

TEST_CASE("docs/report.md shows exactly the rows of the special-purpose table", "[geo][docs]") {
  std::ifstream in(std::string(TEITEN_TEST_DATA) + "/../../docs/report.md");
  REQUIRE(in);
  // Rows of the form "| `PREFIX` | NAME | REFERENCE |", in the page's order.
  std::vector<std::string> documented, coded;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("| `", 0) != 0) continue;
    auto tick = line.find('`', 3);
    auto prefix = base::Prefix::parse(line.substr(3, tick - 3));
    if (!prefix) continue;
    documented.push_back(prefix->to_string() + line.substr(tick + 1));
  }
  for (const auto& block : geo::special_purpose_blocks())
    coded.push_back(block.prefix.to_string() + " | " + std::string(block.name) + " | " +
                    std::string(block.reference) + " |");
  CHECK(documented == coded);
}
