#include "common/geo/network_ranges.h"

namespace teiten::geo {
namespace {

int bits_of(base::Family family) {
  return family == base::Family::v4 ? 32 : 128;
}

// Number of trailing zero bits of `v`, at most `limit`.
int trailing_zeros(Uint128 v, int limit) {
  int n = 0;
  while (n < limit && ((v >> n) & 1) == 0) ++n;
  return n;
}

}  // namespace

Uint128 to_integer(const base::IpAddress& address) {
  Uint128 v = 0;
  int bytes = address.is_v4() ? 4 : 16;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | address.bytes[i];
  return v;
}

base::IpAddress from_integer(Uint128 value, base::Family family) {
  base::IpAddress a;
  a.family = family;
  int bytes = family == base::Family::v4 ? 4 : 16;
  for (int i = bytes - 1; i >= 0; --i, value >>= 8) a.bytes[i] = static_cast<uint8_t>(value);
  return a;
}

AddressRange range_of(const base::Prefix& prefix) {
  int host_bits = bits_of(prefix.address.family) - prefix.length;
  Uint128 first = to_integer(prefix.address);
  Uint128 span = host_bits == 128 ? ~Uint128{0} : (Uint128{1} << host_bits) - 1;
  return {first, first + span};
}

void append_prefixes(const AddressRange& range, base::Family family,
                     std::vector<base::Prefix>& out) {
  const int width = bits_of(family);
  Uint128 first = range.first;
  while (true) {
    // The largest aligned block starting at `first` that does not pass `last`.
    int host_bits = trailing_zeros(first, width);
    while (host_bits > 0) {
      Uint128 span = host_bits == 128 ? ~Uint128{0} : (Uint128{1} << host_bits) - 1;
      if (range.last - first >= span) break;
      --host_bits;
    }
    out.push_back({from_integer(first, family), static_cast<uint8_t>(width - host_bits)});
    Uint128 span = host_bits == 128 ? ~Uint128{0} : (Uint128{1} << host_bits) - 1;
    if (range.last - first == span) return;  // also ends the whole-space case without overflow
    first += span + 1;
  }
}

std::vector<AddressRange> subtract(const std::vector<AddressRange>& ranges,
                                   const std::vector<AddressRange>& holes) {
  std::vector<AddressRange> out;
  auto emit = [&out](Uint128 first, Uint128 last) {
    if (!out.empty() && out.back().last + 1 == first)
      out.back().last = last;
    else
      out.push_back({first, last});
  };
  size_t h = 0;
  for (const auto& r : ranges) {
    Uint128 cursor = r.first;
    bool done = false;
    while (h < holes.size() && holes[h].last < cursor) ++h;
    for (size_t k = h; k < holes.size() && holes[k].first <= r.last; ++k) {
      if (holes[k].first > cursor) emit(cursor, holes[k].first - 1);
      if (holes[k].last >= r.last) {
        done = true;
        break;
      }
      cursor = holes[k].last + 1;
    }
    if (!done) emit(cursor, r.last);
  }
  return out;
}

}  // namespace teiten::geo
