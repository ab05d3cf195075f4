#include "common/geo/locator.h"

#include "common/geo/iso3166.h"
#include "common/geo/libloc_database.h"
#include "common/geo/mmdb_database.h"
#include "common/geo/special_purpose.h"

namespace teiten::geo {
namespace {

// The rules of locator.h over one or more backends: special-purpose blocks
// first, then each field from the first backend that has it.
class RuledLocator : public Locator {
 public:
  RuledLocator(std::vector<std::unique_ptr<Backend>> backends, CountryCodes codes)
      : backends_(std::move(backends)), codes_(codes) {}

  Location lookup(const base::IpAddress& address) const override {
    Location out;
    if (is_special_purpose(address)) return out;
    bool have_country = false;
    for (const auto& backend : backends_) {
      Location raw = backend->lookup_raw(address);
      if (!have_country && codes_.contains(raw.country)) {
        out.country = std::move(raw.country);
        have_country = true;
      }
      if (out.asn == 0 && raw.asn != 0) {
        out.asn = raw.asn;
        out.as_name = std::move(raw.as_name);
      }
      if (have_country && out.asn != 0) break;
    }
    return out;
  }

  std::string source() const override {
    std::string text;
    for (const auto& backend : backends_) text += (text.empty() ? "" : "; ") + backend->describe();
    return text;
  }

 private:
  std::vector<std::unique_ptr<Backend>> backends_;
  CountryCodes codes_;
};

}  // namespace

std::unique_ptr<Locator> open_locator(const LocatorOptions& options) {
  CountryCodes codes(read_iso3166(options.iso3166_json));
  std::vector<std::unique_ptr<Backend>> backends;
  if (options.mmdb_paths.empty())
    backends.push_back(std::make_unique<LibLocDatabase>(options.libloc_path));
  for (const auto& path : options.mmdb_paths)
    backends.push_back(std::make_unique<MmdbDatabase>(path));
  return std::make_unique<RuledLocator>(std::move(backends), codes);
}

}  // namespace teiten::geo
