// teiten::geo ISO 3166-1 countries as Debian's iso-codes lists them: the one
// list of valid country codes (Locator) and of English names (CountryNames).
#pragma once

#include <bitset>
#include <string>
#include <string_view>
#include <vector>

namespace teiten::geo {

/// Debian's iso-codes list of countries: the one list of valid codes.
inline constexpr const char* kDefaultIso3166Json = "/usr/share/iso-codes/json/iso_3166-1.json";

struct IsoCountry {
  std::string alpha_2;      ///< "TW"
  std::string name;         ///< "Taiwan, Province of China"
  std::string common_name;  ///< "Taiwan"; empty where iso-codes has none
};

/// Reads iso-codes' iso_3166-1.json; throws GeoError naming the file when it
/// is missing or not that file's shape.
std::vector<IsoCountry> read_iso3166(const std::string& json_path);

/// A set of two-letter codes; contains() allocates nothing.
class CountryCodes {
 public:
  CountryCodes() = default;
  explicit CountryCodes(const std::vector<IsoCountry>& countries);
  /// True only for two upper-case letters that are in the set.
  bool contains(std::string_view code) const;
  size_t size() const { return bits_.count(); }

 private:
  std::bitset<26 * 26> bits_;
};

}  // namespace teiten::geo
