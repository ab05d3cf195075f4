// LibLocDatabase::networks_of: which addresses the Locator places in a
// country. libloc stores nested networks (a /8 of one country holding /24s
// of others) and a lookup answers with the most specific one, so a
// country's addresses are each of its networks minus every more specific
// network inside it. libloc's own flattening enumerator computes that too,
// but takes minutes on Australia's networks; one ordered pass does it here.
#include <sys/socket.h>

#include <cstring>

#include "common/geo/libloc_database.h"
#include "common/geo/network_ranges.h"
#include "common/geo/special_purpose.h"

extern "C" {
#include <libloc/database.h>
#include <libloc/network.h>
}

namespace teiten::geo {
namespace {

Uint128 to_integer(const in6_addr* a, base::Family family) {
  Uint128 v = 0;
  for (int i = family == base::Family::v4 ? 12 : 0; i < 16; ++i) v = (v << 8) | a->s6_addr[i];
  return v;
}

// Turns the enumerator's networks, which come in address order with every
// network before the networks inside it, into each wanted country's own
// ranges: a network's range minus its inner networks, in address order.
class Flattener {
 public:
  explicit Flattener(size_t countries) : ranges_(countries) {}

  void add(AddressRange range, int country) {
    while (!stack_.empty() && stack_.back().range.last < range.first) finish();
    if (!stack_.empty()) {
      Frame& outer = stack_.back();
      if (!outer.exhausted && outer.cursor < range.first)
        emit(outer, outer.cursor, range.first - 1);
      if (range.last >= outer.range.last)
        outer.exhausted = true;
      else
        outer.cursor = range.last + 1;
    }
    stack_.push_back({range, country, range.first, false});
  }

  std::vector<std::vector<AddressRange>> take() {
    while (!stack_.empty()) finish();
    return std::move(ranges_);
  }

 private:
  struct Frame {
    AddressRange range;
    int country;  // index into ranges_, or -1
    Uint128 cursor;
    bool exhausted;
  };

  void finish() {
    Frame& f = stack_.back();
    if (!f.exhausted) emit(f, f.cursor, f.range.last);
    stack_.pop_back();
  }

  void emit(const Frame& f, Uint128 first, Uint128 last) {
    if (f.country < 0) return;
    auto& out = ranges_[static_cast<size_t>(f.country)];
    if (!out.empty() && out.back().last + 1 == first)
      out.back().last = last;
    else
      out.push_back({first, last});
  }

  std::vector<Frame> stack_;
  std::vector<std::vector<AddressRange>> ranges_;
};

std::vector<AddressRange> special_ranges(base::Family family) {
  std::vector<AddressRange> out;
  for (const auto& block : special_purpose_blocks())
    if (block.prefix.address.family == family) out.push_back(range_of(block.prefix));
  // The table is in address order and its blocks are disjoint (a test checks).
  return out;
}

int country_slot(const char* code) {
  if (code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' || code[2] != '\0')
    return -1;
  return (code[0] - 'A') * 26 + (code[1] - 'A');
}

}  // namespace

std::map<std::string, std::vector<base::Prefix>> LibLocDatabase::networks_of(
    const std::vector<std::string>& countries, base::Family family) const {
  std::vector<int> wanted(size_t{26} * 26, -1);  // slot of a code -> index into `countries`
  for (size_t i = 0; i < countries.size(); ++i) {
    int slot = country_slot(countries[i].c_str());
    if (slot >= 0) wanted[static_cast<size_t>(slot)] = static_cast<int>(i);
  }

  std::lock_guard lock(mutex_);
  loc_database_enumerator* e = nullptr;
  if (loc_database_enumerator_new(&e, db_, LOC_DB_ENUMERATE_NETWORKS, 0) != 0)
    throw GeoError("libloc: cannot enumerate the networks of " + path_);
  loc_database_enumerator_set_family(e, family == base::Family::v4 ? AF_INET : AF_INET6);
  Flattener flat(countries.size());
  int r = 0;
  for (;;) {
    loc_network* n = nullptr;
    r = loc_database_enumerator_next_network(e, &n);
    if (r != 0 || !n) break;
    int slot = country_slot(loc_network_get_country_code(n));
    AddressRange range{to_integer(loc_network_get_first_address(n), family),
                       to_integer(loc_network_get_last_address(n), family)};
    flat.add(range, slot < 0 ? -1 : wanted[static_cast<size_t>(slot)]);
    loc_network_unref(n);
  }
  loc_database_enumerator_unref(e);
  if (r != 0) throw GeoError("libloc: enumerating the networks of " + path_ + " failed");

  auto holes = special_ranges(family);
  auto ranges = flat.take();
  std::map<std::string, std::vector<base::Prefix>> out;
  for (size_t i = 0; i < countries.size(); ++i) {
    auto& prefixes = out[countries[i]];
    for (const auto& range : subtract(ranges[i], holes)) append_prefixes(range, family, prefixes);
  }
  return out;
}

std::vector<base::Prefix> LibLocDatabase::networks_of(const std::string& country,
                                                      base::Family family) const {
  return networks_of(std::vector<std::string>{country}, family)[country];
}

}  // namespace teiten::geo
