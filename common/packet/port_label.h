// teiten::packet::port_label — the one rule for naming a port type, used by
// the report, `teitenctl top` and the demo: `445/tcp`, `5060/udp`,
// `Ping (ICMP)` for ICMP echo request, `ICMP type N` for other ICMP types
// (`Ping (ICMPv6)` / `ICMPv6 type N` for ICMPv6), and other IP protocols by
// name (`GRE`, `ESP`, ...; `IP protocol N` when unnamed). docs/report.md
// lists the rule for readers.
#pragma once

#include <cstdint>
#include <string>

#include "common/packet/access.h"

namespace teiten::packet {

/// The label of port type (proto, port); `port` is the ICMP type for icmp
/// and icmpv6, and the protocol number for proto ip.
std::string port_label(Proto proto, uint16_t port);

}  // namespace teiten::packet
