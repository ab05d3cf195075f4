#include "common/geo/mo_catalog.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <vector>

#include "common/geo/locator.h"

namespace teiten::geo {
namespace {

constexpr uint32_t kMagic = 0x950412de;
// iso-codes' catalogs are tens of kilobytes; anything this large is not one.
constexpr size_t kMaxFileSize = 16u << 20;

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  void detect_byte_order() {
    uint32_t magic = read_u32(0, "magic number");
    if (magic == kMagic) return;
    little_ = false;
    if (read_u32(0, "magic number") != kMagic)
      throw GeoError("not a .mo catalog (bad magic number)");
  }

  uint32_t read_u32(size_t offset, const char* what) const {
    if (offset > bytes_.size() || bytes_.size() - offset < 4)
      throw GeoError(std::string("truncated .mo catalog: ") + what + " is past the end");
    const uint8_t* p = bytes_.data() + offset;
    return little_
               ? uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24
               : uint32_t{p[3]} | uint32_t{p[2]} << 8 | uint32_t{p[1]} << 16 | uint32_t{p[0]} << 24;
  }

  /// The string described by the (length, offset) pair at `entry`.
  std::string_view string_at(size_t entry, const char* what) const {
    uint32_t length = read_u32(entry, what);
    uint32_t offset = read_u32(entry + 4, what);
    if (offset > bytes_.size() || length > bytes_.size() - offset)
      throw GeoError(std::string("corrupt .mo catalog: a ") + what + " string lies past the end");
    return {reinterpret_cast<const char*>(bytes_.data()) + offset, length};
  }

  size_t size() const { return bytes_.size(); }

 private:
  std::span<const uint8_t> bytes_;
  bool little_ = true;
};

std::string_view first_part(std::string_view s) {
  return s.substr(0, s.find('\0'));
}

void require_utf8(std::string_view header) {
  auto at = header.find("charset=");
  if (at == std::string_view::npos) return;  // no declaration: gettext assumes ASCII-compatible
  auto value = header.substr(at + 8);
  value = value.substr(0, value.find_first_of(" ;\n"));
  std::string lower(value);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower != "utf-8") throw GeoError("unsupported .mo catalog charset " + std::string(value));
}

}  // namespace

MoCatalog MoCatalog::parse(std::span<const uint8_t> bytes) {
  Reader r(bytes);
  r.detect_byte_order();
  uint32_t revision = r.read_u32(4, "revision");
  if ((revision >> 16) > 1)
    throw GeoError("unsupported .mo catalog revision " + std::to_string(revision));
  uint32_t count = r.read_u32(8, "string count");
  uint32_t originals = r.read_u32(12, "original table offset");
  uint32_t translations = r.read_u32(16, "translation table offset");
  // Both tables must fit before any entry is read: this bounds `count`.
  for (uint32_t table : {originals, translations})
    if (table > r.size() || count > (r.size() - table) / 8)
      throw GeoError("corrupt .mo catalog: string table lies past the end");

  MoCatalog out;
  for (size_t i = 0; i < count; ++i) {
    std::string_view id = r.string_at(originals + i * 8, "original");
    std::string_view str = r.string_at(translations + i * 8, "translation");
    if (id.empty()) {
      require_utf8(str);
      continue;
    }
    if (id.find('\x04') != std::string_view::npos) continue;  // msgctxt entry
    str = first_part(str);
    if (!str.empty()) out.entries_.emplace(first_part(id), str);
  }
  return out;
}

MoCatalog MoCatalog::read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw GeoError("cannot read the gettext catalog " + path);
  std::vector<uint8_t> bytes;
  char buf[8192];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    bytes.insert(bytes.end(), buf, buf + in.gcount());
    if (bytes.size() > kMaxFileSize) throw GeoError(path + " is too large for a gettext catalog");
  }
  try {
    return parse(bytes);
  } catch (const GeoError& e) {
    throw GeoError(path + ": " + e.what());
  }
}

const std::string* MoCatalog::find(std::string_view msgid) const {
  auto it = entries_.find(msgid);
  return it == entries_.end() ? nullptr : &it->second;
}

}  // namespace teiten::geo
