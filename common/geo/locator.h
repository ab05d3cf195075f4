// teiten::geo — country and AS of a source address, behind one interface.
//
// What it owns: answering "which country and AS does this address belong
// to?" for the report. Callers hold a Locator from open_locator() and never
// learn which database answered; source() names it for the page's footnote.
// Beside it: CountryNames (country_names.h) names a code in English or
// Japanese from Debian's iso-codes, and LibLocDatabase::networks_of
// (libloc_database.h) lists the networks of a country, for teiten-synth.
//
// The rules every answer follows, in this order (docs/report.md, section
// "Geolocation", says the same for readers of the report):
//   1. an address in the IANA special-purpose registries (special_purpose.h)
//      is {"ZZ", 0, ""} whatever the database says: databases place some of
//      those blocks inside a country's allocation (libloc puts 2001:db8::/32
//      in Australia's 2001:c00::/23);
//   2. otherwise the database's answer, where a country code that iso-codes
//      does not list (libloc's EU, AP, CS or no code at all; an MMDB entry
//      with only a continent) becomes "ZZ"; the AS is kept either way.
//
// Backends: by default the IPFire location database that Debian's
// libloc-database installs, read with libloc's C API; or one or more MMDB
// files (GeoLite2 / DB-IP Country, City or ASN), read with libmaxminddb,
// where each field comes from the first file that has it.
//
// What it must never do: log (errors at open are GeoError exceptions; a
// lookup never fails, an address it cannot place is "ZZ"), or open a file
// after open_locator(). lookup() may be called from several threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/base/ip_address.h"
#include "common/geo/iso3166.h"

namespace teiten::geo {

/// An open that fails (missing file, not a database, unreadable iso-codes).
struct GeoError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The code of every address no database places in a country.
inline constexpr const char* kUnknownCountry = "ZZ";

struct Location {
  std::string country = kUnknownCountry;  ///< ISO 3166-1 alpha-2, or "ZZ"
  uint32_t asn = 0;                       ///< 0: unknown
  std::string as_name;                    ///< empty when unknown
  bool operator==(const Location&) const = default;
};

class Locator {
 public:
  virtual ~Locator() = default;
  /// Never throws, never fails: an address that cannot be placed is "ZZ".
  virtual Location lookup(const base::IpAddress& address) const = 0;
  /// What answered, for a footnote: e.g. "IPFire Project location database
  /// 2022-10-29 (/var/lib/location/database.db)"; several MMDB files are
  /// joined with "; ".
  virtual std::string source() const = 0;
};

/// Where Debian's libloc-database puts the database (a link to
/// /usr/share/libloc-location/location.db).
inline constexpr const char* kDefaultLibLocPath = "/var/lib/location/database.db";

struct LocatorOptions {
  /// MMDB files, in order of preference; empty: the libloc database.
  std::vector<std::string> mmdb_paths;
  std::string libloc_path = kDefaultLibLocPath;
  std::string iso3166_json = kDefaultIso3166Json;
};

/// Opens the databases named by `options`; throws GeoError naming the file
/// and the reason when one cannot be opened.
std::unique_ptr<Locator> open_locator(const LocatorOptions& options = {});

}  // namespace teiten::geo
