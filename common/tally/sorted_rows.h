// teiten::tally sorted rows — a flush's rows in primary-key order, as
// compact copies of the tally's slots (24 bytes for IPv4, 40 for IPv6)
// rather than Rows (56 bytes): the store writes them in key order (so its
// B-tree grows at the right edge) and the wire freezes them into batches,
// from one sort. The order is the databases' primary-key order: (day,
// proto, port, kind), then IPv4 sources numerically, then IPv6 sources by
// bytes. SQLite stores IPv4 as integers, which sort before IPv6 text; rows
// written out of its order (IPv6 interleaved by bytes, as this once did)
// make SQLite seek down the B-tree for every row instead of appending, which
// cost about 40% of a large commit.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "common/tally/tally.h"

namespace teiten::tally {

/// (day, proto, port, kind) in one integer that orders like the tuple.
inline uint64_t order_key(uint16_t day, uint8_t proto_kind, uint16_t port) {
  return (uint64_t{day} << 32) | (uint64_t{proto_kind} >> 4 << 24) | (uint64_t{port} << 8) |
         (uint64_t{proto_kind} & 0x0F);
}
inline base::Day key_day(uint64_t k) {
  return static_cast<base::Day>(k >> 32);
}
inline packet::Proto key_proto(uint64_t k) {
  return static_cast<packet::Proto>((k >> 24) & 0xFF);
}
inline uint16_t key_port(uint64_t k) {
  return static_cast<uint16_t>(k >> 8);
}
inline packet::Kind key_kind(uint64_t k) {
  return static_cast<packet::Kind>(k & 0x0F);
}

struct SortedV4 {
  uint64_t key;
  uint32_t src;  ///< host order, so numeric order is byte order
  Counts counts;
};

struct SortedV6 {
  uint64_t key;
  uint8_t src[16];
  Counts counts;
};

struct SortedRows {
  std::vector<SortedV4> v4;
  std::vector<SortedV6> v6;
  size_t size() const { return v4.size() + v6.size(); }
  bool empty() const { return v4.empty() && v6.empty(); }
};

SortedRows sort_rows(const Tally& tally);
/// Puts sorted rows back into a tally (merging), e.g. after a failed commit.
void restore(Tally& tally, const SortedRows& rows);

/// True when the IPv4 row orders before the IPv6 row.
inline bool v4_first(const SortedV4& a, const SortedV6& b) {
  return a.key <= b.key;
}

/// Visits rows [from, from + count) of the merged order; `at` tracks the
/// position in both lists between calls. f4(const SortedV4&), f6(const SortedV6&).
struct SortedCursor {
  size_t i4 = 0, i6 = 0;
};
template <class F4, class F6>
void visit_sorted(const SortedRows& rows, SortedCursor& at, size_t count, F4&& f4, F6&& f6) {
  for (size_t n = 0; n < count; ++n) {
    bool take_v4 = at.i6 == rows.v6.size() ||
                   (at.i4 < rows.v4.size() && v4_first(rows.v4[at.i4], rows.v6[at.i6]));
    if (take_v4)
      f4(rows.v4[at.i4++]);
    else
      f6(rows.v6[at.i6++]);
  }
}

}  // namespace teiten::tally
