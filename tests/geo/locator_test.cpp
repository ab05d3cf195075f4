#include "common/geo/locator.h"

#include <catch2/catch.hpp>
#include <regex>
#include <thread>

#include "common/geo/libloc_database.h"
#include "common/geo/network_ranges.h"
#include "common/geo/special_purpose.h"
#include "support/addresses.h"
#include "support/temp_dir.h"

using namespace teiten;
using teiten::test::ip;

namespace {

std::vector<base::IpAddress> random_v4(size_t n, uint32_t seed) {
  std::vector<base::IpAddress> out;
  for (size_t i = 0; i < n; ++i) {
    seed = seed * 1664525u + 1013904223u;
    out.push_back(base::IpAddress::v4(seed));
  }
  return out;
}

}  // namespace

TEST_CASE("the default locator reads Debian's libloc database and names it with its date",
          "[geo]") {
  auto locator = geo::open_locator();
  CHECK(std::regex_match(
      locator->source(),
      std::regex(R"(.* location database \d{4}-\d{2}-\d{2} \(/var/lib/location/database\.db\))")));
  auto google = locator->lookup(ip("8.8.8.8"));
  CHECK(google.country == "US");
  CHECK(google.asn == 15169);
  CHECK_FALSE(google.as_name.empty());
}

TEST_CASE("special-purpose addresses are ZZ even where the database places them in a country",
          "[geo]") {
  auto locator = geo::open_locator();
  geo::LibLocDatabase db;
  size_t overridden = 0;
  for (const auto& block : geo::special_purpose_blocks()) {
    auto range = geo::range_of(block.prefix);
    for (auto v : {range.first, range.first + (range.last - range.first) / 2, range.last}) {
      auto a = geo::from_integer(v, block.prefix.address.family);
      INFO(a.to_string());
      CHECK(locator->lookup(a) == geo::Location{});
      overridden += !db.lookup_raw(a).country.empty();
    }
  }
  // Debian 12's database puts 2001:db8::/32 in AU and 192.175.48.0/24 in US:
  // the rule above must really have overridden the database somewhere.
  CHECK(overridden > 0);
}

TEST_CASE("a code that is not a country becomes ZZ and keeps its AS", "[geo]") {
  geo::LibLocDatabase db;
  auto eu = db.networks_of("EU", base::Family::v4);
  REQUIRE_FALSE(eu.empty());  // libloc uses EU for European networks of no one country
  auto a = eu.front().address;
  auto raw = db.lookup_raw(a);
  REQUIRE(raw.country == "EU");
  auto located = geo::open_locator()->lookup(a);
  CHECK(located.country == "ZZ");
  CHECK(located.asn == raw.asn);
  CHECK(located.as_name == raw.as_name);
}

TEST_CASE("networks_of gives disjoint prefixes in address order that look up to their country",
          "[geo]") {
  geo::LibLocDatabase db;
  auto locator = geo::open_locator();
  for (auto family : {base::Family::v4, base::Family::v6}) {
    auto nets = db.networks_of("JP", family);
    REQUIRE(nets.size() > 100);
    for (size_t i = 0; i < nets.size(); ++i) {
      INFO(nets[i].to_string());
      CHECK(nets[i].address.family == family);
      if (i > 0) CHECK(geo::range_of(nets[i - 1]).last < geo::range_of(nets[i]).first);
      if (i % 50 == 0) {
        auto r = geo::range_of(nets[i]);
        CHECK(locator->lookup(geo::from_integer(r.first, family)).country == "JP");
        CHECK(locator->lookup(geo::from_integer(r.last, family)).country == "JP");
      }
    }
  }
  CHECK(db.networks_of("ZZ", base::Family::v4).empty());
  CHECK(db.networks_of("not a code", base::Family::v4).empty());
}

TEST_CASE("lookups from several threads at once give the answers of one thread", "[geo]") {
  auto locator = geo::open_locator();
  auto addresses = random_v4(20000, 7);
  std::vector<geo::Location> expected;
  expected.reserve(addresses.size());
  for (const auto& a : addresses) expected.push_back(locator->lookup(a));
  std::vector<size_t> mismatches(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (size_t i = 0; i < addresses.size(); ++i)
        mismatches[t] += !(locator->lookup(addresses[i]) == expected[i]);
    });
  for (auto& th : threads) th.join();
  CHECK(mismatches == std::vector<size_t>(4, 0));
}

TEST_CASE("a missing or foreign database file is a clear error naming it", "[geo]") {
  test::TempDir dir;
  geo::LocatorOptions missing;
  missing.libloc_path = dir / "missing.db";
  CHECK_THROWS_WITH(geo::open_locator(missing), Catch::Contains(dir / "missing.db") &&
                                                    Catch::Contains("No such file") &&
                                                    Catch::Contains("libloc-database"));
  geo::LocatorOptions foreign;
  foreign.libloc_path = dir.write("foreign.db", std::string(4096, 'x'));
  CHECK_THROWS_WITH(
      geo::open_locator(foreign),
      Catch::Contains(dir / "foreign.db") && Catch::Contains("not a libloc location database"));
  geo::LocatorOptions no_iso;
  no_iso.iso3166_json = dir / "iso_3166-1.json";
  CHECK_THROWS_WITH(geo::open_locator(no_iso), Catch::Contains(dir / "iso_3166-1.json"));
}
