// teiten::synth::LinkType — how a capture file frames its packets: every
// link type the sensor decodes (Ethernet with and without 802.1Q/QinQ
// tags, Linux cooked v1 and v2, raw IP, BSD and OpenBSD loopback). The
// profile names them; PacketBuilder writes their headers; the pcap file
// header carries their LINKTYPE_ value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace teiten::synth {

enum class LinkType : uint8_t {
  ethernet,  ///< Ethernet; a few frames carry an 802.1Q or QinQ tag
  vlan,      ///< Ethernet trunk: every frame 802.1Q tagged
  qinq,      ///< Ethernet trunk: every frame 802.1ad + 802.1Q tagged
  sll,       ///< Linux cooked capture v1
  sll2,      ///< Linux cooked capture v2
  raw,       ///< raw IP, the version nibble tells IPv4 from IPv6 (LINKTYPE_RAW)
  ipv4,      ///< raw IPv4 only (LINKTYPE_IPV4)
  ipv6,      ///< raw IPv6 only (LINKTYPE_IPV6)
  null,      ///< "bsd-loopback" (DLT_NULL): address family in the host's byte order
  loop,      ///< "openbsd-loopback" (DLT_LOOP): address family in network byte order
};

std::string_view link_type_name(LinkType t);
std::optional<LinkType> parse_link_type(std::string_view name);
/// All names, comma-separated, for error messages and docs.
std::string link_type_names();
/// The pcap file header's LINKTYPE_ value.
uint32_t pcap_linktype(LinkType t);
/// Ethernet framing (with or without tags): carries ARP, pads to 60 bytes.
inline bool is_ethernet(LinkType t) {
  return t == LinkType::ethernet || t == LinkType::vlan || t == LinkType::qinq;
}
/// Linux cooked captures: they mark each frame's direction.
inline bool is_cooked(LinkType t) {
  return t == LinkType::sll || t == LinkType::sll2;
}

}  // namespace teiten::synth
