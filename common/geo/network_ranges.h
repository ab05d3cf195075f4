// teiten::geo address ranges: the arithmetic LibLocDatabase::networks_of
// needs to turn nested database networks into disjoint prefixes. An address
// is a 128-bit integer (IPv4 in the low 32 bits); ranges are inclusive.
#pragma once

#include <vector>

#include "common/base/ip_address.h"
#include "common/base/prefix.h"

namespace teiten::geo {

__extension__ typedef unsigned __int128 Uint128;

struct AddressRange {
  Uint128 first = 0, last = 0;
  bool operator==(const AddressRange&) const = default;
};

Uint128 to_integer(const base::IpAddress& address);
base::IpAddress from_integer(Uint128 value, base::Family family);
AddressRange range_of(const base::Prefix& prefix);

/// Appends to `out` the fewest prefixes that cover exactly `range`.
void append_prefixes(const AddressRange& range, base::Family family,
                     std::vector<base::Prefix>& out);
/// `ranges` minus `holes`; both sorted and disjoint, and so is the result,
/// with touching ranges merged.
std::vector<AddressRange> subtract(const std::vector<AddressRange>& ranges,
                                   const std::vector<AddressRange>& holes);

}  // namespace teiten::geo
