#include "common/wire/messages.h"

#include <limits>
#include <stdexcept>

#include "common/wire/byte_writer.h"
#include "common/wire/payload_reader.h"
#include "common/wire/text_rules.h"

namespace teiten::wire {
namespace {

constexpr uint16_t kMaxRefuseCode = static_cast<uint16_t>(RefuseCode::overloaded);
constexpr uint16_t kMaxErrorCode = static_cast<uint16_t>(ErrorCode::internal);

// Reasons are for people; a long one is cut rather than refused, backing off
// to a UTF-8 character boundary so the peer's log shows no broken character.
std::string_view cut_text(std::string_view s) {
  if (s.size() <= kMaxReasonBytes) return s;
  size_t n = kMaxReasonBytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

void require_seq(uint64_t seq, std::string_view what) {
  if (seq == 0 || seq > kMaxCount)
    throw std::invalid_argument(std::string(what) + ": seq " + std::to_string(seq) +
                                " is outside 1..2^63-1");
}

template <class Code>
void require_code(Code code, uint16_t max, std::string_view what) {
  auto v = static_cast<uint16_t>(code);
  if (v < 1 || v > max)
    throw std::invalid_argument(std::string(what) + ": unknown code " + std::to_string(v));
}

void write(ByteWriter& w, const Hello& m) {
  write_text(w, kSensorIdRule, m.sensor_id, "HELLO");
  write_text(w, kTimezoneRule, m.timezone, "HELLO");
  write_text(w, kDatabaseIdRule, m.database_id, "HELLO");
  write_text(w, kSoftwareRule, m.software, "HELLO");
}
void write(ByteWriter& w, const Welcome& m) {
  if (m.last_seq > kMaxCount)
    throw std::invalid_argument("WELCOME: last_seq " + std::to_string(m.last_seq) +
                                " exceeds 2^63-1");
  w.u64(m.last_seq);
  write_text(w, kSoftwareRule, m.software, "WELCOME");
}
void write(ByteWriter& w, const Refuse& m) {
  require_code(m.code, kMaxRefuseCode, "REFUSE");
  w.u16(static_cast<uint16_t>(m.code));
  write_text(w, kReasonRule, cut_text(m.reason), "REFUSE");
}
void write(ByteWriter& w, const Batch& m) {
  require_seq(m.seq, "BATCH");
  write_text(w, kSensorIdRule, m.sensor_id, "BATCH");
  write_text(w, kDatabaseIdRule, m.database_id, "BATCH");
  w.u64(m.seq);
  w.bytes(m.body.data(), m.body.size());
}
void write(ByteWriter& w, const Ack& m) {
  require_seq(m.seq, "ACK");
  w.u64(m.seq);
}
void write(ByteWriter& w, const ErrorReply& m) {
  require_code(m.code, kMaxErrorCode, "ERROR");
  w.u16(static_cast<uint16_t>(m.code));
  write_text(w, kMessageRule, cut_text(m.message), "ERROR");
}

size_t size_hint(const Batch& m) {
  return m.body.size() + 128;
}
template <class M>
size_t size_hint(const M&) {
  return 128;
}

template <class M>
std::string payload_of(const M& m) {
  std::string out;
  out.reserve(size_hint(m));
  ByteWriter w(out);
  write(w, m);
  return out;
}

// The frame is written in one buffer (a BATCH body can be megabytes) and its
// length patched in once the payload is known.
template <class M>
std::string frame_of(MessageType type, const M& m) {
  std::string out;
  out.reserve(kFrameHeaderBytes + kMinFrameLength + size_hint(m));
  ByteWriter w(out);
  w.u32(0);
  w.u8(kProtocolVersion);
  w.u8(static_cast<uint8_t>(type));
  write(w, m);
  if (out.size() - kFrameHeaderBytes > std::numeric_limits<uint32_t>::max())
    throw std::length_error("wire frame longer than a u32 length can describe");
  w.patch_u32(0, static_cast<uint32_t>(out.size() - kFrameHeaderBytes));
  return out;
}

DecodeError failure(std::string_view what, PayloadReader& in) {
  return DecodeError{std::string(what) + ": " + in.error()};
}

bool read_seq(PayloadReader& in, uint64_t& seq) {
  if (!in.count(seq, "seq")) return false;
  return seq >= 1 || in.fail("seq is 0; sequence numbers start at 1");
}

bool read_code(PayloadReader& in, uint16_t& code, uint16_t max) {
  if (!in.u16(code, "code")) return false;
  return (code >= 1 && code <= max) ||
         in.fail("code " + std::to_string(code) + " is not one of 1.." + std::to_string(max));
}

}  // namespace

std::string_view name(RefuseCode code) {
  switch (code) {
    case RefuseCode::not_allowlisted:
      return "not_allowlisted";
    case RefuseCode::identity_mismatch:
      return "identity_mismatch";
    case RefuseCode::timezone_mismatch:
      return "timezone_mismatch";
    case RefuseCode::protocol_error:
      return "protocol_error";
    case RefuseCode::overloaded:
      return "overloaded";
  }
  return "unknown";
}

std::string_view name(ErrorCode code) {
  switch (code) {
    case ErrorCode::storage:
      return "storage";
    case ErrorCode::internal:
      return "internal";
  }
  return "unknown";
}

std::string encode_payload(const Hello& m) {
  return payload_of(m);
}
std::string encode_payload(const Welcome& m) {
  return payload_of(m);
}
std::string encode_payload(const Refuse& m) {
  return payload_of(m);
}
std::string encode_payload(const Batch& m) {
  return payload_of(m);
}
std::string encode_payload(const Ack& m) {
  return payload_of(m);
}
std::string encode_payload(const ErrorReply& m) {
  return payload_of(m);
}

std::string encode_frame(const Hello& m) {
  return frame_of(MessageType::hello, m);
}
std::string encode_frame(const Welcome& m) {
  return frame_of(MessageType::welcome, m);
}
std::string encode_frame(const Refuse& m) {
  return frame_of(MessageType::refuse, m);
}
std::string encode_frame(const Batch& m) {
  return frame_of(MessageType::batch, m);
}
std::string encode_frame(const Ack& m) {
  return frame_of(MessageType::ack, m);
}
std::string encode_frame(const ErrorReply& m) {
  return frame_of(MessageType::error, m);
}

MessageType type_of(const Message& m) {
  // The variant's alternatives are in wire order, starting at HELLO = 1.
  return static_cast<MessageType>(m.index() + 1);
}

std::string encode_frame(const Message& m) {
  return std::visit([](const auto& v) { return encode_frame(v); }, m);
}

Decoded<Hello> decode_hello(std::string_view payload) {
  PayloadReader in(payload);
  std::string_view id, zone, db, software;
  if (!read_text(in, kSensorIdRule, id) || !read_text(in, kTimezoneRule, zone) ||
      !read_text(in, kDatabaseIdRule, db) || !read_text(in, kSoftwareRule, software) ||
      !in.expect_end("HELLO"))
    return failure("HELLO", in);
  return Hello{std::string(id), std::string(zone), std::string(db), std::string(software)};
}

Decoded<Welcome> decode_welcome(std::string_view payload) {
  PayloadReader in(payload);
  Welcome m;
  std::string_view software;
  if (!in.count(m.last_seq, "last_seq") || !read_text(in, kSoftwareRule, software) ||
      !in.expect_end("WELCOME"))
    return failure("WELCOME", in);
  m.software = software;
  return m;
}

Decoded<Refuse> decode_refuse(std::string_view payload) {
  PayloadReader in(payload);
  uint16_t code = 0;
  std::string_view reason;
  if (!read_code(in, code, kMaxRefuseCode) || !read_text(in, kReasonRule, reason) ||
      !in.expect_end("REFUSE"))
    return failure("REFUSE", in);
  return Refuse{static_cast<RefuseCode>(code), std::string(reason)};
}

Decoded<Batch> decode_batch(std::string_view payload) {
  PayloadReader in(payload);
  Batch m;
  std::string_view id, db;
  if (!read_text(in, kSensorIdRule, id) || !read_text(in, kDatabaseIdRule, db) ||
      !read_seq(in, m.seq))
    return failure("BATCH", in);
  m.sensor_id = id;
  m.database_id = db;
  m.body = in.rest();
  return m;
}

Decoded<Ack> decode_ack(std::string_view payload) {
  PayloadReader in(payload);
  Ack m;
  if (!read_seq(in, m.seq) || !in.expect_end("ACK")) return failure("ACK", in);
  return m;
}

Decoded<ErrorReply> decode_error_reply(std::string_view payload) {
  PayloadReader in(payload);
  uint16_t code = 0;
  std::string_view message;
  if (!read_code(in, code, kMaxErrorCode) || !read_text(in, kMessageRule, message) ||
      !in.expect_end("ERROR"))
    return failure("ERROR", in);
  return ErrorReply{static_cast<ErrorCode>(code), std::string(message)};
}

namespace {

template <class M>
Decoded<Message> widen(Decoded<M> d) {
  if (!d) return DecodeError{d.error()};
  return Message{std::move(d).value()};
}

}  // namespace

Decoded<Message> decode_message(const FrameView& frame) {
  switch (frame.type) {
    case MessageType::hello:
      return widen(decode_hello(frame.payload));
    case MessageType::welcome:
      return widen(decode_welcome(frame.payload));
    case MessageType::refuse:
      return widen(decode_refuse(frame.payload));
    case MessageType::batch:
      return widen(decode_batch(frame.payload));
    case MessageType::ack:
      return widen(decode_ack(frame.payload));
    case MessageType::error:
      return widen(decode_error_reply(frame.payload));
  }
  return DecodeError{"unknown message type " + std::to_string(static_cast<uint8_t>(frame.type))};
}

Decoded<Message> decode_message(const Frame& frame) {
  return decode_message(FrameView{frame.type, frame.payload});
}

}  // namespace teiten::wire
