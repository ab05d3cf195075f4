#include "common/geo/country_names.h"

#include "common/geo/mo_catalog.h"

namespace teiten::geo {
namespace {

const std::string kUnknownEn = "unknown";
const std::string kUnknownJa = "不明";

}  // namespace

CountryNames CountryNames::load(const IsoCodesFiles& files) {
  auto countries = read_iso3166(files.iso3166_json);
  auto catalog = MoCatalog::read_file(files.ja_catalog);
  CountryNames out;
  out.codes_ = CountryCodes(countries);
  for (const auto& c : countries) {
    const std::string& en = c.common_name.empty() ? c.name : c.common_name;
    const std::string* ja = c.common_name.empty() ? nullptr : catalog.find(c.common_name);
    if (!ja) ja = catalog.find(c.name);
    out.names_.emplace(c.alpha_2, Names{en, ja ? *ja : en});
  }
  return out;
}

const std::string& CountryNames::name(std::string_view code, Language language) const {
  auto it = names_.find(code);
  if (it == names_.end()) return language == Language::ja ? kUnknownJa : kUnknownEn;
  return language == Language::ja ? it->second.ja : it->second.en;
}

}  // namespace teiten::geo
