// The properties every input must keep when fed to the wire decoders; one
// copy shared by the libFuzzer target (fuzz_wire.cpp), the regression
// replayer (wire_regressions.cpp) and the randomised test in tests/wire.
//
// For any bytes at all: nothing crashes, reads out of bounds or overflows
// (the sanitizers watch that); a FrameReader fed the bytes whole and in
// small chunks reaches the same frames and the same error; a message that
// decodes re-encodes to exactly its payload (version 1 has one spelling of
// each message); a batch body that decodes re-encodes to a body that
// decodes to the same rows and stats. Returns what broke, empty when all held.
#pragma once

#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "common/wire/batch_codec.h"
#include "common/wire/frame_reader.h"
#include "common/wire/messages.h"

namespace teiten::fuzz {

/// The frame limit used for fuzz inputs: large enough for any input libFuzzer
/// makes, so a frame can complete, small enough that a header claiming it
/// proves nothing is reserved up front.
constexpr uint32_t kFuzzMaxFrame = 1u << 20;

inline std::string check_batch_body(std::string_view body) {
  auto first = wire::decode_batch_body(body);
  if (!first) return first.error().empty() ? "batch body failed without a message" : "";
  std::string again = wire::encode_batch_body(first->rows, first->days);
  auto second = wire::decode_batch_body(again);
  if (!second) return "re-encoded batch body does not decode: " + second.error();
  if (second->rows != first->rows) return "batch body rows changed across a round trip";
  if (second->days.size() != first->days.size()) return "batch body days changed";
  for (const auto& [day, stats] : first->days) {
    auto it = second->days.find(day);
    if (it == second->days.end() || !wire::same_carried_stats(it->second, stats))
      return "batch body stats of day " + std::to_string(day) + " changed across a round trip";
  }
  return {};
}

template <class M>
std::string check_payload(wire::Decoded<M> decoded, std::string_view payload) {
  if (!decoded) return decoded.error().empty() ? "message failed without an error" : "";
  if (wire::encode_payload(*decoded) != payload) return "a decoded message re-encodes differently";
  return {};
}

inline std::string check_message(const wire::Frame& frame) {
  auto m = wire::decode_message(frame);
  if (!m) return m.error().empty() ? "message failed without an error" : "";
  if (wire::type_of(*m) != frame.type) return "decode_message changed the type";
  std::string payload =
      wire::encode_frame(*m).substr(wire::kFrameHeaderBytes + wire::kMinFrameLength);
  if (payload != frame.payload) return "a decoded frame re-encodes differently";
  if (const auto* batch = std::get_if<wire::Batch>(&*m)) return check_batch_body(batch->body);
  return {};
}

/// The frames tls::FrameChannel hands out for a stream: it reads 16 KiB
/// (kChannelRead) only when no frame waits in its reader and pops one frame
/// per read; the stream's end finishes the reader.
inline std::vector<wire::Frame> read_as_channel(std::string_view data, std::string& error) {
  constexpr size_t kChannelRead = 16384;
  wire::FrameReader reader(kFuzzMaxFrame);
  std::vector<wire::Frame> frames;
  size_t at = 0;
  for (;;) {
    if (auto frame = reader.pop()) {
      frames.push_back(std::move(*frame));
      continue;
    }
    if (reader.failed()) break;
    if (at >= data.size()) {
      reader.finish();
      break;
    }
    reader.feed(data.substr(at, kChannelRead));
    at += kChannelRead;
  }
  error = reader.error();
  return frames;
}

inline std::string check_frames(std::string_view data) {
  wire::FrameReader whole(kFuzzMaxFrame), chunked(kFuzzMaxFrame);
  whole.feed(data);
  for (size_t at = 0, step = 1; at < data.size(); at += step, step = step % 7 + 1)
    chunked.feed(data.substr(at, step));
  whole.finish();
  chunked.finish();
  if (whole.buffered() > kFuzzMaxFrame + 4 || chunked.buffered() > kFuzzMaxFrame + 4)
    return "frame reader buffered more than max_frame + 4";
  if (whole.error() != chunked.error()) return "chunking changed the frame reader's error";
  std::string channel_error;
  std::vector<wire::Frame> channel = read_as_channel(data, channel_error);
  if (channel_error != whole.error()) return "reading as FrameChannel does changed the error";
  size_t index = 0;
  while (auto a = whole.pop()) {
    auto b = chunked.pop();
    if (!b || b->type != a->type || b->payload != a->payload)
      return "chunking changed the frames read";
    if (index >= channel.size() || channel[index].type != a->type ||
        channel[index].payload != a->payload)
      return "reading as FrameChannel does changed the frames read";
    ++index;
    if (auto problem = check_message(*a); !problem.empty()) return problem;
  }
  if (chunked.pop()) return "chunking produced an extra frame";
  if (index != channel.size()) return "reading as FrameChannel does produced an extra frame";
  return {};
}

inline std::string check_wire_input(std::string_view data) {
  try {
    std::string problem = check_frames(data);
    if (problem.empty()) problem = check_batch_body(data);
    if (problem.empty()) problem = check_payload(wire::decode_hello(data), data);
    if (problem.empty()) problem = check_payload(wire::decode_welcome(data), data);
    if (problem.empty()) problem = check_payload(wire::decode_refuse(data), data);
    if (problem.empty()) problem = check_payload(wire::decode_batch(data), data);
    if (problem.empty()) problem = check_payload(wire::decode_ack(data), data);
    if (problem.empty()) problem = check_payload(wire::decode_error_reply(data), data);
    if (problem.empty() && data.size() >= 4) {
      uint8_t header[4] = {static_cast<uint8_t>(data[0]), static_cast<uint8_t>(data[1]),
                           static_cast<uint8_t>(data[2]), static_cast<uint8_t>(data[3])};
      (void)wire::parse_frame_header(header, kFuzzMaxFrame);
      (void)wire::decode_frame_body(data.substr(4));
    }
    return problem;
  } catch (const std::exception& e) {
    // Decoders never throw; encoders throw only on values a decoder refuses.
    return std::string("exception: ") + e.what();
  }
}

}  // namespace teiten::fuzz
