// teiten::geo::MoCatalog — a GNU gettext .mo catalog read directly, so the
// Japanese country names do not depend on the ja locale being installed.
//
// The reader is bounded like every teiten parser: each offset and length is
// checked against the file size by subtraction before it is used, so a
// truncated or corrupt file is a GeoError, never a read past the end.
// Format: "The Format of GNU MO Files" in the GNU gettext manual.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>

namespace teiten::geo {

class MoCatalog {
 public:
  /// Parses a whole catalog (either byte order); throws GeoError naming the
  /// first inconsistency. Only UTF-8 catalogs are accepted.
  static MoCatalog parse(std::span<const uint8_t> bytes);
  /// Reads and parses `path`; throws GeoError naming the file.
  static MoCatalog read_file(const std::string& path);

  /// The translation of `msgid` (a plural entry's first form), or nullptr
  /// when the catalog has none. Entries with a context are not looked up.
  const std::string* find(std::string_view msgid) const;
  size_t size() const { return entries_.size(); }

 private:
  std::map<std::string, std::string, std::less<>> entries_;
};

}  // namespace teiten::geo
