#include "common/geo/iso3166.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "common/geo/locator.h"

namespace teiten::geo {
namespace {

bool is_alpha2(std::string_view code) {
  return code.size() == 2 && code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' && code[1] <= 'Z';
}

size_t index_of(std::string_view code) {
  return static_cast<size_t>(code[0] - 'A') * 26 + static_cast<size_t>(code[1] - 'A');
}

}  // namespace

std::vector<IsoCountry> read_iso3166(const std::string& json_path) {
  std::ifstream in(json_path, std::ios::binary);
  if (!in) throw GeoError("cannot read the iso-codes country list " + json_path);
  std::vector<IsoCountry> out;
  try {
    auto doc = nlohmann::json::parse(in);
    for (const auto& entry : doc.at("3166-1")) {
      IsoCountry c{entry.at("alpha_2").get<std::string>(), entry.at("name").get<std::string>(),
                   entry.value("common_name", std::string())};
      if (!is_alpha2(c.alpha_2)) throw GeoError("bad alpha_2 code '" + c.alpha_2 + "'");
      out.push_back(std::move(c));
    }
  } catch (const std::exception& e) {
    throw GeoError(json_path + " is not iso-codes' ISO 3166-1 list: " + e.what());
  }
  if (out.empty()) throw GeoError(json_path + " lists no countries");
  return out;
}

CountryCodes::CountryCodes(const std::vector<IsoCountry>& countries) {
  for (const auto& c : countries) bits_.set(index_of(c.alpha_2));
}

bool CountryCodes::contains(std::string_view code) const {
  return is_alpha2(code) && bits_.test(index_of(code));
}

}  // namespace teiten::geo
