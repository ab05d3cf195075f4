// teiten::wire::PayloadReader — the bounded cursor every wire decoder reads
// through: base::ByteReader plus 64-bit and signed fields, bounded strings,
// and the first error, worded with the field's name and offset.
//
// Never reads past the payload, never throws, never allocates except for the
// error message. Strings come back as views into the payload, so a decoder
// copies only what it keeps. Used by the message and batch body decoders.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/base/byte_reader.h"
#include "common/wire/decoded.h"
#include "common/wire/limits.h"

namespace teiten::wire {

class PayloadReader {
 public:
  explicit PayloadReader(std::string_view bytes)
      : in_(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()) {}

  size_t position() const { return in_.position(); }
  size_t remaining() const { return in_.remaining(); }
  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  DecodeError take_error() { return DecodeError{std::move(error_)}; }

  /// Records the first error only (later ones are consequences); returns false.
  bool fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return false;
  }

  bool u8(uint8_t& out, std::string_view field) { return need(1, field) && in_.read_u8(out); }
  bool u16(uint16_t& out, std::string_view field) { return need(2, field) && in_.read_u16(out); }
  bool u32(uint32_t& out, std::string_view field) { return need(4, field) && in_.read_u32(out); }
  bool u64(uint64_t& out, std::string_view field) {
    uint32_t hi = 0, lo = 0;
    if (!need(8, field) || !in_.read_u32(hi) || !in_.read_u32(lo)) return false;
    out = (uint64_t{hi} << 32) | lo;
    return true;
  }
  /// A u64 count or sequence number: at most 2^63-1, since both databases
  /// keep it in a signed 64-bit SQLite INTEGER.
  bool count(uint64_t& out, std::string_view field) {
    if (!u64(out, field)) return false;
    if (out <= kMaxCount) return true;
    return fail(std::string(field) + " " + std::to_string(out) + " exceeds 2^63-1");
  }
  bool i32(int32_t& out, std::string_view field) {
    uint32_t v = 0;
    if (!u32(v, field)) return false;
    out = static_cast<int32_t>(v);  // two's complement, defined since C++20
    return true;
  }
  bool i64(int64_t& out, std::string_view field) {
    uint64_t v = 0;
    if (!u64(v, field)) return false;
    out = static_cast<int64_t>(v);
    return true;
  }
  bool bytes(uint8_t* out, size_t n, std::string_view field) {
    return need(n, field) && in_.read_bytes(out, n);
  }

  /// A u16-length string of at most `max` bytes, as a view into the payload.
  bool string(std::string_view& out, std::string_view field, size_t max) {
    uint16_t len = 0;
    if (!u16(len, field)) return false;
    if (len > max)
      return fail(std::string(field) + " is " + std::to_string(len) + " bytes, more than the " +
                  std::to_string(max) + " allowed");
    if (!need(len, field)) return false;
    out = std::string_view(reinterpret_cast<const char*>(in_.current()), len);
    in_.skip(len);
    return true;
  }

  /// Everything not read yet (the BATCH body).
  std::string_view rest() {
    std::string_view out(reinterpret_cast<const char*>(in_.current()), in_.remaining());
    in_.skip(in_.remaining());
    return out;
  }

  /// Fails when bytes remain after the last field of `what`.
  bool expect_end(std::string_view what) {
    if (in_.remaining() == 0) return true;
    return fail(std::to_string(in_.remaining()) + " unexpected bytes after the end of " +
                std::string(what));
  }

 private:
  bool need(size_t n, std::string_view field) {
    if (failed()) return false;
    if (in_.has(n)) return true;
    return fail("truncated: " + std::string(field) + " needs " + std::to_string(n) +
                " bytes at offset " + std::to_string(in_.position()) + ", " +
                std::to_string(in_.remaining()) + " remain");
  }

  base::ByteReader in_;
  std::string error_;
};

}  // namespace teiten::wire
