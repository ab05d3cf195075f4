#include "common/wire/frame_reader.h"

#include <algorithm>
#include <cstring>

namespace teiten::wire {

void FrameReader::feed(std::string_view chunk) {
  while (!chunk.empty() && !failed()) {
    if (body_length_ == 0) {
      size_t take = std::min(kFrameHeaderBytes - header_have_, chunk.size());
      std::memcpy(header_ + header_have_, chunk.data(), take);
      header_have_ += take;
      chunk.remove_prefix(take);
      if (header_have_ < kFrameHeaderBytes) return;
      auto length = parse_frame_header(header_, max_frame_);
      if (!length) {
        error_ = length.error();
        return;
      }
      body_length_ = *length;
      continue;
    }
    // Append only up to the end of this frame: the rest of the chunk belongs
    // to the next one, so the unfinished buffer stays within max_frame.
    size_t take = std::min(size_t{body_length_} - body_.size(), chunk.size());
    // Grow geometrically but never past the announced length, so memory
    // follows what the peer actually sent, not what its header claimed.
    size_t need = body_.size() + take;
    if (need > body_.capacity())
      body_.reserve(std::min<size_t>(std::max(need, 2 * body_.capacity()), body_length_));
    body_.append(chunk.data(), take);
    chunk.remove_prefix(take);
    if (body_.size() == body_length_) complete_frame();
  }
}

void FrameReader::complete_frame() {
  auto frame = decode_frame_body(body_);
  if (!frame) {
    error_ = frame.error();
    return;
  }
  MessageType type = frame->type;
  // Drop version and type in place; the payload keeps the body's buffer.
  body_.erase(0, kMinFrameLength);
  ready_.push_back(Frame{type, std::move(body_)});
  body_ = std::string();
  body_length_ = 0;
  header_have_ = 0;
}

size_t FrameReader::held_bytes() const {
  // An idle reader's empty string holds nothing beyond the object itself.
  size_t held = body_length_ ? body_.capacity() : 0;
  for (const auto& f : ready_) held += f.payload.capacity();
  return held;
}

std::optional<Frame> FrameReader::pop() {
  if (ready_.empty()) return std::nullopt;
  Frame f = std::move(ready_.front());
  ready_.pop_front();
  return f;
}

void FrameReader::finish() {
  if (failed() || buffered() == 0) return;
  if (body_length_ == 0)
    error_ = "truncated frame: stream ended after " + std::to_string(header_have_) +
             " of 4 header bytes";
  else
    error_ = "truncated frame: stream ended after " + std::to_string(body_.size()) + " of " +
             std::to_string(body_length_) + " bytes";
}

}  // namespace teiten::wire
