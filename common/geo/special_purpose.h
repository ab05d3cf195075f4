// teiten::geo special-purpose address blocks: the addresses no database may
// place in a country. One table (special_purpose.cpp) drawn from the IANA
// registries; the Locator answers "ZZ" for all of them and
// LibLocDatabase::networks_of leaves them out.
#pragma once

#include <string_view>
#include <vector>

#include "common/base/ip_address.h"
#include "common/base/prefix.h"

namespace teiten::geo {

struct SpecialBlock {
  base::Prefix prefix;
  std::string_view name;       ///< the registry's name for the block
  std::string_view reference;  ///< the RFC that reserved it
};

/// Every block, IPv4 then IPv6, in address order; built once, immutable.
const std::vector<SpecialBlock>& special_purpose_blocks();
/// True for an address inside any block; allocates nothing, thread-safe.
bool is_special_purpose(const base::IpAddress& address);

}  // namespace teiten::geo
