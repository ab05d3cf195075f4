// Test helper: decode a whole frame (caplen == wirelen) in one call.
#pragma once

#include "common/packet/decoder.h"
#include "support/frame_builder.h"

namespace teiten::test {

inline packet::Decoded decode(int dlt, const Bytes& frame) {
  packet::Decoded d;
  packet::Decoder(dlt).decode(frame.data(), static_cast<uint32_t>(frame.size()),
                              static_cast<uint32_t>(frame.size()), d);
  return d;
}
inline packet::Decoded decode_eth(const Bytes& frame) {
  return decode(packet::dlt::ethernet, frame);
}

constexpr uint32_t kSrc = 0xC6336407;  // 198.51.100.7
constexpr uint32_t kDst = 0xC000020A;  // 192.0.2.10

}  // namespace teiten::test
