// Encoding half of the batch codec: freeze_bodies and encode_batch_body.
// The decoding half is batch_decode.cpp.
#include "common/wire/batch_codec.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "common/wire/byte_writer.h"
#include "common/wire/limits.h"
#include "common/wire/text_rules.h"

namespace teiten::wire {
namespace {

using tally::Counts;

[[noreturn]] void reject(const std::string& what) {
  throw std::invalid_argument("batch body: " + what);
}

void require_count(uint64_t v, std::string_view field) {
  if (v > kMaxCount) reject(std::string(field) + " " + std::to_string(v) + " exceeds 2^63-1");
}

// A row assembled on the stack and appended at once: a flush can hold
// millions of rows, and one append per field was most of the encoding time.
class RowBuffer {
 public:
  template <class U>
  void be(U v) {
    for (size_t i = 0; i < sizeof(U); ++i)
      b_[n_++] = static_cast<uint8_t>(v >> (8 * (sizeof(U) - 1 - i)));
  }
  void raw(const uint8_t* p, size_t len) {
    std::memcpy(b_ + n_, p, len);
    n_ += len;
  }
  void append_to(ByteWriter& w) const { w.bytes(b_, n_); }

 private:
  uint8_t b_[kMaxRowBytes];
  size_t n_ = 0;
};

// The one place a row's fields are checked and written, for both the Row
// path (tools) and the tally-key path (freeze_bodies).
void put_row(ByteWriter& w, base::Day day, uint8_t proto, uint16_t port, uint8_t kind,
             base::Family family, const uint8_t* src, uint64_t accesses, int64_t first_seen,
             int64_t last_seen) {
  if (day < 0 || day > tally::kMaxDay)
    reject("row day " + std::to_string(day) + " is outside 0.." + std::to_string(tally::kMaxDay));
  if (proto < 1 || proto > 5) reject("row proto " + std::to_string(proto) + " is not 1..5");
  if (kind < 1 || kind > 3) reject("row kind " + std::to_string(kind) + " is not 1..3");
  if (accesses == 0) reject("row with 0 accesses");
  require_count(accesses, "row accesses");
  if (first_seen > last_seen) reject("row first_seen is after last_seen");
  RowBuffer b;
  b.be(static_cast<uint32_t>(day));
  b.be(proto);
  b.be(port);
  b.be(kind);
  b.be(static_cast<uint8_t>(family));
  b.raw(src, family == base::Family::v4 ? 4 : 16);
  b.be(accesses);
  b.be(static_cast<uint64_t>(first_seen));
  b.be(static_cast<uint64_t>(last_seen));
  b.append_to(w);
}

void put_row(ByteWriter& w, const tally::Row& r) {
  if (r.src.family != base::Family::v4 && r.src.family != base::Family::v6)
    reject("row source has no address family");
  if (r.src.is_v4() &&
      std::any_of(r.src.bytes.begin() + 4, r.src.bytes.end(), [](uint8_t b) { return b != 0; }))
    reject("IPv4 row source has bytes beyond the fourth");
  put_row(w, r.day, static_cast<uint8_t>(r.proto), r.port, static_cast<uint8_t>(r.kind),
          r.src.family, r.src.bytes.data(), r.accesses, r.first_seen, r.last_seen);
}

void put_day(ByteWriter& w, base::Day day, const tally::DayStats& s) {
  uint8_t flags = 0;
  if (s.has_packets()) flags |= kDayHasPackets;
  if (s.kernel_drops) flags |= kDayHasKernelDrops;
  if (s.if_drops) flags |= kDayHasIfDrops;
  std::string where = "day " + std::to_string(day) + " ";
  require_count(s.packets, where + "packets");
  if (s.capture_seconds < 0) reject(where + "capture_seconds is negative");
  w.i32(day);
  w.u64(s.packets);
  w.u8(flags);
  if (flags & kDayHasPackets) {
    w.i64(s.first_packet);
    w.i64(s.last_packet);
  }
  w.i64(s.capture_seconds);
  if (flags & kDayHasKernelDrops) {
    require_count(*s.kernel_drops, where + "kernel_drops");
    w.u64(*s.kernel_drops);
  }
  if (flags & kDayHasIfDrops) {
    require_count(*s.if_drops, where + "if_drops");
    w.u64(*s.if_drops);
  }
  auto counters = tally::named_counters(s);
  if (counters.size() > 0xFFFF) reject(where + "has more than 65535 counters");
  w.u16(static_cast<uint16_t>(counters.size()));
  for (const auto& c : counters) {
    write_text(w, kCounterNameRule, c.name, "batch body");
    require_count(c.value, where + c.name);
    w.u64(c.value);
  }
}

void put_days(ByteWriter& w, const std::map<base::Day, tally::DayStats>& days) {
  w.u32(static_cast<uint32_t>(days.size()));
  for (const auto& [day, stats] : days) put_day(w, day, stats);
}

// freeze_bodies sorts compact copies of the tally's slots (24 bytes for an
// IPv4 row, 40 for IPv6) rather than Rows (56 bytes) as Tally::sorted_rows
// does, and keeps the counts inside them: the sorted order is random with
// respect to the hash table, so a pointer back into it would cost a cache
// miss per row. The order is the same as sorted_rows': (day, proto, port,
// kind) packed into one integer, then the source as IpAddress orders it
// (bytes, then family).
uint64_t order_key(uint16_t day, uint8_t proto_kind, uint16_t port) {
  // proto_kind is proto << 4 | kind; the key orders proto before port.
  return (uint64_t{day} << 32) | (uint64_t{proto_kind} >> 4 << 24) | (uint64_t{port} << 8) |
         (uint64_t{proto_kind} & 0x0F);
}

struct V4Ref {
  uint64_t key;
  uint32_t src;  ///< host order, so numeric order is byte order
  Counts counts;
};

struct V6Ref {
  uint64_t key;
  uint8_t src[16];
  Counts counts;
};

uint32_t first_word(const uint8_t* b) {
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
}

// An IPv4 source is its four bytes followed by twelve zeros and family 4, so
// against an IPv6 source with the same first four bytes it always sorts first.
bool v4_before_v6(const V4Ref& a, const V6Ref& b) {
  if (a.key != b.key) return a.key < b.key;
  return a.src <= first_word(b.src);
}

base::Day day_of_key(uint64_t key) {
  return static_cast<base::Day>(key >> 32);
}

void put_keyed(ByteWriter& w, uint64_t key, base::Family family, const uint8_t* src,
               const Counts& c) {
  put_row(w, day_of_key(key), static_cast<uint8_t>(key >> 24), static_cast<uint16_t>(key >> 8),
          static_cast<uint8_t>(key), family, src, c.accesses, c.first_seen, c.last_seen);
}

void put_v4(ByteWriter& w, const V4Ref& r) {
  const uint8_t src[4] = {static_cast<uint8_t>(r.src >> 24), static_cast<uint8_t>(r.src >> 16),
                          static_cast<uint8_t>(r.src >> 8), static_cast<uint8_t>(r.src)};
  put_keyed(w, r.key, base::Family::v4, src, r.counts);
}

void put_v6(ByteWriter& w, const V6Ref& r) {
  put_keyed(w, r.key, base::Family::v6, r.src, r.counts);
}

}  // namespace

std::string encode_batch_body(std::span<const tally::Row> rows,
                              const std::map<base::Day, tally::DayStats>& days) {
  if (rows.size() > 0xFFFFFFFFu) reject("more than 2^32-1 rows");
  std::string out;
  out.reserve(8 + rows.size() * kMaxRowBytes);
  ByteWriter w(out);
  w.u32(static_cast<uint32_t>(rows.size()));
  for (const auto& r : rows) put_row(w, r);
  put_days(w, days);
  return out;
}

std::vector<FrozenBody> freeze_bodies(const tally::TallyDelta& delta, size_t max_rows_per_batch) {
  if (max_rows_per_batch == 0)
    throw std::invalid_argument("freeze_bodies: max_rows_per_batch is 0");
  // A body's row count is a u32.
  size_t per_body = std::min<size_t>(max_rows_per_batch, 0xFFFFFFFFu);

  std::vector<V4Ref> v4;
  v4.reserve(delta.rows.v4().size());
  for (const auto& [k, c] : delta.rows.v4())
    v4.push_back(V4Ref{order_key(k.day, k.proto_kind, k.port), k.src, c});
  std::sort(v4.begin(), v4.end(), [](const V4Ref& a, const V4Ref& b) {
    return a.key != b.key ? a.key < b.key : a.src < b.src;
  });
  std::vector<V6Ref> v6;
  v6.reserve(delta.rows.v6().size());
  for (const auto& [k, c] : delta.rows.v6()) {
    V6Ref r{order_key(k.day, k.proto_kind, k.port), {}, c};
    std::memcpy(r.src, k.src, 16);
    v6.push_back(r);
  }
  std::sort(v6.begin(), v6.end(), [](const V6Ref& a, const V6Ref& b) {
    return a.key != b.key ? a.key < b.key : std::memcmp(a.src, b.src, 16) < 0;
  });

  size_t total = v4.size() + v6.size();
  if (total == 0 && delta.days.empty()) return {};
  size_t body_count = total == 0 ? 1 : total / per_body + (total % per_body != 0);

  std::vector<FrozenBody> bodies;
  bodies.reserve(body_count);
  size_t i4 = 0, i6 = 0;
  for (size_t b = 0; b < body_count; ++b) {
    size_t rows = std::min(per_body, total - (i4 + i6));
    bool last = b + 1 == body_count;
    FrozenBody body;
    body.rows = rows;
    body.bytes.reserve(8 + rows * kMinRowBytes);
    ByteWriter w(body.bytes);
    w.u32(static_cast<uint32_t>(rows));
    bool have_min = false;
    for (size_t n = 0; n < rows; ++n) {
      // Merge the two sorted lists; the first row written has the smallest day.
      bool take_v4 = i6 == v6.size() || (i4 < v4.size() && v4_before_v6(v4[i4], v6[i6]));
      base::Day day = day_of_key(take_v4 ? v4[i4].key : v6[i6].key);
      if (!have_min) {
        body.min_day = day;
        have_min = true;
      }
      if (take_v4)
        put_v4(w, v4[i4++]);
      else
        put_v6(w, v6[i6++]);
    }
    if (last) {
      put_days(w, delta.days);
      if (!delta.days.empty() && (!have_min || delta.days.begin()->first < body.min_day))
        body.min_day = delta.days.begin()->first;
    } else {
      w.u32(0);
    }
    bodies.push_back(std::move(body));
  }
  return bodies;
}

bool same_carried_stats(const tally::DayStats& a, const tally::DayStats& b) {
  // Unset first/last travel as "absent", so any two unset spans are equal.
  bool spans =
      a.has_packets() == b.has_packets() &&
      (!a.has_packets() || (a.first_packet == b.first_packet && a.last_packet == b.last_packet));
  // Zero counters are omitted on the wire; compare what named_counters sees.
  auto ca = tally::named_counters(a), cb = tally::named_counters(b);
  bool counters = ca.size() == cb.size() &&
                  std::equal(ca.begin(), ca.end(), cb.begin(), [](const auto& x, const auto& y) {
                    return x.name == y.name && x.value == y.value;
                  });
  return a.packets == b.packets && spans && a.capture_seconds == b.capture_seconds &&
         a.kernel_drops == b.kernel_drops && a.if_drops == b.if_drops && counters;
}

}  // namespace teiten::wire
