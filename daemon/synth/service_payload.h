// teiten::synth service payloads — what a scanner actually sends to a
// well-known UDP service (a DNS version.bind query, an NTP client packet, a
// NetBIOS node-status query, an SNMP get of sysDescr.0, an SSDP M-SEARCH,
// ...) and the DNS answers that come back as backscatter.
//
// Only decoration: the sensor classifies by headers alone. But tshark and
// Wireshark dissect these ports, and random bytes there show up as
// "Malformed Packet", which no real capture is full of. Never allocates.
#pragma once

#include <cstddef>
#include <cstdint>

namespace teiten::synth {

/// Writes the payload a datagram from `sport` to `dport` typically carries
/// into out (at most cap bytes) and returns its length; 0 when the port
/// has no template. `id` varies transaction ids and cookies.
size_t write_service_payload(uint16_t sport, uint16_t dport, uint16_t id, uint8_t* out, size_t cap);

}  // namespace teiten::synth
