// teiten::wire messages — the six payloads of protocol version 1 and their
// encoders and decoders.
//
// Owns the field layout and bounds of HELLO, WELCOME, REFUSE, BATCH, ACK and
// ERROR. Never does I/O, logs or throws on bad input: a decoder returns an
// error naming the field. Encoders throw std::invalid_argument for a value
// the peer would refuse (an over-long sensor id, a database id that is not
// 32 lowercase hex digits), which only a bug or an unchecked config can
// produce; reasons and messages are human text and are cut to their limit
// instead. BATCH carries its body opaque: batch_codec.h reads it, after the
// collector has checked who sent it. Called by the sensor's shipper, the
// collector's ingest server, tests and tools.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "common/wire/decoded.h"
#include "common/wire/frame.h"

namespace teiten::wire {

struct Hello {
  std::string sensor_id;    ///< 1..64 bytes; must match the client certificate
  std::string timezone;     ///< 1..64 bytes; IANA name, must match the fleet's
  std::string database_id;  ///< exactly 32 lowercase hex digits
  std::string software;     ///< 0..64 bytes, e.g. "teiten-sensor 0.1.0"
  bool operator==(const Hello&) const = default;
};

struct Welcome {
  uint64_t last_seq = 0;  ///< highest committed seq for (sensor, database id); 0: none
  std::string software;
  bool operator==(const Welcome&) const = default;
};

/// Numeric values are the wire's: never renumber.
enum class RefuseCode : uint16_t {
  not_allowlisted = 1,
  identity_mismatch = 2,  ///< HELLO/BATCH sensor id differs from the certificate's
  timezone_mismatch = 3,
  protocol_error = 4,
  overloaded = 5,  ///< too many connections; retry later
};

struct Refuse {
  RefuseCode code = RefuseCode::protocol_error;
  std::string reason;  ///< 0..1024 bytes
  bool operator==(const Refuse&) const = default;
};

struct Batch {
  std::string sensor_id;
  std::string database_id;
  uint64_t seq = 0;  ///< >= 1
  std::string body;  ///< the frozen batch body, opaque here (batch_codec.h)
  bool operator==(const Batch&) const = default;
};

struct Ack {
  uint64_t seq = 0;  ///< >= 1
  bool operator==(const Ack&) const = default;
};

/// Numeric values are the wire's: never renumber.
enum class ErrorCode : uint16_t {
  storage = 1,  ///< the batch was not committed; retry later
  internal = 2,
};

/// The ERROR message: a batch was not committed; the sender may keep the
/// connection open or close it.
struct ErrorReply {
  ErrorCode code = ErrorCode::internal;
  std::string message;  ///< 0..1024 bytes
  bool operator==(const ErrorReply&) const = default;
};

using Message = std::variant<Hello, Welcome, Refuse, Batch, Ack, ErrorReply>;

std::string_view name(RefuseCode code);
std::string_view name(ErrorCode code);

// Payload encoders (no frame header).
std::string encode_payload(const Hello& m);
std::string encode_payload(const Welcome& m);
std::string encode_payload(const Refuse& m);
std::string encode_payload(const Batch& m);
std::string encode_payload(const Ack& m);
std::string encode_payload(const ErrorReply& m);

/// The message's type.
MessageType type_of(const Message& m);

// Complete frames (header, version, type, payload) ready to write.
std::string encode_frame(const Hello& m);
std::string encode_frame(const Welcome& m);
std::string encode_frame(const Refuse& m);
std::string encode_frame(const Batch& m);
std::string encode_frame(const Ack& m);
std::string encode_frame(const ErrorReply& m);
std::string encode_frame(const Message& m);

// Payload decoders: every field bounded, nothing may follow the last field
// (except BATCH, whose body runs to the end of the payload).
Decoded<Hello> decode_hello(std::string_view payload);
Decoded<Welcome> decode_welcome(std::string_view payload);
Decoded<Refuse> decode_refuse(std::string_view payload);
Decoded<Batch> decode_batch(std::string_view payload);
Decoded<Ack> decode_ack(std::string_view payload);
Decoded<ErrorReply> decode_error_reply(std::string_view payload);

/// Dispatches on the frame's type; errors start with the type's name.
Decoded<Message> decode_message(const FrameView& frame);
Decoded<Message> decode_message(const Frame& frame);

}  // namespace teiten::wire
