// teiten::tally::Tally — the in-memory dedupe table of one flush interval.
//
// One row per (day, proto, port, src, kind): a source's first packet makes
// a row (that is what a "source" is), later ones raise its access count and
// last-seen time. IPv4 and IPv6 keys live in separate open-addressing
// tables so the common IPv4 row costs a 24-byte slot. Owned and written by
// the capture thread only; handed whole to the store thread at a flush.
// add() allocates only when a table grows. (Prefetching a few adds ahead
// was measured and made the capture loop slower; scripts/bench shows why.)
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <vector>

#include "common/tally/row.h"

namespace teiten::tally {

struct Key4Hash {
  size_t operator()(const Key4& k) const {
    uint64_t a = (uint64_t{k.src} << 32) | (uint64_t{k.port} << 16) | k.day;
    return mix(a ^ (uint64_t{k.proto_kind} * 0x9E3779B97F4A7C15ull));
  }
  // murmur3's finalizer: every input bit reaches the high and low bits,
  // which the table uses for the bucket and the control byte.
  static size_t mix(uint64_t x) {
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDull;
    x ^= x >> 33;
    x *= 0xC4CEB9FE1A85EC53ull;
    x ^= x >> 33;
    return static_cast<size_t>(x);
  }
};

struct Key6Hash {
  size_t operator()(const Key6& k) const {
    uint64_t hi, lo;
    std::memcpy(&hi, k.src, 8);
    std::memcpy(&lo, k.src + 8, 8);
    uint64_t rest = (uint64_t{k.port} << 24) | (uint64_t{k.day} << 8) | k.proto_kind;
    return Key4Hash::mix(hi ^ Key4Hash::mix(lo ^ Key4Hash::mix(rest)));
  }
};

class Tally {
 public:
  void add_v4(uint16_t day, uint8_t proto_kind, uint16_t port, uint32_t src, uint32_t ts) {
    auto [it, inserted] = v4_.try_emplace(Key4{src, port, day, proto_kind}, Counts{1, ts, ts});
    if (!inserted) bump(it->second, ts);
  }
  void add_v6(uint16_t day, uint8_t proto_kind, uint16_t port, const uint8_t* src, uint32_t ts) {
    Key6 k;
    std::memcpy(k.src, src, 16);
    k.port = port;
    k.day = day;
    k.proto_kind = proto_kind;
    auto [it, inserted] = v6_.try_emplace(k, Counts{1, ts, ts});
    if (!inserted) bump(it->second, ts);
  }

  /// Adds a row's counts to whatever the table holds for its key.
  void merge_row(const Key4& k, const Counts& c) {
    auto [it, inserted] = v4_.try_emplace(k, c);
    if (!inserted) it->second.merge(c);
  }
  void merge_row(const Key6& k, const Counts& c) {
    auto [it, inserted] = v6_.try_emplace(k, c);
    if (!inserted) it->second.merge(c);
  }

  size_t rows() const { return v4_.size() + v6_.size(); }
  bool empty() const { return v4_.empty() && v6_.empty(); }
  /// Sizes the tables for about this many rows, so a busy flush interval
  /// does not rehash its way up from nothing.
  void reserve(size_t rows4, size_t rows6) {
    v4_.reserve(rows4);
    v6_.reserve(rows6);
  }
  /// Bytes the tables hold (slots and control bytes), for status and limits.
  size_t memory_bytes() const;
  void clear();
  /// Rows in the databases' primary-key order (Row::store_order).
  std::vector<Row> sorted_rows() const;
  /// Merges another tally's rows into this one.
  void merge(const Tally& other);
  /// Moves the rows of days >= first out into the returned tally.
  Tally split_from(base::Day first);

  const absl::flat_hash_map<Key4, Counts, Key4Hash>& v4() const { return v4_; }
  const absl::flat_hash_map<Key6, Counts, Key6Hash>& v6() const { return v6_; }

 private:
  static void bump(Counts& c, uint32_t ts) {
    ++c.accesses;
    if (ts < c.first_seen) c.first_seen = ts;
    if (ts > c.last_seen) c.last_seen = ts;
  }

  absl::flat_hash_map<Key4, Counts, Key4Hash> v4_;
  absl::flat_hash_map<Key6, Counts, Key6Hash> v6_;
};

}  // namespace teiten::tally
