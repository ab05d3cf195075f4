// teiten::synth::PacketBuilder — turns a PacketSpec into the bytes of one
// Ethernet frame: optional 802.1ad/802.1Q tags, IPv4 or IPv6 (with an
// optional Destination Options or Fragment header), TCP, UDP, ICMP, ICMPv6,
// an opaque other protocol, or ARP; padded to the 60-byte Ethernet minimum.
//
// Headers are written byte by byte in network order with real checksums, so
// tshark and libpcap read the frames as a NIC would have delivered them.
// build() never allocates: bench scenarios call it millions of times.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

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
  PacketBuilder(std::array<uint8_t, 6> sensor_mac, std::array<uint8_t, 6> router_mac)
      : sensor_mac_(sensor_mac), router_mac_(router_mac) {}
  PacketBuilder()
      : PacketBuilder({0x02, 0x00, 0x5e, 0x00, 0x00, 0x01}, {0x02, 0x00, 0x5e, 0x00, 0x00, 0xfe}) {}

  /// Writes the frame into `out` and returns its length (>= min_frame).
  size_t build(const PacketSpec& spec, Frame& out) const;

 private:
  std::array<uint8_t, 6> sensor_mac_, router_mac_;
};

}  // namespace teiten::synth
