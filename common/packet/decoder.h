// teiten::packet::Decoder — link, IP and transport decoding of one frame.
//
// Owns nothing but the link type. decode() reads only through a bounded
// ByteReader over the captured bytes (never past caplen), allocates
// nothing, never throws and never logs: every frame ends as an access, a
// non-IP frame, an outgoing frame or a malformed frame with a reason.
// Classification follows docs/counting.md (kinds and port types); no
// reassembly: a packet is classified from the bytes it carries.
// Called by the sensor's capture thread for every packet.
#pragma once

#include <cstdint>
#include <string>

#include "common/packet/access.h"

namespace teiten::packet {

/// Link types as pcap_datalink() reports them (DLT_ values), plus the
/// LINKTYPE_ values that some platforms pass through unchanged.
namespace dlt {
constexpr int null = 0;
constexpr int ethernet = 1;
constexpr int raw = 12;          // Linux and most platforms
constexpr int raw_openbsd = 14;  // DLT_RAW on OpenBSD
constexpr int raw_linktype = 101;
constexpr int loop = 108;
constexpr int linux_sll = 113;
constexpr int ipv4 = 228;
constexpr int ipv6 = 229;
constexpr int linux_sll2 = 276;
}  // namespace dlt

class Decoder {
 public:
  explicit Decoder(int link_type) : link_type_(link_type) {}

  /// False for link types decode() reports as Malformed::link_unknown.
  static bool supports(int link_type);
  static std::string link_type_name(int link_type);

  int link_type() const { return link_type_; }
  /// caplen: bytes captured at data; wirelen: the frame's length on the wire.
  void decode(const uint8_t* data, uint32_t caplen, uint32_t wirelen, Decoded& out) const;

 private:
  int link_type_;
};

}  // namespace teiten::packet
