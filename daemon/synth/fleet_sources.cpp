#include "daemon/synth/fleet_sources.h"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace teiten::synth {
namespace {

constexpr uint64_t kPoolStream = 2, kRegularStream = 3;

}  // namespace

std::vector<std::string> profile_countries(const Profile& profile) {
  std::set<std::string> codes;
  for (const auto& [name, mix] : profile.populations)
    for (const auto& [code, weight] : mix) codes.insert(code);
  return {codes.begin(), codes.end()};
}

base::Family FleetSources::family_for(const ProfilePort& port, const ProfileSensor& sensor) {
  if (port.type.proto == Proto::icmpv6 || !sensor.address) return base::Family::v6;
  return base::Family::v4;
}

FleetSources::FleetSources(const Profile& profile, const CountryNetworks& networks,
                           Acceptable acceptable)
    : profile_(profile), networks_(networks), acceptable_(std::move(acceptable)) {
  for (const auto& s : profile.sensors) {
    if (s.address) excluded_.add({*s.address, 32});
    if (s.address6) excluded_.add({*s.address6, 128});
    for (const auto& p : s.ignore_sources) excluded_.add(p);
  }
  // Countries without networks of a family are left out of its draws
  // (profile_networks() has already refused a country without IPv4).
  for (const auto& [name, mix] : profile.populations)
    for (const base::Family family : {base::Family::v4, base::Family::v6}) {
      Mix& m = mixes_[{name, family}];
      double sum = 0;
      for (const auto& [code, weight] : mix) {
        if (weight <= 0 || !networks.has(code, family)) continue;
        m.countries.push_back(code);
        m.cumulative.push_back(sum += weight);
      }
    }

  for (size_t p = 0; p < profile.ports.size(); ++p) {
    const ProfilePort& port = profile.ports[p];
    Rng rng(profile.seed, stream_of(kPoolStream, p));
    // The pool's family: IPv4 unless the port is ICMPv6 or no sensor has IPv4.
    const bool any_v4 = std::any_of(profile.sensors.begin(), profile.sensors.end(),
                                    [](const ProfileSensor& s) { return s.address.has_value(); });
    const auto family =
        port.type.proto == Proto::icmpv6 || !any_v4 ? base::Family::v6 : base::Family::v4;
    auto& pool = pools_.emplace_back();
    for (uint32_t i = 0; i < port.pool; ++i) pool.push_back(draw(port.population, family, rng));
  }
  for (size_t s = 0; s < profile.sensors.size(); ++s) {
    auto& per_port = regulars_.emplace_back();
    for (size_t p = 0; p < profile.ports.size(); ++p) {
      const ProfilePort& port = profile.ports[p];
      Rng rng(profile.seed, stream_of(kRegularStream, s, p));
      auto& regulars = per_port.emplace_back();
      const auto family = family_for(port, profile.sensors[s]);
      for (uint32_t i = 0; i < port.regulars; ++i)
        regulars.push_back(draw(port.population, family, rng));
    }
  }
}

base::IpAddress FleetSources::draw(const std::string& population, base::Family family,
                                   Rng& rng) const {
  const auto it = mixes_.find({population, family});
  if (it == mixes_.end() || it->second.countries.empty())
    throw std::runtime_error("population '" + population + "' has no country with IPv" +
                             (family == base::Family::v4 ? "4" : "6") +
                             " networks in the geolocation database");
  const Mix& m = it->second;
  // A country whose space is mostly unacceptable still yields a source
  // after a while: the bound keeps the draw finite.
  for (int tries = 0;; ++tries) {
    const double x = rng.unit() * m.cumulative.back();
    const size_t i = std::min<size_t>(
        static_cast<size_t>(std::upper_bound(m.cumulative.begin(), m.cumulative.end(), x) -
                            m.cumulative.begin()),
        m.countries.size() - 1);
    const base::IpAddress a = networks_.draw(m.countries[i], family, rng);
    if (excluded_.contains(a)) continue;
    if (!acceptable_ || tries >= 64 || acceptable_(a)) return a;
  }
}

}  // namespace teiten::synth
