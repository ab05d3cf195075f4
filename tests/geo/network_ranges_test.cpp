#include "common/geo/network_ranges.h"

#include <catch2/catch.hpp>

using namespace teiten;
using geo::AddressRange;
using geo::Uint128;

namespace {

std::vector<std::string> prefixes_of(Uint128 first, Uint128 last, base::Family family) {
  std::vector<base::Prefix> out;
  geo::append_prefixes({first, last}, family, out);
  std::vector<std::string> text;
  text.reserve(out.size());
  for (const auto& p : out) text.push_back(p.to_string());
  return text;
}

}  // namespace

TEST_CASE("every small IPv4 range becomes an exact, aligned, unmergeable cover", "[geo]") {
  const Uint128 base = Uint128{10} << 24;
  for (unsigned a = 0; a < 70; ++a) {
    for (unsigned b = a; b < 70; ++b) {
      std::vector<base::Prefix> out;
      geo::append_prefixes({base + a, base + b}, base::Family::v4, out);
      Uint128 next = base + a;
      for (size_t i = 0; i < out.size(); ++i) {
        auto r = geo::range_of(out[i]);
        INFO(a << ".." << b << " piece " << out[i].to_string());
        CHECK(r.first ==
              next);  // contiguous, in order, host bits clear (range_of of a parsed prefix)
        CHECK(geo::to_integer(out[i].address) == r.first);
        next = r.last + 1;
        // Two neighbours of one length that form an aligned block would be one prefix.
        if (i > 0 && out[i - 1].length == out[i].length && out[i].length > 0) {
          auto prev = geo::range_of(out[i - 1]);
          Uint128 size = r.last - r.first + 1;
          CHECK(prev.first % (2 * size) != 0);
        }
      }
      CHECK(next == base + b + 1);
    }
  }
}

TEST_CASE("whole address spaces and their edges convert without overflow", "[geo]") {
  CHECK(prefixes_of(0, 0xffffffffu, base::Family::v4) == std::vector<std::string>{"0.0.0.0/0"});
  CHECK(prefixes_of(0, ~Uint128{0}, base::Family::v6) == std::vector<std::string>{"::/0"});
  CHECK(prefixes_of(0xffffffffu, 0xffffffffu, base::Family::v4) ==
        std::vector<std::string>{"255.255.255.255/32"});
  auto almost = prefixes_of(1, ~Uint128{0}, base::Family::v6);
  REQUIRE(almost.size() == 128);
  CHECK(almost.front() == "::1/128");
  CHECK(almost.back() == "8000::/1");
  CHECK(geo::range_of(*base::Prefix::parse("::/0")).last == ~Uint128{0});
  CHECK(geo::from_integer(geo::to_integer(*base::IpAddress::parse("2001:db8::1")),
                          base::Family::v6) == *base::IpAddress::parse("2001:db8::1"));
}

TEST_CASE("subtracting holes keeps what lies outside them and merges what touches", "[geo]") {
  using V = std::vector<AddressRange>;
  CHECK(geo::subtract({{10, 20}}, {}) == V{{10, 20}});
  CHECK(geo::subtract({{10, 20}}, {{0, 9}, {21, 30}}) == V{{10, 20}});
  CHECK(geo::subtract({{10, 20}}, {{10, 10}}) == V{{11, 20}});
  CHECK(geo::subtract({{10, 20}}, {{20, 25}}) == V{{10, 19}});
  CHECK(geo::subtract({{10, 20}}, {{12, 13}, {15, 15}}) == V{{10, 11}, {14, 14}, {16, 20}});
  CHECK(geo::subtract({{10, 20}}, {{5, 25}}).empty());
  CHECK(geo::subtract({{10, 20}, {30, 40}}, {{15, 35}}) == V{{10, 14}, {36, 40}});
  CHECK(geo::subtract({{10, 20}, {21, 30}}, {}) == V{{10, 30}});
  CHECK(geo::subtract({{0, ~Uint128{0}}}, {{5, 5}}) == V{{0, 4}, {6, ~Uint128{0}}});
}
