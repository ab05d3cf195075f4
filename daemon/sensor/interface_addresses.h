// The addresses a live sensor observes when capture.observed is absent: its
// interface's own, re-read periodically so DHCP and PPPoE changes follow.
#pragma once

#include <string>
#include <vector>

#include "common/base/prefix.h"

namespace teiten::sensor {

/// Host prefixes (/32, /128) of the interface's addresses, sorted. For
/// "any", every interface's except loopback. Empty when it has none.
std::vector<base::Prefix> interface_addresses(const std::string& interface);

/// The addresses a host name resolves to (the collector, to ignore its packets).
std::vector<base::Prefix> resolve_host(const std::string& host);

}  // namespace teiten::sensor
