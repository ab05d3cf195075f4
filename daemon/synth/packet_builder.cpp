#include "daemon/synth/packet_builder.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "daemon/synth/rng.h"
#include "daemon/synth/service_payload.h"

namespace teiten::synth {
namespace {

constexpr std::string_view kPingWindows = "abcdefghijklmnopqrstuvwabcdefghi";
// What SIPVicious' svmap sent in the 2010 wave: an OPTIONS ping per address
// (short enough that a frame with two VLAN tags stays within 256 bytes).
constexpr std::string_view kSipOptions =
    "OPTIONS sip:100@192.0.2.1 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.1.1:5060;branch=z9hG4bK-1\r\n"
    "From: \"sipvicious\"<sip:100@1.1.1.1>;tag=3a3b\r\n"
    "To: \"sipvicious\"<sip:100@1.1.1.1>\r\n"
    "CSeq: 1 OPTIONS\r\n"
    "Content-Length: 0\r\n\r\n";

constexpr uint16_t kEtherIpv4 = 0x0800, kEtherIpv6 = 0x86dd, kEtherArp = 0x0806;
constexpr uint16_t kEtherVlan = 0x8100, kEtherQinQ = 0x88a8;
constexpr uint8_t kNextDestOptions = 60, kNextFragment = 44;

void put16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
void put32(uint8_t* p, uint32_t v) {
  put16(p, static_cast<uint16_t>(v >> 16));
  put16(p + 2, static_cast<uint16_t>(v));
}

uint32_t sum16(const uint8_t* p, size_t n, uint32_t acc = 0) {
  for (size_t i = 0; i + 1 < n; i += 2) acc += static_cast<uint32_t>(p[i] << 8 | p[i + 1]);
  if (n & 1) acc += static_cast<uint32_t>(p[n - 1] << 8);
  return acc;
}
uint16_t fold(uint32_t acc) {
  while (acc >> 16) acc = (acc & 0xffff) + (acc >> 16);
  return static_cast<uint16_t>(~acc);
}

/// Ones-complement sum of the IPv4 or IPv6 pseudo-header.
uint32_t pseudo_sum(const PacketSpec& s, uint8_t proto, size_t length) {
  const size_t alen = s.src.is_v4() ? 4 : 16;
  uint32_t acc = sum16(s.src.bytes.data(), alen);
  acc = sum16(s.dst.bytes.data(), alen, acc);
  acc += proto;
  acc += static_cast<uint32_t>(length & 0xffff) + static_cast<uint32_t>(length >> 16);
  return acc;
}

size_t fill_payload(const PacketSpec& s, uint8_t* p, size_t cap) {
  auto copy_text = [&](std::string_view text) {
    size_t n = std::min(cap, text.size());
    std::memcpy(p, text.data(), n);
    return n;
  };
  switch (s.payload) {
    case Payload::ping_windows:
      return copy_text(kPingWindows);
    case Payload::sip_options:
      return copy_text(kSipOptions);
    case Payload::service:
      if (size_t n = write_service_payload(s.sport, s.dport, s.ip_id, p, cap)) return n;
      [[fallthrough]];
    case Payload::random: {
      size_t n = std::min<size_t>(cap, s.payload_length);
      uint64_t state = static_cast<uint64_t>(s.sec) * 1'000'003u + s.usec;
      for (size_t i = 0; i < n; i += 8) {
        uint64_t word = splitmix64(state);
        std::memcpy(p + i, &word, std::min<size_t>(8, n - i));
      }
      return n;
    }
    case Payload::zeros:
      break;
  }
  size_t n = std::min<size_t>(cap, s.payload_length);
  std::memset(p, 0, n);
  return n;
}

/// The first bytes of the packet an ICMP error complains about: its IP
/// header (sent from the spoofed address, spec.dst, to spec.src) and the
/// first 8 bytes of its transport header. Returns the bytes written.
size_t write_quote(const PacketSpec& s, uint8_t* p) {
  const uint8_t proto = s.quoted == Transport::tcp ? 6 : 17;
  size_t n = 0;
  if (s.src.is_v4()) {
    std::memset(p, 0, 20);
    p[0] = 0x45;
    put16(p + 2, 20 + 8 + 32);
    put16(p + 4, static_cast<uint16_t>(s.ip_id ^ 0x5a5a));
    p[8] = s.icmp_type == 11 ? 1 : 52;
    p[9] = proto;
    std::memcpy(p + 12, s.dst.bytes.data(), 4);
    std::memcpy(p + 16, s.src.bytes.data(), 4);
    put16(p + 10, fold(sum16(p, 20)));
    n = 20;
  } else {
    std::memset(p, 0, 40);
    p[0] = 0x60;
    put16(p + 4, 8 + 32);
    p[6] = proto;
    p[7] = s.icmp_type == 3 ? 1 : 52;
    std::memcpy(p + 8, s.dst.bytes.data(), 16);
    std::memcpy(p + 24, s.src.bytes.data(), 16);
    n = 40;
  }
  put16(p + n, s.quoted_sport);
  put16(p + n + 2, s.quoted_dport);
  if (proto == 17) {
    put16(p + n + 4, 8 + 32);
    put16(p + n + 6, 0);
  } else {
    put32(p + n + 4, static_cast<uint32_t>(mix64(s.quoted_sport * 65536u + s.quoted_dport)));
  }
  return n + 8;
}

bool is_icmp_error(const PacketSpec& s) {
  if (s.quoted == Transport::raw) return false;
  if (s.transport == Transport::icmp)
    return s.icmp_type == 3 || s.icmp_type == 4 || s.icmp_type == 5 || s.icmp_type == 11 ||
           s.icmp_type == 12;
  return s.transport == Transport::icmpv6 && s.icmp_type >= 1 && s.icmp_type <= 4;
}

/// Writes the transport header and payload at p (at most cap bytes) and
/// returns the length; checksums are filled later, over the final length.
size_t write_transport(const PacketSpec& s, uint8_t* p, size_t cap) {
  if (s.fragment_offset > 0) return fill_payload(s, p, cap);  // no transport header
  // Sequence numbers and ids stay fixed per flow, so a retransmitted SYN
  // carries the same ISN as the first, as stacks do.
  uint64_t words[2];
  std::memcpy(words, s.src.bytes.data(), 16);
  const uint64_t seed = mix64(words[0] ^ mix64(words[1] ^ (uint64_t{s.sport} << 16 | s.dport)));
  switch (s.transport) {
    case Transport::tcp: {
      const size_t header = s.tcp_options ? 28 : 20;
      std::memset(p, 0, header);
      put16(p, s.sport);
      put16(p + 2, s.dport);
      put32(p + 4, static_cast<uint32_t>(seed));
      if (s.tcp_flags & tcp_flag::ack) put32(p + 8, static_cast<uint32_t>(seed >> 32));
      p[12] = static_cast<uint8_t>((header / 4) << 4);
      p[13] = s.tcp_flags;
      put16(p + 14, (s.tcp_flags & tcp_flag::rst) ? 0 : (s.tcp_options ? 65535 : 8192));
      if (s.tcp_options) {
        const uint8_t options[8] = {2, 4, 0x05, 0xb4, 1, 1, 4, 2};  // MSS 1460, NOP, NOP, SACK ok
        std::memcpy(p + 20, options, sizeof options);
      }
      return header + fill_payload(s, p + header, cap - header);
    }
    case Transport::udp: {
      size_t n = 8 + fill_payload(s, p + 8, cap - 8);
      put16(p, s.sport);
      put16(p + 2, s.dport);
      // A first fragment's UDP length claims the whole datagram.
      put16(p + 4, static_cast<uint16_t>(s.more_fragments ? n + 1480 : n));
      put16(p + 6, 0);
      return n;
    }
    case Transport::icmp:
    case Transport::icmpv6: {
      std::memset(p, 0, 8);
      p[0] = s.icmp_type;
      p[1] = s.icmp_code;
      size_t n = 8;
      const bool echo = s.transport == Transport::icmp
                            ? (s.icmp_type == 8 || s.icmp_type == 0 || s.icmp_type == 13)
                            : (s.icmp_type == 128 || s.icmp_type == 129);
      if (echo) {
        put16(p + 4, static_cast<uint16_t>(seed));
        put16(p + 6, static_cast<uint16_t>(seed >> 16 & 0xff));
      }
      if (is_icmp_error(s)) {
        n += write_quote(s, p + 8);
      } else if (s.transport == Transport::icmpv6 && (s.icmp_type == 135 || s.icmp_type == 136)) {
        std::memcpy(p + 8, s.dst.bytes.data(), 16);  // neighbor discovery target
        n += 16;
      }
      return n + fill_payload(s, p + n, cap - n);
    }
    case Transport::raw: {
      size_t n = 0;
      if (s.ip_protocol == 47) {  // GRE carrying Ethernet frames (as from a hijacked tunnel)
        std::memset(p, 0, 4);
        put16(p + 2, 0x6558);
        n = 4;
      }
      return n + fill_payload(s, p + n, cap - n);
    }
    case Transport::arp:
      break;
  }
  return 0;
}

void write_checksum(const PacketSpec& s, uint8_t* l4, size_t length) {
  if (s.fragment_offset > 0) return;
  const uint8_t proto = ip_protocol_of(s);
  size_t at = 0;
  uint32_t acc = 0;
  switch (s.transport) {
    case Transport::tcp:
      at = 16, acc = pseudo_sum(s, proto, length);
      break;
    case Transport::udp:
      if (s.more_fragments) return;  // would cover bytes not carried; 0 = none (IPv4)
      at = 6, acc = pseudo_sum(s, proto, length);
      break;
    case Transport::icmp:
      at = 2;
      break;
    case Transport::icmpv6:
      at = 2, acc = pseudo_sum(s, proto, length);
      break;
    default:
      return;
  }
  uint16_t sum = fold(sum16(l4, length, acc));
  if (s.transport == Transport::udp && sum == 0) sum = 0xffff;
  put16(l4 + at, sum);
}

size_t write_arp(const PacketSpec& s, uint8_t* p, const std::array<uint8_t, 6>& sender) {
  put16(p, 1);
  put16(p + 2, kEtherIpv4);
  p[4] = 6;
  p[5] = 4;
  put16(p + 6, 1);  // request
  std::memcpy(p + 8, sender.data(), 6);
  std::memcpy(p + 14, s.src.bytes.data(), 4);
  std::memset(p + 18, 0, 6);
  std::memcpy(p + 24, s.dst.bytes.data(), 4);
  return 28;
}

}  // namespace

size_t PacketBuilder::write_link_header(const PacketSpec& s, uint8_t* f) const {
  const bool arp = s.transport == Transport::arp;
  const bool v4 = s.src.is_v4();
  const uint16_t ethertype = arp ? kEtherArp : v4 ? kEtherIpv4 : kEtherIpv6;
  switch (link_) {
    case LinkType::ethernet:
    case LinkType::vlan:
    case LinkType::qinq: {
      if (arp)
        std::memset(f, 0xff, 6);
      else
        std::memcpy(f, sensor_mac_.data(), 6);
      std::memcpy(f + 6, router_mac_.data(), 6);
      size_t n = 12;
      if (s.vlan_tags >= 2) {
        put16(f + n, kEtherQinQ);
        put16(f + n + 2, static_cast<uint16_t>(1000 + (s.vlan_id & 0xfff) % 3000));
        n += 4;
      }
      if (s.vlan_tags >= 1) {
        put16(f + n, kEtherVlan);
        put16(f + n + 2, static_cast<uint16_t>(s.vlan_id & 0xfff));
        n += 4;
      }
      put16(f + n, ethertype);
      return n + 2;
    }
    case LinkType::sll:  // packet type, ARPHRD_ETHER, address length, address, protocol
      put16(f, static_cast<uint16_t>(s.direction));
      put16(f + 2, 1);
      put16(f + 4, 6);
      std::memcpy(f + 6, (s.direction == Direction::outgoing ? sensor_mac_ : router_mac_).data(), 6);
      put16(f + 12, 0);
      put16(f + 14, ethertype);
      return 16;
    case LinkType::sll2:  // protocol, reserved, ifindex, ARPHRD_ETHER, type, length, address
      put16(f, ethertype);
      put16(f + 2, 0);
      put32(f + 4, 2);
      put16(f + 8, 1);
      f[10] = static_cast<uint8_t>(s.direction);
      f[11] = 6;
      std::memcpy(f + 12, (s.direction == Direction::outgoing ? sensor_mac_ : router_mac_).data(),
                  6);
      put16(f + 18, 0);
      return 20;
    case LinkType::null: {
      // The capturing host's order (little-endian here); AF_INET6 as macOS numbers it.
      const uint32_t family = v4 ? 2 : 30;
      f[0] = static_cast<uint8_t>(family);
      f[1] = f[2] = f[3] = 0;
      return 4;
    }
    case LinkType::loop:
      put32(f, v4 ? 2 : 24);  // OpenBSD's AF_INET6
      return 4;
    case LinkType::raw:
    case LinkType::ipv4:
    case LinkType::ipv6:
      break;
  }
  return 0;
}

size_t PacketBuilder::build(const PacketSpec& s, Frame& out, size_t& captured) const {
  uint8_t* f = out.data();
  captured = 0;
  const bool arp = s.transport == Transport::arp;
  size_t n = write_link_header(s, f);
  const bool v4 = s.src.is_v4();

  if (arp) {
    n += write_arp(s, f + n, router_mac_);
  } else {
    const uint8_t proto = ip_protocol_of(s);
    const bool v6_fragment = !v4 && (s.fragment_offset > 0 || s.more_fragments);
    const size_t ext = v4 ? 0 : (s.dest_options ? 8 : 0) + (v6_fragment ? 8 : 0);
    uint8_t* ip = f + n;
    uint8_t* l4 = ip + (v4 ? 20 : 40) + ext;
    size_t l4_len = write_transport(s, l4, max_frame - static_cast<size_t>(l4 - f));
    // A transport header cut short: the IP length says so, the bytes stop there.
    if (s.defect == Defect::tcp_truncated) l4_len = std::min<size_t>(l4_len, 10);
    if (s.defect == Defect::udp_truncated) l4_len = std::min<size_t>(l4_len, 6);
    if (s.defect == Defect::icmp_truncated) l4_len = std::min<size_t>(l4_len, 1);
    if (s.defect == Defect::tcp_data_offset) l4[12] = 0x40;
    // Claims 200 bytes the frame does not carry.
    const size_t claimed = s.defect == Defect::ip_length_exceeds_frame ? 200 : 0;
    if (v4) {
      ip[0] = s.defect == Defect::ipv4_ihl ? 0x44 : 0x45;
      ip[1] = 0;
      put16(ip + 2, static_cast<uint16_t>(20 + l4_len + claimed));
      put16(ip + 4, s.ip_id);
      uint16_t frag = s.fragment_offset;
      if (s.more_fragments) frag |= 0x2000;
      if (frag == 0 && s.transport == Transport::tcp) frag = 0x4000;  // DF, as stacks send
      put16(ip + 6, frag);
      ip[8] = s.ttl;
      ip[9] = proto;
      put16(ip + 10, 0);
      std::memcpy(ip + 12, s.src.bytes.data(), 4);
      std::memcpy(ip + 16, s.dst.bytes.data(), 4);
      put16(ip + 10, fold(sum16(ip, 20)));
    } else {
      put32(ip, 0x60000000u);
      put16(ip + 4, static_cast<uint16_t>(ext + l4_len + claimed));
      ip[7] = s.ttl;
      std::memcpy(ip + 8, s.src.bytes.data(), 16);
      std::memcpy(ip + 24, s.dst.bytes.data(), 16);
      uint8_t* next = ip + 6;  // the next-header field to fill in
      uint8_t* h = ip + 40;
      if (s.dest_options) {
        *next = kNextDestOptions;
        const uint8_t padn[8] = {0, 0, 1, 4, 0, 0, 0, 0};  // PadN filling 8 bytes
        std::memcpy(h, padn, 8);
        next = h;
        h += 8;
      }
      if (v6_fragment) {
        *next = kNextFragment;
        h[1] = 0;
        put16(h + 2, static_cast<uint16_t>(s.fragment_offset << 3 | (s.more_fragments ? 1 : 0)));
        put32(h + 4, static_cast<uint32_t>(s.ip_id) * 2654435761u);
        next = h;
      }
      *next = proto;
    }
    if (s.defect == Defect::none || s.defect == Defect::snaplen) write_checksum(s, l4, l4_len);
    n = static_cast<size_t>(l4 - f) + l4_len;
    // The capture keeps the IP header and ten bytes of TCP: the flags are lost.
    captured = s.defect == Defect::snaplen ? static_cast<size_t>(l4 - f) + 10 : 0;
  }
  if (is_ethernet(link_) && n < min_frame) {
    std::memset(f + n, 0, min_frame - n);
    n = min_frame;
  }
  if (captured == 0 || captured > n) captured = n;
  return n;
}

}  // namespace teiten::synth
