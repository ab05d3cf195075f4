// teiten::synth::PacketSpec — one frame as a scenario decides it, before bytes.
//
// Scenarios fill a PacketSpec; PacketBuilder turns it into bytes and
// GroundTruth classifies it by docs/counting.md from these same fields, so
// the truth follows from what was decided, never from decoding what was
// written. Plain data, no allocation: the bench loops build millions.
#pragma once

#include <cstdint>

#include "common/base/ip_address.h"

namespace teiten::synth {

enum class Transport : uint8_t {
  tcp,
  udp,
  icmp,    ///< ICMPv4 (IPv4 only)
  icmpv6,  ///< ICMPv6 (IPv6 only)
  raw,     ///< another IP protocol (ip_protocol), carried opaquely
  arp,     ///< not IP: an ARP request (src/dst are sender/target, IPv4)
};

enum class Payload : uint8_t {
  zeros,
  ping_windows,  ///< "abcdefghijklmnopqrstuvwabcdefghi", as Windows ping sends
  sip_options,   ///< a SIPVicious-style OPTIONS request
  random,        ///< bytes derived from the packet time
  service,       ///< what scanners send to the UDP service port (service_payload.h), else random
};

/// How a Linux cooked capture marks a frame (the kernel's PACKET_* values);
/// other link types do not record it, so scenarios set it only for them.
enum class Direction : uint8_t { host = 0, broadcast = 1, other_host = 3, outgoing = 4 };

/// A header the scenario breaks on purpose, so that the sensor must count
/// the frame as malformed with this reason (names as the sensor's counters).
enum class Defect : uint8_t {
  none,
  tcp_truncated,            ///< the IP packet ends inside the TCP header, before the flags
  tcp_data_offset,          ///< TCP data offset below 5 words
  udp_truncated,            ///< fewer than 8 UDP bytes
  icmp_truncated,           ///< the ICMP message is one byte
  ipv4_ihl,                 ///< IPv4 header length field below 5 words
  ip_length_exceeds_frame,  ///< the IP length claims more than the frame carries
  snaplen,                  ///< whole on the wire, cut inside the TCP header by the capture
};
inline constexpr const char* defect_names[] = {
    "none",          "tcp_truncated",           "tcp_data_offset", "udp_truncated",
    "icmp_truncated", "ipv4_ihl", "ip_length_exceeds_frame", "snaplen"};

namespace tcp_flag {
inline constexpr uint8_t fin = 0x01, syn = 0x02, rst = 0x04, psh = 0x08, ack = 0x10, urg = 0x20,
                         ece = 0x40, cwr = 0x80;
}

struct PacketSpec {
  int64_t sec = 0;    ///< capture time, Unix seconds (UTC)
  uint32_t usec = 0;  ///< 0..999999
  Transport transport = Transport::tcp;
  base::IpAddress src, dst;  ///< both of one family; IPv4 for arp
  uint16_t sport = 0, dport = 0;
  uint8_t tcp_flags = 0;
  bool tcp_options = false;  ///< MSS, NOP, NOP, SACK-permitted as Windows SYNs carry
  uint8_t icmp_type = 0, icmp_code = 0;
  /// ICMP errors quote the offending packet: its transport (tcp or udp; raw
  /// for none) and ports, as sent from dst (the spoofed address) to src.
  Transport quoted = Transport::raw;
  uint16_t quoted_sport = 0, quoted_dport = 0;
  uint8_t ip_protocol = 0;       ///< for raw: the protocol number
  uint16_t fragment_offset = 0;  ///< in 8-byte units; > 0 makes a non-first fragment
  bool more_fragments = false;
  bool dest_options = false;  ///< IPv6: a Destination Options header before the transport
  uint8_t vlan_tags = 0;      ///< 0, 1 (802.1Q) or 2 (802.1ad outer + 802.1Q inner)
  uint16_t vlan_id = 0;
  uint16_t payload_length = 0;
  Payload payload = Payload::zeros;
  uint8_t ttl = 64;
  uint16_t ip_id = 0;
  Direction direction = Direction::host;
  Defect defect = Defect::none;
};

/// The IP protocol number a spec's transport is carried as.
inline uint8_t ip_protocol_of(const PacketSpec& spec) {
  switch (spec.transport) {
    case Transport::tcp:
      return 6;
    case Transport::udp:
      return 17;
    case Transport::icmp:
      return 1;
    case Transport::icmpv6:
      return 58;
    default:
      return spec.ip_protocol;
  }
}

}  // namespace teiten::synth
