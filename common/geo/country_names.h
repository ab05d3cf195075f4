// teiten::geo::CountryNames — a country's name in English and Japanese, from
// Debian's iso-codes: English from iso_3166-1.json, Japanese from the
// iso_3166-1 gettext catalog (read by MoCatalog, no locale needed). No name
// is written by hand here except the one for "ZZ".
//
// The shorter common_name wins where iso-codes has one ("Taiwan" rather
// than "Taiwan, Province of China"), in both languages: Japanese takes the
// catalog's translation of common_name, else of name, else the English.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/geo/iso3166.h"

namespace teiten::geo {

enum class Language { en, ja };

struct IsoCodesFiles {
  std::string iso3166_json = kDefaultIso3166Json;
  std::string ja_catalog = "/usr/share/locale/ja/LC_MESSAGES/iso_3166-1.mo";
};

class CountryNames {
 public:
  /// Reads both files; throws GeoError naming the one that is missing or bad.
  static CountryNames load(const IsoCodesFiles& files = {});

  /// The name of `code` in `language`: "unknown" / "不明" for "ZZ" and for
  /// any code iso-codes does not list. The reference lives as long as this.
  const std::string& name(std::string_view code, Language language) const;
  /// True for a code iso-codes lists (never "ZZ").
  bool is_country(std::string_view code) const { return codes_.contains(code); }
  const CountryCodes& codes() const { return codes_; }

 private:
  struct Names {
    std::string en, ja;
  };
  std::map<std::string, Names, std::less<>> names_;
  CountryCodes codes_;
};

}  // namespace teiten::geo
