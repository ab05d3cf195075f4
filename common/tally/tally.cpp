#include "common/tally/tally.h"

#include <algorithm>

namespace teiten::tally {
namespace {

Row to_row(uint16_t day, uint8_t pk, uint16_t port, const base::IpAddress& src, const Counts& c) {
  Row r;
  r.day = day;
  r.proto = unpack_proto(pk);
  r.kind = unpack_kind(pk);
  r.port = port;
  r.src = src;
  r.accesses = c.accesses;
  r.first_seen = c.first_seen;
  r.last_seen = c.last_seen;
  return r;
}

}  // namespace

size_t Tally::memory_bytes() const {
  // flat_hash_map keeps one control byte per slot next to the slot array.
  return v4_.capacity() * (sizeof(std::pair<const Key4, Counts>) + 1) +
         v6_.capacity() * (sizeof(std::pair<const Key6, Counts>) + 1);
}

void Tally::clear() {
  v4_.clear();
  v6_.clear();
}

std::vector<Row> Tally::sorted_rows() const {
  std::vector<Row> rows;
  rows.reserve(this->rows());
  for (const auto& [k, c] : v4_)
    rows.push_back(to_row(k.day, k.proto_kind, k.port, base::IpAddress::v4(k.src), c));
  for (const auto& [k, c] : v6_)
    rows.push_back(to_row(k.day, k.proto_kind, k.port,
                          base::IpAddress::from_bytes(base::Family::v6, k.src), c));
  std::sort(rows.begin(), rows.end(),
            [](const Row& a, const Row& b) { return a.store_order() < b.store_order(); });
  return rows;
}

Tally Tally::split_from(base::Day first) {
  Tally out;
  auto move_later = [first](auto& from, auto& to) {
    for (auto it = from.begin(); it != from.end();) {
      if (it->first.day >= first) {
        to.emplace(it->first, it->second);
        from.erase(it++);
      } else {
        ++it;
      }
    }
  };
  move_later(v4_, out.v4_);
  move_later(v6_, out.v6_);
  return out;
}

void Tally::merge(const Tally& other) {
  for (const auto& [k, c] : other.v4_) merge_row(k, c);
  for (const auto& [k, c] : other.v6_) merge_row(k, c);
}

}  // namespace teiten::tally
