// teiten::synth::FleetSources — who scans the fleet: fresh sources drawn
// from a population's countries, the fleet-wide pool of repeat scanners of
// each port type, and each sensor's regulars (sources back almost daily).
//
// Pools and regulars are drawn once per profile from their own Rng streams,
// so they stay the same whatever months or sensors are generated. No source
// is ever one of the fleet's observed addresses or in an ignored network:
// it would not count, and a planned row would be missing.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/base/prefix.h"
#include "daemon/synth/country_networks.h"
#include "daemon/synth/profile.h"
#include "daemon/synth/rng.h"

namespace teiten::synth {

/// Every country code the profile's populations name.
std::vector<std::string> profile_countries(const Profile& profile);

class FleetSources {
 public:
  /// Whether a drawn address may be a source (for example: it belongs to
  /// an autonomous system, as scanning hosts do); others are drawn again.
  using Acceptable = std::function<bool(const base::IpAddress&)>;

  FleetSources(const Profile& profile, const CountryNetworks& networks,
               Acceptable acceptable = {});

  /// A fresh source from `population` (a key of Profile::populations);
  /// std::runtime_error when none of its countries has networks of `family`.
  base::IpAddress draw(const std::string& population, base::Family family, Rng& rng) const;
  /// The family a port's sources take at a sensor, before the IPv6 share.
  static base::Family family_for(const ProfilePort& port, const ProfileSensor& sensor);

  const std::vector<base::IpAddress>& pool(size_t port) const { return pools_[port]; }
  const std::vector<base::IpAddress>& regulars(size_t sensor, size_t port) const {
    return regulars_[sensor][port];
  }

 private:
  struct Mix {
    std::vector<std::string> countries;
    std::vector<double> cumulative;
  };

  const Profile& profile_;
  const CountryNetworks& networks_;
  Acceptable acceptable_;
  base::PrefixSet excluded_;
  std::map<std::pair<std::string, base::Family>, Mix> mixes_;
  std::vector<std::vector<base::IpAddress>> pools_;                  // [port]
  std::vector<std::vector<std::vector<base::IpAddress>>> regulars_;  // [sensor][port]
};

}  // namespace teiten::synth
