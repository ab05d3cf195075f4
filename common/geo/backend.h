// teiten::geo::Backend — one database file as the Locator sees it: its own
// answer before the ZZ rules of locator.h, and a description for source().
#pragma once

#include <cstdint>
#include <string>

#include "common/base/ip_address.h"
#include "common/geo/locator.h"

namespace teiten::geo {

class Backend {
 public:
  virtual ~Backend() = default;
  /// The database's answer as it stands: country may be empty or a code
  /// that is not a country (EU); asn 0 when unknown. Thread-safe.
  virtual Location lookup_raw(const base::IpAddress& address) const = 0;
  /// "KIND DATE (PATH)", e.g. "GeoLite2-ASN 2024-05-10 (/srv/asn.mmdb)".
  virtual std::string describe() const = 0;
};

/// "KIND YYYY-MM-DD (PATH)", the build time as a UTC date.
std::string describe_source(const std::string& kind, int64_t built_unix_seconds,
                            const std::string& path);

}  // namespace teiten::geo
