// teiten::wire::ByteWriter — appends big-endian integers and u16-length
// strings to a std::string; the encoding half of base::ByteReader.
//
// Owns nothing (it writes into the caller's string). Field bounds are the
// message encoders' business; the writer only refuses a string longer than
// its u16 prefix can say, which no bounded field can reach. Used by the
// frame, message and batch encoders.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace teiten::wire {

class ByteWriter {
 public:
  explicit ByteWriter(std::string& out) : out_(out) {}

  size_t size() const { return out_.size(); }

  void u8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u16(uint16_t v) { put_be(v); }
  void u32(uint32_t v) { put_be(v); }
  void u64(uint64_t v) { put_be(v); }
  // Signed fields travel as two's complement of the same width.
  void i32(int32_t v) { u32(static_cast<uint32_t>(v)); }
  void i64(int64_t v) { u64(static_cast<uint64_t>(v)); }
  void bytes(const void* data, size_t n) { out_.append(static_cast<const char*>(data), n); }

  /// u16 length, then the bytes. Throws std::length_error above 65535 bytes.
  void string(std::string_view s) {
    if (s.size() > 0xFFFF) throw std::length_error("wire string longer than 65535 bytes");
    u16(static_cast<uint16_t>(s.size()));
    bytes(s.data(), s.size());
  }

  /// Overwrites four bytes written earlier (a count known only at the end).
  void patch_u32(size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i)
      out_[at + static_cast<size_t>(i)] = static_cast<char>(v >> (24 - 8 * i));
  }

 private:
  // One append per field: a body holds millions of fields, and appending
  // byte by byte costs a capacity check each.
  template <class U>
  void put_be(U v) {
    char b[sizeof(U)];
    for (size_t i = 0; i < sizeof(U); ++i) b[i] = static_cast<char>(v >> (8 * (sizeof(U) - 1 - i)));
    out_.append(b, sizeof(U));
  }

  std::string& out_;
};

}  // namespace teiten::wire
