// Test helper: batch bodies written field by field with any values, valid or
// not, independently of the codec's encoder, to say exactly what a hostile
// or buggy sensor might send.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/wire/byte_writer.h"

namespace teiten::test {

struct RawRow {
  int32_t day = 19000;
  uint8_t proto = 1;
  uint16_t port = 445;
  uint8_t kind = 1;
  uint8_t family = 4;
  std::string src = std::string("\xc0\x00\x02\x01", 4);
  uint64_t accesses = 1;
  int64_t first_seen = 100;
  int64_t last_seen = 200;
};

struct RawDay {
  int32_t day = 19000;
  uint64_t packets = 1;
  uint8_t flags = 0;  ///< written as given; the optional fields follow bits 0..2
  int64_t first_packet = 100;
  int64_t last_packet = 200;
  int64_t capture_seconds = 0;
  uint64_t kernel_drops = 0;
  uint64_t if_drops = 0;
  std::vector<std::pair<std::string, uint64_t>> counters = {};
};

inline void put(wire::ByteWriter& w, const RawRow& r) {
  w.i32(r.day);
  w.u8(r.proto);
  w.u16(r.port);
  w.u8(r.kind);
  w.u8(r.family);
  w.bytes(r.src.data(), r.src.size());
  w.u64(r.accesses);
  w.i64(r.first_seen);
  w.i64(r.last_seen);
}

inline void put(wire::ByteWriter& w, const RawDay& d) {
  w.i32(d.day);
  w.u64(d.packets);
  w.u8(d.flags);
  if (d.flags & 1) {
    w.i64(d.first_packet);
    w.i64(d.last_packet);
  }
  w.i64(d.capture_seconds);
  if (d.flags & 2) w.u64(d.kernel_drops);
  if (d.flags & 4) w.u64(d.if_drops);
  w.u16(static_cast<uint16_t>(d.counters.size()));
  for (const auto& [name, value] : d.counters) {
    w.string(name);
    w.u64(value);
  }
}

/// row_count and day_count default to the sizes of the vectors.
inline std::string raw_body(const std::vector<RawRow>& rows, const std::vector<RawDay>& days,
                            std::string_view trailing = {}, int64_t row_count = -1,
                            int64_t day_count = -1) {
  std::string out;
  wire::ByteWriter w(out);
  w.u32(static_cast<uint32_t>(row_count < 0 ? static_cast<int64_t>(rows.size()) : row_count));
  for (const auto& r : rows) put(w, r);
  w.u32(static_cast<uint32_t>(day_count < 0 ? static_cast<int64_t>(days.size()) : day_count));
  for (const auto& d : days) put(w, d);
  w.bytes(trailing.data(), trailing.size());
  return out;
}

}  // namespace teiten::test
