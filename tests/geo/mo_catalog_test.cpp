#include "common/geo/mo_catalog.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>

#include "common/geo/locator.h"

using namespace teiten;
using Bytes = std::vector<uint8_t>;

namespace {

// A catalog laid out as GNU msgfmt does: header, the two tables, then the
// strings (NUL-terminated) in msgid order; no hash table.
Bytes make_catalog(const std::map<std::string, std::string>& entries, bool little = true,
                   uint32_t revision = 0) {
  const uint32_t n = static_cast<uint32_t>(entries.size());
  Bytes out(28 + 16 * n);
  auto put = [&](size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) out[at + (little ? i : 3 - i)] = static_cast<uint8_t>(v >> (8 * i));
  };
  put(0, 0x950412de);
  put(4, revision);
  put(8, n);
  put(12, 28);
  put(16, 28 + 8 * n);
  size_t i = 0;
  std::vector<std::pair<std::string, std::string>> sorted(entries.begin(), entries.end());
  for (int table = 0; table < 2; ++table) {
    i = 0;
    for (const auto& [id, str] : sorted) {
      const std::string& s = table == 0 ? id : str;
      put(28 + table * 8 * n + 8 * i, static_cast<uint32_t>(s.size()));
      put(28 + table * 8 * n + 8 * i + 4, static_cast<uint32_t>(out.size()));
      out.insert(out.end(), s.begin(), s.end());
      out.push_back(0);
      ++i;
    }
  }
  return out;
}

const std::map<std::string, std::string> kEntries = {
    {"", "Content-Type: text/plain; charset=UTF-8\nLanguage: ja\n"},
    {"Japan", "日本"},
    {"Taiwan", "台湾"},
    {std::string("file\0files", 10), std::string("ファイル\0ファイル群", 28)},
    {"menu\x04Open", "開く"},
    {"Untranslated", ""},
};

}  // namespace

TEST_CASE("a .mo catalog in either byte order yields its translations", "[geo][mo]") {
  for (bool little : {true, false}) {
    auto catalog = geo::MoCatalog::parse(make_catalog(kEntries, little));
    REQUIRE(catalog.find("Japan"));
    CHECK(*catalog.find("Japan") == "日本");
    CHECK(*catalog.find("Taiwan") == "台湾");
    REQUIRE(catalog.find("file"));  // a plural entry is found by its singular, gives its first form
    CHECK(*catalog.find("file") == "ファイル");
    CHECK(catalog.find("Open") == nullptr);  // only under its context
    CHECK(catalog.find("Untranslated") == nullptr);
    CHECK(catalog.find("") == nullptr);  // the header is not a translation
    CHECK(catalog.size() == 3);
  }
}

TEST_CASE("a catalog in another charset or of an unknown revision is refused", "[geo][mo]") {
  auto latin1 = kEntries;
  latin1[""] = "Content-Type: text/plain; charset=ISO-8859-1\n";
  CHECK_THROWS_WITH(geo::MoCatalog::parse(make_catalog(latin1)),
                    Catch::Contains("charset ISO-8859-1"));
  CHECK_THROWS_WITH(geo::MoCatalog::parse(make_catalog(kEntries, true, 2u << 16)),
                    Catch::Contains("revision"));
  CHECK_NOTHROW(geo::MoCatalog::parse(make_catalog(kEntries, true, 1)));
}

TEST_CASE("every truncation of a catalog is refused or still reads the same, never past the end",
          "[geo][mo]") {
  Bytes whole = make_catalog(kEntries);
  for (size_t size = 0; size < whole.size(); ++size) {
    Bytes cut(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(size));
    INFO("size " << size);
    try {
      auto catalog = geo::MoCatalog::parse(cut);
      // Only the last string's terminating NUL may go without losing anything.
      CHECK(size == whole.size() - 1);
      CHECK(catalog.size() == 3);
    } catch (const geo::GeoError&) {
    }
  }
}

TEST_CASE("corrupt counts, offsets and magic numbers are errors", "[geo][mo]") {
  auto patched = [](size_t at, uint32_t v) {
    Bytes b = make_catalog(kEntries);
    for (int i = 0; i < 4; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
    return b;
  };
  CHECK_THROWS_WITH(geo::MoCatalog::parse(patched(0, 0x12345678)), Catch::Contains("magic"));
  CHECK_THROWS_WITH(geo::MoCatalog::parse(patched(8, 0xffffffff)), Catch::Contains("table"));
  CHECK_THROWS_WITH(geo::MoCatalog::parse(patched(12, 0xfffffff0)), Catch::Contains("table"));
  CHECK_THROWS_WITH(geo::MoCatalog::parse(patched(28 + 4, 0xfffffff0)),
                    Catch::Contains("past the end"));
  CHECK_THROWS_WITH(geo::MoCatalog::parse(patched(28, 0xffffffff)),
                    Catch::Contains("past the end"));
  CHECK_THROWS(geo::MoCatalog::parse(Bytes{}));
}

TEST_CASE("Debian's Japanese iso_3166-1 catalog reads without the ja locale", "[geo][mo]") {
  auto catalog = geo::MoCatalog::read_file("/usr/share/locale/ja/LC_MESSAGES/iso_3166-1.mo");
  CHECK(catalog.size() > 200);
  REQUIRE(catalog.find("Japan"));
  CHECK(*catalog.find("Japan") == "日本");
  CHECK_THROWS_WITH(geo::MoCatalog::read_file("/nonexistent/iso_3166-1.mo"),
                    Catch::Contains("/nonexistent/iso_3166-1.mo"));
}
