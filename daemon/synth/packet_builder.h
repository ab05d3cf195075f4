// teiten::synth::PacketBuilder — turns a PacketSpec into the bytes of one
// frame of a link type: Ethernet (optional 802.1ad/802.1Q tags, padded to
// the 60-byte minimum), Linux cooked v1/v2 (with the spec's direction), raw
// IP or BSD/OpenBSD loopback; then IPv4 or IPv6 (with an optional
// Destination Options or Fragment header), TCP, UDP, ICMP, ICMPv6, an
// opaque other protocol, or ARP (Ethernet and cooked links only). A spec's
// Defect breaks one header on purpose.
//
// Headers are written byte by byte in network order with real checksums, so
// tshark and libpcap read the frames as a NIC would have delivered them.
// build() never allocates: bench scenarios call it millions of times.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "daemon/synth/link_type.h"
#include "daemon/synth/packet_spec.h"

namespace teiten::synth {

class PacketBuilder {
 public:
  /// Frames are at most this long (payloads are cut to fit); all scenario
  /// frames stay under the sensor's default snaplen of 256 anyway.
  static constexpr size_t max_frame = 320;
  static constexpr size_t min_frame = 60;
  using Frame = std::array<uint8_t, max_frame>;

  /// `sensor_mac` receives every frame; `router_mac` sends them.
  PacketBuilder(LinkType link, std::array<uint8_t, 6> sensor_mac,
                std::array<uint8_t, 6> router_mac)
      : link_(link), sensor_mac_(sensor_mac), router_mac_(router_mac) {}
  explicit PacketBuilder(LinkType link = LinkType::ethernet)
      : PacketBuilder(link, {0x02, 0x00, 0x5e, 0x00, 0x00, 0x01},
                      {0x02, 0x00, 0x5e, 0x00, 0x00, 0xfe}) {}

  /// Writes the frame into `out` and returns its length on the wire
  /// (>= min_frame on Ethernet links).
  size_t build(const PacketSpec& spec, Frame& out) const {
    size_t captured = 0;
    return build(spec, out, captured);
  }
  /// Also says how many bytes a capture keeps: fewer than the length only
  /// for Defect::snaplen.
  size_t build(const PacketSpec& spec, Frame& out, size_t& captured) const;
  LinkType link() const { return link_; }

 private:
  size_t write_link_header(const PacketSpec& s, uint8_t* f) const;

  LinkType link_;
  std::array<uint8_t, 6> sensor_mac_, router_mac_;
};

}  // namespace teiten::synth
