#include "common/tally/sorted_rows.h"

#include <algorithm>

namespace teiten::tally {

SortedRows sort_rows(const Tally& tally) {
  SortedRows out;
  out.v4.reserve(tally.v4().size());
  for (const auto& [k, c] : tally.v4())
    out.v4.push_back(SortedV4{order_key(k.day, k.proto_kind, k.port), k.src, c});
  std::sort(out.v4.begin(), out.v4.end(), [](const SortedV4& a, const SortedV4& b) {
    return a.key != b.key ? a.key < b.key : a.src < b.src;
  });
  out.v6.reserve(tally.v6().size());
  for (const auto& [k, c] : tally.v6()) {
    SortedV6 r{order_key(k.day, k.proto_kind, k.port), {}, c};
    std::memcpy(r.src, k.src, 16);
    out.v6.push_back(r);
  }
  std::sort(out.v6.begin(), out.v6.end(), [](const SortedV6& a, const SortedV6& b) {
    return a.key != b.key ? a.key < b.key : std::memcmp(a.src, b.src, 16) < 0;
  });
  return out;
}

void restore(Tally& tally, const SortedRows& rows) {
  auto pk = [](uint64_t key) { return pack_proto_kind(key_proto(key), key_kind(key)); };
  for (const auto& r : rows.v4)
    tally.merge_row(Key4{r.src, key_port(r.key), static_cast<uint16_t>(key_day(r.key)), pk(r.key)},
                    r.counts);
  for (const auto& r : rows.v6) {
    Key6 k;
    std::memcpy(k.src, r.src, 16);
    k.port = key_port(r.key);
    k.day = static_cast<uint16_t>(key_day(r.key));
    k.proto_kind = pk(r.key);
    tally.merge_row(k, r.counts);
  }
}

}  // namespace teiten::tally
