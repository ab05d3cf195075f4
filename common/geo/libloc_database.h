// teiten::geo::LibLocDatabase — the IPFire location database (Debian's
// libloc-database) through libloc's C API: the Locator's default backend,
// and the source of a country's networks for teiten-synth.
//
// libloc keeps non-atomic reference counts on its context, which every
// lookup and every enumerated network touches, so both take one mutex.
// libloc's own log output is switched off: errors come back as return codes
// and become GeoError.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/base/prefix.h"
#include "common/geo/backend.h"

struct loc_ctx;
struct loc_database;

namespace teiten::geo {

class LibLocDatabase : public Backend {
 public:
  /// Opens and maps `path`; throws GeoError naming it when it is missing or
  /// not a libloc database.
  explicit LibLocDatabase(const std::string& path = kDefaultLibLocPath);
  ~LibLocDatabase() override;
  LibLocDatabase(const LibLocDatabase&) = delete;
  LibLocDatabase& operator=(const LibLocDatabase&) = delete;

  Location lookup_raw(const base::IpAddress& address) const override;
  /// "IPFire Project location database 2022-10-29 (/var/lib/location/database.db)"
  std::string describe() const override;
  /// When the database was built (its header's creation time).
  std::chrono::sys_seconds created_at() const;

  /// The networks of `family` that the Locator (open_locator on this file)
  /// places in `country`: each database network of that country minus its
  /// more specific networks and minus the special-purpose blocks, as the
  /// fewest disjoint prefixes, in address order. `country` is matched as
  /// the database spells it: ask only for codes CountryNames::is_country
  /// accepts, since the Locator reports the others (EU, AP) as "ZZ"; text
  /// that is not two capital letters yields nothing. One pass over the
  /// whole database: about a second per family.
  std::vector<base::Prefix> networks_of(const std::string& country, base::Family family) const;
  /// The same for several countries in one pass; every requested code is a
  /// key of the result.
  std::map<std::string, std::vector<base::Prefix>> networks_of(
      const std::vector<std::string>& countries, base::Family family) const;

 private:
  const std::string& as_name_locked(uint32_t asn) const;

  std::string path_;
  loc_ctx* ctx_ = nullptr;
  loc_database* db_ = nullptr;
  mutable std::mutex mutex_;
  mutable std::unordered_map<uint32_t, std::string> as_names_;  // guarded by mutex_
};

}  // namespace teiten::geo
