// teiten::wire::FrameReader — reassembles frames from arbitrary chunks of a
// byte stream. The only frame parser: tls::FrameChannel feeds it what the
// TLS stream delivers in both daemons, and the wire tests and the fuzz
// target feed it the same way, so what is fuzzed is what runs.
//
// Owns the unfinished frame only: it never holds more than max_frame + 4
// bytes of it, and allocates for a frame only after its header passed
// parse_frame_header. Completed frames wait in a queue until popped, so
// what is queued is bounded by what the caller fed since its last pop. The
// first error is sticky: later input is ignored. Frames completed before
// it can still be popped, in order, as a transport that reads frame by frame
// would have handled them before meeting the bad one.
// Not thread-safe; never throws on bad input, never logs.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "common/wire/frame.h"

namespace teiten::wire {

class FrameReader {
 public:
  explicit FrameReader(uint32_t max_frame) : max_frame_(max_frame) {}

  /// Consumes every byte of `chunk` (unless already failed).
  void feed(std::string_view chunk);
  /// The oldest complete frame, if any (also after an error: those came first).
  std::optional<Frame> pop();
  /// End of stream: a partly received frame becomes a "truncated" error.
  void finish();

  /// Applies to frames whose header has not been read yet (the collector
  /// raises it once a peer has identified itself).
  void set_max_frame(uint32_t max_frame) { max_frame_ = max_frame; }
  /// Bytes allocated for frames now: the unfinished one and those not popped.
  size_t held_bytes() const;

  bool failed() const { return !error_.empty(); }
  /// Empty unless failed().
  const std::string& error() const { return error_; }
  /// Bytes of the unfinished frame held now, header included (<= max_frame + 4).
  size_t buffered() const { return header_have_ + body_.size(); }
  /// Complete frames not popped yet.
  size_t ready() const { return ready_.size(); }

 private:
  void complete_frame();

  uint32_t max_frame_;
  uint8_t header_[kFrameHeaderBytes] = {};
  size_t header_have_ = 0;
  uint32_t body_length_ = 0;  ///< announced length; 0 while reading the header
  std::string body_;          ///< version + type + payload received so far
  std::deque<Frame> ready_;
  std::string error_;
};

}  // namespace teiten::wire
