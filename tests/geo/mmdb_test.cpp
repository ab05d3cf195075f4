#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/geo/locator.h"
#include "common/geo/mmdb_database.h"
#include "common/geo/network_ranges.h"
#include "common/geo/special_purpose.h"
#include "support/temp_dir.h"

using namespace teiten;
using nlohmann::json;

namespace {

std::string mmdb_file(const std::string& name) {
  return std::string(TEITEN_TEST_DATA) + "/mmdb/maxmind-" + name;
}

std::unique_ptr<geo::Locator> open_mmdb(const std::vector<std::string>& names) {
  geo::LocatorOptions options;
  for (const auto& n : names) options.mmdb_paths.push_back(mmdb_file(n));
  return geo::open_locator(options);
}

// MaxMind's source data: one object per network.
std::vector<std::pair<base::Prefix, json>> source(const std::string& name) {
  std::ifstream in(mmdb_file(name));
  REQUIRE(in);
  std::vector<std::pair<base::Prefix, json>> out;
  for (const auto& entry : json::parse(in))
    for (const auto& [network, record] : entry.items()) {
      auto p = base::Prefix::parse(network);
      REQUIRE(p);
      out.emplace_back(*p, record);
    }
  return out;
}

// The first and last address of each network.
std::vector<base::IpAddress> ends(const base::Prefix& p) {
  auto r = geo::range_of(p);
  return {geo::from_integer(r.first, p.address.family),
          geo::from_integer(r.last, p.address.family)};
}

}  // namespace

TEST_CASE("a GeoLite2-Country file answers every network of its source data", "[geo][mmdb]") {
  auto locator = open_mmdb({"GeoLite2-Country-Test.mmdb"});
  auto iso = geo::CountryCodes(geo::read_iso3166(geo::kDefaultIso3166Json));
  size_t checked = 0, registered_only = 0, unknown = 0;
  for (const auto& [prefix, record] : source("GeoLite2-Country-Test.json")) {
    // The rule of docs/report.md: country, else registered country; ZZ when
    // neither is an ISO country or the address is special.
    std::string expected =
        record.contains("country") ? record["country"].value("iso_code", "") : "";
    if (expected.empty() && record.contains("registered_country")) {
      expected = record["registered_country"].value("iso_code", "");
      registered_only += !expected.empty();
    }
    if (!iso.contains(expected)) expected = "ZZ";
    unknown += expected == "ZZ";
    for (const auto& a : ends(prefix)) {
      INFO(prefix.to_string() << " " << a.to_string());
      auto got = locator->lookup(a);
      CHECK(got.country == (geo::is_special_purpose(a) ? "ZZ" : expected));
      CHECK(got.asn == 0);
      ++checked;
    }
  }
  CHECK(checked == size_t{2} * 244);
  CHECK(unknown == 2);  // the two networks with a continent only
  CHECK(registered_only == 0);
  CHECK_THAT(locator->source(),
             Catch::Matches(R"(GeoLite2-Country \d{4}-\d{2}-\d{2} \(.*\.mmdb\))"));
}

TEST_CASE("a GeoLite2-ASN file answers every network of its source data", "[geo][mmdb]") {
  auto locator = open_mmdb({"GeoLite2-ASN-Test.mmdb"});
  size_t without_name = 0;
  for (const auto& [prefix, record] : source("GeoLite2-ASN-Test.json")) {
    uint32_t asn = record.value("autonomous_system_number", 0u);
    std::string name = record.value("autonomous_system_organization", "");
    without_name += name.empty();
    for (const auto& a : ends(prefix)) {
      INFO(prefix.to_string() << " " << a.to_string());
      auto got = locator->lookup(a);
      bool special = geo::is_special_purpose(a);
      CHECK(got.country == "ZZ");
      CHECK(got.asn == (special ? 0 : asn));
      CHECK(got.as_name == (special ? "" : name));
    }
  }
  CHECK(without_name > 0);
}

TEST_CASE("country and ASN files given together answer both fields", "[geo][mmdb]") {
  auto both = open_mmdb({"GeoLite2-Country-Test.mmdb", "GeoLite2-ASN-Test.mmdb"});
  auto a = both->lookup(*base::IpAddress::parse("89.160.20.112"));  // SE in Country, AS29518 in ASN
  CHECK(a.country == "SE");
  CHECK(a.asn == 29518);
  CHECK(a.as_name == "Bredband2 AB");
  CHECK_THAT(both->source(),
             Catch::Contains("GeoLite2-Country ") && Catch::Contains("; GeoLite2-ASN "));
  // The first file with a field wins: the City file is asked before the Country file.
  auto city_first = open_mmdb({"GeoLite2-City-Test.mmdb", "GeoLite2-Country-Test.mmdb"});
  CHECK(city_first->lookup(*base::IpAddress::parse("81.2.69.142")).country == "GB");
  CHECK(city_first->lookup(*base::IpAddress::parse("2001:218::1")).country == "JP");
}

TEST_CASE("a network with a registered country only is placed there", "[geo][mmdb]") {
  // GeoIP2-Enterprise-Test's source data: "::5.83.124.0/118" has only
  // registered_country RO; "::89.160.20.112/124" has country SE, registered DE.
  auto locator = open_mmdb({"GeoIP2-Enterprise-Test.mmdb"});
  CHECK(locator->lookup(*base::IpAddress::parse("5.83.124.1")).country == "RO");
  CHECK(locator->lookup(*base::IpAddress::parse("89.160.20.113")).country == "SE");
}

TEST_CASE("an MMDB answer inside a special-purpose block is ZZ", "[geo][mmdb]") {
  // MaxMind aliases ::ffff:0:0/96 and 2002::/16 to the IPv4 tree, so the
  // file itself places these in GB; the registry rule overrides it.
  geo::MmdbDatabase raw(mmdb_file("GeoLite2-Country-Test.mmdb"));
  auto locator = open_mmdb({"GeoLite2-Country-Test.mmdb"});
  for (const char* text : {"::ffff:81.2.69.142", "2002:5102:458e::1"}) {
    auto a = *base::IpAddress::parse(text);
    INFO(text);
    CHECK(raw.lookup_raw(a).country == "GB");
    CHECK(locator->lookup(a).country == "ZZ");
  }
}

TEST_CASE("a file without country or AS fields, and IPv6 in an IPv4 file, answer ZZ",
          "[geo][mmdb]") {
  auto locator = open_mmdb({"MaxMind-DB-test-ipv4-24.mmdb"});
  CHECK(locator->lookup(*base::IpAddress::parse("1.1.1.1")) == geo::Location{});
  CHECK(locator->lookup(*base::IpAddress::parse("2001:218::1")) == geo::Location{});
}

TEST_CASE("a missing, broken or foreign MMDB file is a clear error naming it", "[geo][mmdb]") {
  test::TempDir dir;
  geo::LocatorOptions options;
  options.mmdb_paths = {dir / "GeoLite2-Country.mmdb"};
  CHECK_THROWS_WITH(geo::open_locator(options), Catch::Contains(dir / "GeoLite2-Country.mmdb") &&
                                                    Catch::Contains("No such file"));
  options.mmdb_paths = {mmdb_file("GeoIP2-City-Test-Invalid-Node-Count.mmdb")};
  CHECK_THROWS_WITH(geo::open_locator(options), Catch::Contains("Invalid-Node-Count.mmdb"));
  options.mmdb_paths = {dir.write("notes.mmdb", "this is not a database\n")};
  CHECK_THROWS_WITH(geo::open_locator(options),
                    Catch::Contains("notes.mmdb") && Catch::Contains("MaxMind DB"));
  // One bad file among good ones still fails the open.
  options.mmdb_paths = {mmdb_file("GeoLite2-Country-Test.mmdb"), dir / "asn.mmdb"};
  CHECK_THROWS_WITH(geo::open_locator(options), Catch::Contains(dir / "asn.mmdb"));
}
