// teiten::synth::CountryNetworks — where a country's sources come from: the
// networks a geolocation database places in that country, and a drawing of
// random addresses inside them (larger networks more often, as scanning
// hosts are spread over address space).
//
// It holds prefixes handed to it and knows nothing of the database, so the
// drawing is deterministic for a seed whatever produced the prefixes. The
// ground truth never assumes a drawn address is in the country it was
// drawn for: it looks each one up (report_truth.h).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/base/prefix.h"
#include "daemon/synth/rng.h"

namespace teiten::synth {

class CountryNetworks {
 public:
  /// The networks of one country and family (replacing any given before).
  void set(const std::string& country, base::Family family, std::vector<base::Prefix> networks);
  bool has(const std::string& country, base::Family family) const;
  /// A random address in one of the country's networks; std::logic_error
  /// when it has none of that family (callers check has() first).
  base::IpAddress draw(const std::string& country, base::Family family, Rng& rng) const;

 private:
  struct Networks {
    std::vector<base::Prefix> prefixes;
    std::vector<double> cumulative;  ///< running sum of each prefix's weight
  };
  std::map<std::pair<std::string, base::Family>, Networks> by_country_;
};

}  // namespace teiten::synth
