#include "common/packet/decoder.h"

#include <cstring>

#include "common/base/byte_reader.h"

namespace teiten::packet {
namespace {

// The helpers below are forced inline: each runs once per packet, and as
// separate calls they cost about a fifth of the decoder's time.
using base::ByteReader;

constexpr uint16_t kEtherIpv4 = 0x0800;
constexpr uint16_t kEtherIpv6 = 0x86DD;
constexpr uint16_t kEtherVlan = 0x8100;
constexpr uint16_t kEtherQinQ = 0x88A8;
constexpr uint16_t kEtherQinQOld = 0x9100;
constexpr uint16_t kEtherPppoeSession = 0x8864;
constexpr uint16_t kPppIpv4 = 0x0021;
constexpr uint16_t kPppIpv6 = 0x0057;
constexpr uint16_t kSllOutgoing = 4;

constexpr uint8_t kTcp = 6, kUdp = 17, kIcmp = 1, kIcmpv6 = 58;
constexpr uint8_t kTcpSyn = 0x02, kTcpRst = 0x04, kTcpAck = 0x10;

[[gnu::always_inline]] inline void fail(Decoded& out, Malformed reason) {
  out.status = Status::malformed;
  out.reason = reason;
}

[[gnu::always_inline]] inline void set_access(Decoded& out, Proto proto, uint16_t port, Kind kind) {
  out.status = Status::access;
  out.proto = proto;
  out.port = port;
  out.kind = kind;
}

[[gnu::always_inline]] inline bool is_reflection_port(uint16_t port) {
  switch (port) {
    case 19:
    case 53:
    case 123:
    case 161:
    case 389:
    case 1900:
    case 3702:
    case 5353:
    case 11211:
      return true;
    default:
      return false;
  }
}

[[gnu::always_inline]] inline Kind icmpv4_kind(uint8_t type) {
  switch (type) {
    case 8:
    case 13:
    case 15:
    case 17:
      return Kind::probe;
    case 0:
    case 3:
    case 4:
    case 5:
    case 11:
    case 12:
    case 14:
    case 16:
    case 18:
      return Kind::backscatter;
    default:
      return Kind::other;
  }
}

[[gnu::always_inline]] inline Kind icmpv6_kind(uint8_t type) {
  if (type == 128) return Kind::probe;
  if ((type >= 1 && type <= 4) || type == 129) return Kind::backscatter;
  return Kind::other;
}

// Classifies by the transport header at the start of `l4`. ICMP errors are
// classified by their own type only: the quoted header inside is never read.
[[gnu::always_inline]] inline void classify_transport(uint8_t proto, bool v6, ByteReader l4,
                                                      Decoded& out) {
  uint16_t sport = 0, dport = 0;
  uint8_t flags = 0, type = 0;
  if (proto == kTcp) {
    uint8_t offset = 0;
    if (!l4.read_u16(sport) || !l4.read_u16(dport) || !l4.peek_u8(8, offset) ||
        !l4.peek_u8(9, flags))
      return fail(out, Malformed::tcp_truncated);
    // The flags suffice to classify, but a header shorter than its own
    // minimum is not TCP any receiving stack would accept.
    if ((offset >> 4) < 5) return fail(out, Malformed::tcp_data_offset);
    bool syn = flags & kTcpSyn, ack = flags & kTcpAck, rst = flags & kTcpRst;
    if (syn && !ack && !rst) return set_access(out, Proto::tcp, dport, Kind::probe);
    if ((syn && ack) || rst) return set_access(out, Proto::tcp, sport, Kind::backscatter);
    return set_access(out, Proto::tcp, dport, Kind::other);
  }
  if (proto == kUdp) {
    if (!l4.has(8) || !l4.read_u16(sport) || !l4.read_u16(dport))
      return fail(out, Malformed::udp_truncated);
    if (is_reflection_port(sport) && dport >= 1024)
      return set_access(out, Proto::udp, sport, Kind::backscatter);
    return set_access(out, Proto::udp, dport, Kind::probe);
  }
  if (proto == kIcmp && !v6) {
    if (!l4.has(2) || !l4.read_u8(type)) return fail(out, Malformed::icmp_truncated);
    return set_access(out, Proto::icmp, type, icmpv4_kind(type));
  }
  if (proto == kIcmpv6 && v6) {
    if (!l4.has(2) || !l4.read_u8(type)) return fail(out, Malformed::icmpv6_truncated);
    return set_access(out, Proto::icmpv6, type, icmpv6_kind(type));
  }
  set_access(out, Proto::ip, proto, Kind::other);
}

// Bytes the frame had on the wire from the reader's position on: the IP
// length fields are checked against this, not against what was captured,
// so a packet cut by the snaplen is not mistaken for a lying header.
[[gnu::always_inline]] inline size_t wire_from(const ByteReader& r, uint32_t wirelen) {
  size_t wire = wirelen > r.size() ? wirelen : r.size();
  return wire > r.position() ? wire - r.position() : 0;
}

[[gnu::always_inline]] inline void decode_ipv4(ByteReader r, uint32_t wirelen, Decoded& out) {
  uint8_t vihl = 0;
  if (!r.peek_u8(0, vihl)) return fail(out, Malformed::ipv4_truncated);
  if ((vihl >> 4) != 4) return fail(out, Malformed::ip_version);
  if (!r.has(20)) return fail(out, Malformed::ipv4_truncated);
  size_t ihl = size_t{vihl & 0x0Fu} * 4;
  if (ihl < 20) return fail(out, Malformed::ipv4_ihl);
  uint16_t total = 0, frag = 0;
  uint8_t proto = 0;
  r.peek_u16(2, total);
  r.peek_u16(6, frag);
  r.peek_u8(9, proto);
  const uint8_t* h = r.current();
  out.v6 = false;
  out.src4 = (uint32_t{h[12]} << 24) | (uint32_t{h[13]} << 16) | (uint32_t{h[14]} << 8) | h[15];
  out.dst4 = (uint32_t{h[16]} << 24) | (uint32_t{h[17]} << 16) | (uint32_t{h[18]} << 8) | h[19];
  out.has_addresses = true;
  if (!r.has(ihl)) return fail(out, Malformed::ipv4_truncated);
  if (total < ihl) return fail(out, Malformed::ipv4_total_length);
  if (total > wire_from(r, wirelen)) return fail(out, Malformed::ip_length_exceeds_frame);
  // The payload is what both the header claims and the capture holds
  // (Ethernet padding beyond the total length is not payload).
  r.limit(total);
  r.skip(ihl);
  if ((frag & 0x1FFF) != 0) return set_access(out, Proto::ip, proto, Kind::other);
  classify_transport(proto, false, r, out);
}

[[gnu::always_inline]] inline bool is_skippable_extension(uint8_t nh) {
  return nh == 0 || nh == 43 || nh == 60;
}

[[gnu::always_inline]] inline void decode_ipv6(ByteReader r, uint32_t wirelen, Decoded& out) {
  uint8_t v = 0;
  if (!r.peek_u8(0, v)) return fail(out, Malformed::ipv6_truncated);
  if ((v >> 4) != 6) return fail(out, Malformed::ip_version);
  if (!r.has(40)) return fail(out, Malformed::ipv6_truncated);
  uint16_t payload_length = 0;
  uint8_t nh = 0;
  r.peek_u16(4, payload_length);
  r.peek_u8(6, nh);
  const uint8_t* h = r.current();
  out.v6 = true;
  std::memcpy(out.src6, h + 8, 16);
  std::memcpy(out.dst6, h + 24, 16);
  out.has_addresses = true;
  if (size_t{40} + payload_length > wire_from(r, wirelen))
    return fail(out, Malformed::ip_length_exceeds_frame);
  r.skip(40);
  // A zero payload length with a hop-by-hop header is a jumbogram: the
  // length lives in an option, so the captured bytes are the bound.
  if (payload_length != 0 || nh != 0) r.limit(payload_length);

  // Each extension header consumes at least 8 bytes, so the walk ends.
  for (;;) {
    if (is_skippable_extension(nh)) {
      uint8_t next = 0, len_units = 0;
      if (!r.peek_u8(0, next) || !r.peek_u8(1, len_units))
        return fail(out, Malformed::ipv6_ext_truncated);
      if (!r.skip((size_t{len_units} + 1) * 8)) return fail(out, Malformed::ipv6_ext_truncated);
      nh = next;
    } else if (nh == 44) {  // fragment header
      uint8_t next = 0;
      uint16_t offset_flags = 0;
      if (!r.has(8) || !r.peek_u8(0, next) || !r.peek_u16(2, offset_flags))
        return fail(out, Malformed::ipv6_ext_truncated);
      r.skip(8);
      if ((offset_flags >> 3) != 0) return set_access(out, Proto::ip, next, Kind::other);
      nh = next;
    } else {
      break;
    }
  }
  classify_transport(nh, true, r, out);
}

[[gnu::always_inline]] inline void decode_ip_by_version(ByteReader r, uint32_t wirelen,
                                                        Decoded& out) {
  uint8_t v = 0;
  if (!r.peek_u8(0, v)) return fail(out, Malformed::link_truncated);
  if ((v >> 4) == 4) return decode_ipv4(r, wirelen, out);
  if ((v >> 4) == 6) return decode_ipv6(r, wirelen, out);
  fail(out, Malformed::ip_version);
}

[[gnu::always_inline]] inline void decode_ethertype(uint16_t type, ByteReader r, uint32_t wirelen,
                                                    Decoded& out) {
  // Any depth of 802.1Q / 802.1ad tags; each consumes 4 bytes, so this ends.
  while (type == kEtherVlan || type == kEtherQinQ || type == kEtherQinQOld) {
    if (!r.skip(2) || !r.read_u16(type)) return fail(out, Malformed::link_truncated);
  }
  if (type == kEtherPppoeSession) {
    uint16_t ppp = 0;
    if (!r.skip(6) || !r.read_u16(ppp)) return fail(out, Malformed::link_truncated);
    if (ppp == kPppIpv4) return decode_ipv4(r, wirelen, out);
    if (ppp == kPppIpv6) return decode_ipv6(r, wirelen, out);
    out.status = Status::non_ip;
    out.link_protocol = type;
    return;
  }
  if (type == kEtherIpv4) return decode_ipv4(r, wirelen, out);
  if (type == kEtherIpv6) return decode_ipv6(r, wirelen, out);
  out.status = Status::non_ip;
  out.link_protocol = type;
}

[[gnu::always_inline]] inline void decode_ethernet(ByteReader r, uint32_t wirelen, Decoded& out) {
  uint16_t type = 0;
  if (!r.skip(12) || !r.read_u16(type)) return fail(out, Malformed::link_truncated);
  decode_ethertype(type, r, wirelen, out);
}

[[gnu::always_inline]] inline void decode_sll(ByteReader r, uint32_t wirelen, Decoded& out) {
  uint16_t pkttype = 0, protocol = 0;
  if (!r.has(16) || !r.read_u16(pkttype) || !r.skip(12) || !r.read_u16(protocol))
    return fail(out, Malformed::link_truncated);
  if (pkttype == kSllOutgoing) {
    out.status = Status::outgoing;
    return;
  }
  decode_ethertype(protocol, r, wirelen, out);
}

[[gnu::always_inline]] inline void decode_sll2(ByteReader r, uint32_t wirelen, Decoded& out) {
  uint16_t protocol = 0;
  uint8_t pkttype = 0;
  if (!r.has(20) || !r.read_u16(protocol) || !r.peek_u8(8, pkttype))
    return fail(out, Malformed::link_truncated);
  r.skip(18);
  if (pkttype == kSllOutgoing) {
    out.status = Status::outgoing;
    return;
  }
  decode_ethertype(protocol, r, wirelen, out);
}

// BSD address families for IPv6 differ by platform (NetBSD/OpenBSD 24,
// FreeBSD 28, Darwin 30); every one of them can appear in a capture file.
[[gnu::always_inline]] inline void decode_family(uint32_t family, ByteReader r, uint32_t wirelen,
                                                 Decoded& out) {
  if (family == 2) return decode_ipv4(r, wirelen, out);
  if (family == 24 || family == 28 || family == 30) return decode_ipv6(r, wirelen, out);
  out.status = Status::non_ip;
  out.link_protocol = family;
}

[[gnu::always_inline]] inline void decode_null(ByteReader r, uint32_t wirelen, Decoded& out,
                                               bool network_order) {
  uint8_t b[4];
  if (!r.read_bytes(b, 4)) return fail(out, Malformed::link_truncated);
  uint32_t be = (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
  uint32_t le = (uint32_t{b[3]} << 24) | (uint32_t{b[2]} << 16) | (uint32_t{b[1]} << 8) | b[0];
  // DLT_NULL is in the byte order of the capturing host, which the file
  // does not record; a family is small, so the order with a zero upper half wins.
  uint32_t family = network_order ? be : ((le & 0xFFFF0000u) == 0 ? le : be);
  decode_family(family, r, wirelen, out);
}

}  // namespace

bool Decoder::supports(int link_type) {
  switch (link_type) {
    case dlt::null:
    case dlt::ethernet:
    case dlt::raw:
    case dlt::raw_openbsd:
    case dlt::raw_linktype:
    case dlt::loop:
    case dlt::linux_sll:
    case dlt::ipv4:
    case dlt::ipv6:
    case dlt::linux_sll2:
      return true;
    default:
      return false;
  }
}

std::string Decoder::link_type_name(int link_type) {
  switch (link_type) {
    case dlt::null:
      return "NULL";
    case dlt::ethernet:
      return "EN10MB";
    case dlt::raw:
    case dlt::raw_openbsd:
    case dlt::raw_linktype:
      return "RAW";
    case dlt::loop:
      return "LOOP";
    case dlt::linux_sll:
      return "LINUX_SLL";
    case dlt::ipv4:
      return "IPV4";
    case dlt::ipv6:
      return "IPV6";
    case dlt::linux_sll2:
      return "LINUX_SLL2";
    default:
      return "DLT " + std::to_string(link_type);
  }
}

void Decoder::decode(const uint8_t* data, uint32_t caplen, uint32_t wirelen, Decoded& out) const {
  out.status = Status::malformed;
  out.reason = Malformed::none;
  out.has_addresses = false;
  ByteReader r(data, caplen);
  switch (link_type_) {
    case dlt::ethernet:
      decode_ethernet(r, wirelen, out);
      break;
    case dlt::linux_sll:
      decode_sll(r, wirelen, out);
      break;
    case dlt::linux_sll2:
      decode_sll2(r, wirelen, out);
      break;
    case dlt::raw:
    case dlt::raw_openbsd:
    case dlt::raw_linktype:
      decode_ip_by_version(r, wirelen, out);
      break;
    case dlt::ipv4:
      decode_ipv4(r, wirelen, out);
      break;
    case dlt::ipv6:
      decode_ipv6(r, wirelen, out);
      break;
    case dlt::null:
      decode_null(r, wirelen, out, false);
      break;
    case dlt::loop:
      decode_null(r, wirelen, out, true);
      break;
    default:
      fail(out, Malformed::link_unknown);
      break;
  }
  // Bytes missing because the capture stopped early, not because the
  // packet was short, point the operator at the snaplen.
  if (out.status == Status::malformed && caplen < wirelen && is_truncation(out.reason))
    out.reason = Malformed::snaplen;
}

}  // namespace teiten::packet
