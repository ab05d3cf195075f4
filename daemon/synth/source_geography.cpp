#include "daemon/synth/source_geography.h"

#include <algorithm>

#include "common/geo/iso3166.h"
#include "daemon/synth/fleet_sources.h"

namespace teiten::synth {
namespace {

// IPv6 networks are read (a second pass over the database) only when some
// IPv6 source can reach a sensor.
bool needs_ipv6(const Profile& profile) {
  const bool v6_sensor = std::any_of(profile.sensors.begin(), profile.sensors.end(),
                                     [](const ProfileSensor& s) { return s.address6.has_value(); });
  return v6_sensor;
}

}  // namespace

CountryNetworks profile_networks(const Profile& profile, const geo::LibLocDatabase& database) {
  const geo::CountryCodes codes(geo::read_iso3166(geo::kDefaultIso3166Json));
  std::vector<std::string> countries;
  std::vector<config::ConfigError> errors;
  for (const auto& [name, mix] : profile.populations)
    for (const auto& [code, weight] : mix) {
      if (codes.contains(code)) {
        countries.push_back(code);
        continue;
      }
      errors.push_back(profile.marks.error_at(
          "populations." + name + "." + code,
          "'" + code + "' is not a country in iso-codes (the report would show it as ZZ)"));
    }
  std::sort(countries.begin(), countries.end());
  countries.erase(std::unique(countries.begin(), countries.end()), countries.end());
  CountryNetworks out;
  std::vector<base::Family> families{base::Family::v4};
  if (needs_ipv6(profile)) families.push_back(base::Family::v6);
  for (const base::Family family : families)
    for (auto& [code, prefixes] : database.networks_of(countries, family))
      out.set(code, family, std::move(prefixes));
  // Every population draws IPv4 sources somewhere; IPv6 only where it can.
  for (const auto& [name, mix] : profile.populations)
    for (const auto& [code, weight] : mix)
      if (codes.contains(code) && !out.has(code, base::Family::v4))
        errors.push_back(profile.marks.error_at(
            "populations." + name + "." + code,
            "the geolocation database places no IPv4 network in '" + code + "'"));
  if (!errors.empty()) {
    std::stable_sort(errors.begin(), errors.end(), [](const auto& a, const auto& b) {
      return std::pair{a.line, a.column} < std::pair{b.line, b.column};
    });
    throw config::ConfigErrors(std::move(errors));
  }
  return out;
}

PlaceLookup place_lookup(const geo::Locator& locator) {
  return [&locator](const base::IpAddress& a) {
    geo::Location where = locator.lookup(a);
    return SourcePlace{std::move(where.country), where.asn, std::move(where.as_name)};
  };
}

}  // namespace teiten::synth
