// teiten::base::ByteReader — the only way decoders touch untrusted bytes.
//
// A ByteReader is a cursor over [data, data + size). Every read checks the
// remaining length first (by subtraction, so it cannot overflow) and reports
// failure instead of reading past the end; nothing here throws or allocates.
// Multi-byte reads assemble network (big-endian) order byte by byte, so no
// header struct is ever cast over packet memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace teiten::base {

// Every accessor is forced inline: the decoder calls them several times per
// packet, and out-of-line calls were a third of its time.
#define TEITEN_HOT [[gnu::always_inline]] inline

class ByteReader {
 public:
  ByteReader() = default;
  ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  TEITEN_HOT size_t size() const { return size_; }
  TEITEN_HOT size_t position() const { return pos_; }
  TEITEN_HOT size_t remaining() const { return size_ - pos_; }
  TEITEN_HOT bool has(size_t n) const { return n <= size_ - pos_; }
  /// Pointer to the unread bytes; valid for remaining() bytes.
  TEITEN_HOT const uint8_t* current() const { return data_ + pos_; }

  TEITEN_HOT bool skip(size_t n) {
    if (!has(n)) return false;
    pos_ += n;
    return true;
  }
  TEITEN_HOT bool read_u8(uint8_t& out) {
    if (!has(1)) return false;
    out = data_[pos_++];
    return true;
  }
  TEITEN_HOT bool read_u16(uint16_t& out) {
    if (!has(2)) return false;
    out = static_cast<uint16_t>((data_[pos_] << 8) | data_[pos_ + 1]);
    pos_ += 2;
    return true;
  }
  TEITEN_HOT bool read_u32(uint32_t& out) {
    if (!has(4)) return false;
    out = (uint32_t{data_[pos_]} << 24) | (uint32_t{data_[pos_ + 1]} << 16) |
          (uint32_t{data_[pos_ + 2]} << 8) | uint32_t{data_[pos_ + 3]};
    pos_ += 4;
    return true;
  }
  TEITEN_HOT bool read_bytes(void* out, size_t n) {
    if (!has(n)) return false;
    std::memcpy(out, data_ + pos_, n);
    pos_ += n;
    return true;
  }
  /// Reads without advancing: byte at offset `at` from the cursor.
  TEITEN_HOT bool peek_u8(size_t at, uint8_t& out) const {
    if (!has(at) || !has(at + 1)) return false;
    out = data_[pos_ + at];
    return true;
  }
  TEITEN_HOT bool peek_u16(size_t at, uint16_t& out) const {
    if (!has(at) || size_ - pos_ - at < 2) return false;
    out = static_cast<uint16_t>((data_[pos_ + at] << 8) | data_[pos_ + at + 1]);
    return true;
  }
  /// A reader over the next n bytes (fewer if fewer remain), without advancing.
  TEITEN_HOT ByteReader sub(size_t n) const {
    size_t take = n < remaining() ? n : remaining();
    return ByteReader(data_ + pos_, take);
  }
  /// Shrinks the readable window to at most n bytes from the cursor.
  TEITEN_HOT void limit(size_t n) {
    if (n < remaining()) size_ = pos_ + n;
  }

 private:
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t pos_ = 0;
};

}  // namespace teiten::base

#undef TEITEN_HOT
