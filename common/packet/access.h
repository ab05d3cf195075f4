// teiten::packet — what one captured frame means for counting.
//
// The decoder turns a frame into a Decoded value: an IP access with its
// addresses, port type (proto, port) and kind; or a non-IP frame; or a
// malformed frame with the reason; or an outgoing frame of a cooked capture.
// The numeric values of Proto and Kind are stored in databases and on the
// wire: never renumber them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace teiten::packet {

enum class Proto : uint8_t { tcp = 1, udp = 2, icmp = 3, icmpv6 = 4, ip = 5 };
enum class Kind : uint8_t { probe = 1, backscatter = 2, other = 3 };

enum class Status : uint8_t {
  access,     ///< an IP packet with a kind; addresses valid
  non_ip,     ///< ARP, LLC, ...: link_protocol says which
  malformed,  ///< reason says why; addresses valid when has_addresses
  outgoing,   ///< sent by this host according to the cooked header
};

/// Why a frame could not be classified. Names are stable (counters, docs).
enum class Malformed : uint8_t {
  none = 0,
  snaplen,                  ///< a header needed was cut by the capture's snaplen
  link_truncated,           ///< frame shorter than its link header (or VLAN tag)
  link_unknown,             ///< a link type the decoder does not support
  ip_version,               ///< version nibble is not what the link type says
  ipv4_truncated,           ///< fewer than 20 bytes, or options cut short
  ipv4_ihl,                 ///< header length field below 5 words
  ipv4_total_length,        ///< total length shorter than the header
  ip_length_exceeds_frame,  ///< IP length field claims more than the frame held on the wire
  ipv6_truncated,           ///< fewer than 40 bytes
  ipv6_ext_truncated,       ///< an extension header runs past the packet
  tcp_truncated,            ///< TCP header ends before the flags byte
  tcp_data_offset,          ///< TCP data offset below 5 words
  udp_truncated,            ///< UDP header shorter than 8 bytes
  icmp_truncated,           ///< ICMP type and code not both present
  icmpv6_truncated,
  timestamp,  ///< capture time outside the representable days
  count_      ///< number of reasons; keep last
};

constexpr int kMalformedReasons = static_cast<int>(Malformed::count_);

std::string_view name(Malformed reason);
std::string_view name(Proto proto);
std::string_view name(Kind kind);
std::optional<Proto> parse_proto(std::string_view text);
std::optional<Kind> parse_kind(std::string_view text);
/// True for reasons that mean "bytes missing" (which become `snaplen` when
/// the capture, not the packet, was short).
bool is_truncation(Malformed reason);

struct Decoded {
  Status status = Status::malformed;
  Malformed reason = Malformed::none;
  bool has_addresses = false;  ///< src/dst valid (IP header decoded)
  bool v6 = false;
  uint32_t src4 = 0, dst4 = 0;  ///< IPv4 addresses, host order
  uint8_t src6[16] = {}, dst6[16] = {};
  Proto proto = Proto::ip;
  Kind kind = Kind::other;
  uint16_t port = 0;
  uint32_t link_protocol = 0;  ///< ethertype (or BSD address family) of non-IP frames
};

}  // namespace teiten::packet
