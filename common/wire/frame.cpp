#include "common/wire/frame.h"

#include <limits>
#include <stdexcept>

#include "common/wire/byte_writer.h"

namespace teiten::wire {

std::string_view name(MessageType type) {
  switch (type) {
    case MessageType::hello:
      return "HELLO";
    case MessageType::welcome:
      return "WELCOME";
    case MessageType::refuse:
      return "REFUSE";
    case MessageType::batch:
      return "BATCH";
    case MessageType::ack:
      return "ACK";
    case MessageType::error:
      return "ERROR";
  }
  return "UNKNOWN";
}

bool is_known(MessageType type) {
  auto v = static_cast<uint8_t>(type);
  return v >= static_cast<uint8_t>(MessageType::hello) &&
         v <= static_cast<uint8_t>(MessageType::error);
}

std::string encode_frame(MessageType type, std::string_view payload) {
  // Written as a subtraction so the check itself cannot overflow.
  if (payload.size() > std::numeric_limits<uint32_t>::max() - kMinFrameLength)
    throw std::length_error("wire frame payload longer than a u32 length can describe");
  std::string out;
  out.reserve(kFrameHeaderBytes + kMinFrameLength + payload.size());
  ByteWriter w(out);
  w.u32(static_cast<uint32_t>(kMinFrameLength + payload.size()));
  w.u8(kProtocolVersion);
  w.u8(static_cast<uint8_t>(type));
  w.bytes(payload.data(), payload.size());
  return out;
}

Decoded<uint32_t> parse_frame_header(const uint8_t (&header)[kFrameHeaderBytes],
                                     uint32_t max_frame) {
  uint32_t length = (uint32_t{header[0]} << 24) | (uint32_t{header[1]} << 16) |
                    (uint32_t{header[2]} << 8) | uint32_t{header[3]};
  if (length < kMinFrameLength)
    return DecodeError{"frame length " + std::to_string(length) +
                       " is too short for the version and type bytes"};
  if (length > max_frame)
    return DecodeError{"frame length " + std::to_string(length) + " exceeds the maximum of " +
                       std::to_string(max_frame) + " bytes"};
  return length;
}

Decoded<FrameView> decode_frame_body(std::string_view body) {
  if (body.size() < kMinFrameLength)
    return DecodeError{"frame body of " + std::to_string(body.size()) +
                       " bytes is too short for the version and type bytes"};
  auto version = static_cast<uint8_t>(body[0]);
  if (version != kProtocolVersion)
    return DecodeError{"unsupported protocol version " + std::to_string(version) +
                       " (this program speaks version " + std::to_string(kProtocolVersion) + ")"};
  auto type = static_cast<MessageType>(static_cast<uint8_t>(body[1]));
  if (!is_known(type))
    return DecodeError{"unknown message type " + std::to_string(static_cast<uint8_t>(body[1]))};
  return FrameView{type, body.substr(kMinFrameLength)};
}

}  // namespace teiten::wire
