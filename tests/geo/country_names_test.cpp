#include "common/geo/country_names.h"

#include <catch2/catch.hpp>

#include "common/geo/locator.h"
#include "geo/geo_oracle.h"

using namespace teiten;
using geo::Language;

TEST_CASE("every country's names equal Python's gettext reading of the same iso-codes files",
          "[geo][names]") {
  geo::IsoCodesFiles files;
  auto names = geo::CountryNames::load(files);
  auto rows = test::geo_oracle({"names", files.iso3166_json, files.ja_catalog});
  REQUIRE(rows.size() > 240);
  size_t translated = 0;
  for (const auto& row : rows) {
    REQUIRE(row.size() == 3);
    INFO(row[0]);
    CHECK(names.is_country(row[0]));
    CHECK(names.name(row[0], Language::en) == row[1]);
    CHECK(names.name(row[0], Language::ja) == row[2]);
    translated += row[1] != row[2];
  }
  CHECK(translated > 240);  // the Japanese catalog was really used
}

TEST_CASE("common names win in both languages, and ZZ and unlisted codes are unknown",
          "[geo][names]") {
  auto names = geo::CountryNames::load();
  CHECK(names.name("TW", Language::en) == "Taiwan");
  CHECK(names.name("TW", Language::ja) == "台湾");
  CHECK(names.name("JP", Language::en) == "Japan");
  CHECK(names.name("JP", Language::ja) == "日本");
  CHECK(names.name("CN", Language::ja) == "中国");
  CHECK(names.name("US", Language::en) == "United States");
  for (const char* code : {"ZZ", "EU", "AP", "", "jp", "XYZ"}) {
    INFO(code);
    CHECK_FALSE(names.is_country(code));
    CHECK(names.name(code, Language::en) == "unknown");
    CHECK(names.name(code, Language::ja) == "不明");
  }
}

TEST_CASE("a missing iso-codes file is an error naming it", "[geo][names]") {
  geo::IsoCodesFiles no_json;
  no_json.iso3166_json = "/nonexistent/iso_3166-1.json";
  CHECK_THROWS_WITH(geo::CountryNames::load(no_json),
                    Catch::Contains("/nonexistent/iso_3166-1.json"));
  geo::IsoCodesFiles no_mo;
  no_mo.ja_catalog = "/nonexistent/ja/iso_3166-1.mo";
  CHECK_THROWS_WITH(geo::CountryNames::load(no_mo),
                    Catch::Contains("/nonexistent/ja/iso_3166-1.mo"));
  geo::IsoCodesFiles wrong;
  wrong.iso3166_json = "/usr/share/iso-codes/json/iso_639-2.json";
  CHECK_THROWS_AS(geo::CountryNames::load(wrong), geo::GeoError);
}
