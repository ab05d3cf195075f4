// teiten::geo::MmdbDatabase — one MaxMind DB file through libmaxminddb: a
// Locator backend for `--geo FILE.mmdb`.
//
// The fields read are those GeoLite2 and DB-IP lite files share:
// country.iso_code, else registered_country.iso_code (Country and City
// files); autonomous_system_number and autonomous_system_organization (ASN
// files). A file may carry either or both; a file with neither answers
// nothing and is still accepted. libmaxminddb lookups only read the mapped
// file, so they are thread-safe.
#pragma once

#include <memory>
#include <string>

#include "common/geo/backend.h"

struct MMDB_s;

namespace teiten::geo {

class MmdbDatabase : public Backend {
 public:
  /// Opens and maps `path`; throws GeoError naming it and libmaxminddb's
  /// reason when it is missing or not a MaxMind DB file.
  explicit MmdbDatabase(const std::string& path);
  ~MmdbDatabase() override;
  MmdbDatabase(const MmdbDatabase&) = delete;
  MmdbDatabase& operator=(const MmdbDatabase&) = delete;

  Location lookup_raw(const base::IpAddress& address) const override;
  /// "GeoLite2-Country 2024-05-10 (/srv/GeoLite2-Country.mmdb)"
  std::string describe() const override;

 private:
  std::string path_;
  std::unique_ptr<MMDB_s> mmdb_;
};

}  // namespace teiten::geo
