// teiten::wire frames — the envelope of every sensor<->collector message:
// `u32 length` (bytes after it), `u8 version`, `u8 type`, payload.
//
// Owns the framing rules of protocol version 1: the length is checked
// against the reader's maximum from the 4-byte header alone, before anything
// is allocated; an unknown version or type is an error. Never touches
// sockets, TLS or logs. FrameReader (frame_reader.h) applies these rules to
// a byte stream; it is the only frame parser, used by the TLS transport
// (tls::FrameChannel), the tests and the fuzz target.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/wire/decoded.h"
#include "common/wire/limits.h"

namespace teiten::wire {

/// Numeric values are the wire's: never renumber.
enum class MessageType : uint8_t {
  hello = 1,    ///< sensor -> collector: who I am
  welcome = 2,  ///< collector -> sensor: accepted, last committed seq
  refuse = 3,   ///< collector -> sensor, then close
  batch = 4,    ///< sensor -> collector: one frozen batch
  ack = 5,      ///< collector -> sensor: batch committed
  error = 6,    ///< collector -> sensor: batch not committed
};

/// "HELLO", "WELCOME", ...; "UNKNOWN" for other values.
std::string_view name(MessageType type);
/// True for the six types of protocol version 1.
bool is_known(MessageType type);

/// A frame's type and payload, viewing the bytes it was decoded from.
struct FrameView {
  MessageType type;
  std::string_view payload;
};

/// A frame that owns its payload (FrameReader's output).
struct Frame {
  MessageType type;
  std::string payload;
};

/// The complete frame: header, version, type, payload. Throws
/// std::length_error when the payload cannot be described by a u32 length.
std::string encode_frame(MessageType type, std::string_view payload);

/// The length announced by a frame header, or an error when it is below 2
/// or above max_frame. Allocates nothing on success.
Decoded<uint32_t> parse_frame_header(const uint8_t (&header)[kFrameHeaderBytes],
                                     uint32_t max_frame);

/// Splits the `length` bytes after the header into type and payload; fails
/// on fewer than 2 bytes, a version other than 1 or an unknown type. The
/// payload views `body`.
Decoded<FrameView> decode_frame_body(std::string_view body);

}  // namespace teiten::wire
