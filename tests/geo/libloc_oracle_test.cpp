// The libloc backend against python3-location (libloc's own Python binding,
// driven by geo_oracle.py): a few thousand addresses drawn from the networks
// of 40 countries, at random, and from every special-purpose block.
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <set>

#include "common/geo/libloc_database.h"
#include "common/geo/locator.h"
#include "common/geo/network_ranges.h"
#include "common/geo/special_purpose.h"
#include "geo/geo_oracle.h"
#include "support/temp_dir.h"

using namespace teiten;
using geo::Uint128;

namespace {

const std::vector<std::string> kCountries = {
    "JP", "CN", "US", "KR", "TW", "HK", "SG", "IN", "ID", "VN", "TH", "MY", "PH", "AU", "NZ", "RU",
    "UA", "DE", "FR", "GB", "NL", "IT", "ES", "PL", "SE", "NO", "FI", "BR", "AR", "MX", "CL", "CA",
    "ZA", "EG", "NG", "KE", "IR", "TR", "SA", "IL",
    // Codes libloc uses that are not countries: the Locator says ZZ for them.
    "EU", "AP"};

struct Rng {  // splitmix64: the same sample on every run
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  Uint128 wide() { return (Uint128{next()} << 64) | next(); }
  // A uniformly drawn address inside `p`.
  base::IpAddress inside(const base::Prefix& p) {
    auto r = geo::range_of(p);
    Uint128 span = r.last - r.first;
    Uint128 offset = span == ~Uint128{0} ? wide() : wide() % (span + 1);
    return geo::from_integer(r.first + offset, p.address.family);
  }
};

struct Sample {
  base::IpAddress address;
  std::string drawn_from;  // the country whose networks_of() it came from, or ""
};

std::vector<Sample> draw(const geo::LibLocDatabase& db) {
  Rng rng{20240601};
  std::vector<Sample> out;
  for (auto family : {base::Family::v4, base::Family::v6})
    for (const auto& [country, nets] : db.networks_of(kCountries, family)) {
      REQUIRE_FALSE(nets.empty());
      for (int i = 0; i < 30; ++i)
        out.push_back({rng.inside(nets[rng.next() % nets.size()]), country});
    }
  for (int i = 0; i < 1500; ++i)
    out.push_back({base::IpAddress::v4(static_cast<uint32_t>(rng.next())), ""});
  // Global unicast space, and the APNIC block libloc gives to AU that holds 2001:db8::/32.
  for (int i = 0; i < 300; ++i) out.push_back({rng.inside(*base::Prefix::parse("2000::/3")), ""});
  for (int i = 0; i < 100; ++i)
    out.push_back({rng.inside(*base::Prefix::parse("2001:c00::/23")), ""});
  for (const auto& block : geo::special_purpose_blocks())
    for (int i = 0; i < 3; ++i) out.push_back({rng.inside(block.prefix), ""});
  return out;
}

}  // namespace

TEST_CASE("lookups agree with python3-location on addresses from many countries and at random",
          "[geo][oracle]") {
  geo::LibLocDatabase db;
  auto locator = geo::open_locator();
  auto samples = draw(db);
  test::TempDir dir;
  {
    std::ofstream out(dir / "addresses");
    for (const auto& s : samples) out << s.address.to_string() << "\n";
  }
  auto rows = test::geo_oracle({"lookup", geo::kDefaultLibLocPath, geo::kDefaultIso3166Json},
                               dir / "addresses");
  REQUIRE(rows.size() == samples.size());

  std::set<std::string> countries;
  size_t overridden = 0, not_iso = 0, with_asn = 0;
  for (size_t i = 0; i < samples.size(); ++i) {
    const auto& s = samples[i];
    const auto& row = rows[i];
    REQUIRE(row.size() == 6);
    REQUIRE(row[0] == s.address.to_string());
    INFO(row[0] << " python3-location: country '" << row[1] << "' AS" << row[3] << " " << row[4]);
    bool special = geo::is_special_purpose(s.address);
    auto got = locator->lookup(s.address);
    if (special) {
      CHECK(got == geo::Location{});
      overridden += row[2] != "ZZ";
    } else {
      CHECK(got.country == row[2]);
      CHECK(got.asn == std::stoul(row[3]));
      CHECK(got.as_name == row[4]);
    }
    if (row[5] == "1") CHECK(special);  // Python's ipaddress knows no block the table lacks
    if (!s.drawn_from.empty()) {
      CHECK(row[1] == s.drawn_from);  // networks_of gave an address of that very country
      CHECK_FALSE(special);
    }
    countries.insert(got.country);
    not_iso += !row[1].empty() && row[2] == "ZZ";
    with_asn += got.asn != 0;
  }
  CHECK(countries.size() > 60);
  CHECK(overridden > 10);  // 2001:db8::/32 inside AU's block, 192.175.48.0/24 in US, ...
  CHECK(not_iso > 0);      // EU or AP networks met in the random sample
  CHECK(with_asn > samples.size() / 2);
}

TEST_CASE("networks_of equals python3-location's flattened networks minus the special blocks",
          "[geo][oracle]") {
  geo::LibLocDatabase db;
  // US holds 192.175.48.0/24 and 2620:4f:8000::/48 (AS112), so the
  // subtraction is exercised in both families.
  const std::vector<std::string> countries = {"JP", "TW", "US"};
  std::map<base::Family, std::map<std::string, std::vector<base::Prefix>>> ours;
  for (auto family : {base::Family::v4, base::Family::v6})
    ours[family] = db.networks_of(countries, family);
  for (const auto& country : countries) {
    std::map<std::string, std::vector<geo::AddressRange>> theirs;  // by "v4" / "v6"
    for (const auto& row :
         test::geo_oracle({"networks", geo::kDefaultLibLocPath, country}, "", ' ')) {
      REQUIRE(row.size() == 3);
      theirs[row[0]].push_back({geo::to_integer(*base::IpAddress::parse(row[1])),
                                geo::to_integer(*base::IpAddress::parse(row[2]))});
    }
    for (auto family : {base::Family::v4, base::Family::v6}) {
      const char* name = family == base::Family::v4 ? "v4" : "v6";
      INFO(country << " " << name);
      REQUIRE(theirs[name].size() > 10);
      std::vector<geo::AddressRange> holes;
      for (const auto& block : geo::special_purpose_blocks())
        if (block.prefix.address.family == family) holes.push_back(geo::range_of(block.prefix));
      auto expected = geo::subtract(theirs[name], holes);
      std::vector<geo::AddressRange> got;
      for (const auto& p : ours[family][country]) {
        auto r = geo::range_of(p);
        if (!got.empty() && got.back().last + 1 == r.first)
          got.back().last = r.last;
        else
          got.push_back(r);
      }
      CHECK(got.size() == expected.size());
      CHECK(got == expected);
      // The special blocks were really cut out of US's networks.
      if (country == "US") CHECK(expected != theirs[name]);
    }
  }
}

TEST_CASE("the database's date in source() is python3-location's created_at", "[geo][oracle]") {
  auto rows = test::geo_oracle({"created", geo::kDefaultLibLocPath});
  REQUIRE(rows.size() == 1);
  CHECK_THAT(geo::open_locator()->source(), Catch::Contains(" " + rows[0][0] + " ("));
}
