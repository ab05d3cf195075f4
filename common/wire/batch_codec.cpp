// Encoding half of the batch codec: freeze_bodies and encode_batch_body.
// The decoding half is batch_decode.cpp.
#include "common/wire/batch_codec.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "common/tally/sorted_rows.h"
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

void put_keyed(ByteWriter& w, uint64_t key, base::Family family, const uint8_t* src,
               const Counts& c) {
  put_row(w, tally::key_day(key), static_cast<uint8_t>(tally::key_proto(key)), tally::key_port(key),
          static_cast<uint8_t>(tally::key_kind(key)), family, src, c.accesses, c.first_seen,
          c.last_seen);
}

void put_v4(ByteWriter& w, const tally::SortedV4& r) {
  const uint8_t src[4] = {static_cast<uint8_t>(r.src >> 24), static_cast<uint8_t>(r.src >> 16),
                          static_cast<uint8_t>(r.src >> 8), static_cast<uint8_t>(r.src)};
  put_keyed(w, r.key, base::Family::v4, src, r.counts);
}

void put_v6(ByteWriter& w, const tally::SortedV6& r) {
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
  return freeze_bodies(tally::sort_rows(delta.rows), delta.days, max_rows_per_batch);
}

std::vector<FrozenBody> freeze_bodies(const tally::SortedRows& rows,
                                      const std::map<base::Day, tally::DayStats>& days,
                                      size_t max_rows_per_batch) {
  if (max_rows_per_batch == 0)
    throw std::invalid_argument("freeze_bodies: max_rows_per_batch is 0");
  // A body's row count is a u32.
  size_t per_body = std::min<size_t>(max_rows_per_batch, 0xFFFFFFFFu);
  size_t total = rows.size();
  if (total == 0 && days.empty()) return {};
  size_t body_count = total == 0 ? 1 : total / per_body + (total % per_body != 0);

  std::vector<FrozenBody> bodies;
  bodies.reserve(body_count);
  tally::SortedCursor at;
  for (size_t b = 0; b < body_count; ++b) {
    size_t n = std::min(per_body, total - (at.i4 + at.i6));
    bool last = b + 1 == body_count;
    FrozenBody body;
    body.rows = n;
    body.bytes.reserve(8 + n * kMinRowBytes);
    ByteWriter w(body.bytes);
    w.u32(static_cast<uint32_t>(n));
    bool have_min = false;
    // Rows come in key order, so the first row written has the smallest day.
    auto note_day = [&](uint64_t key) {
      if (!have_min) {
        body.min_day = tally::key_day(key);
        have_min = true;
      }
    };
    tally::visit_sorted(
        rows, at, n,
        [&](const tally::SortedV4& r) {
          note_day(r.key);
          put_v4(w, r);
        },
        [&](const tally::SortedV6& r) {
          note_day(r.key);
          put_v6(w, r);
        });
    if (last) {
      put_days(w, days);
      if (!days.empty() && (!have_min || days.begin()->first < body.min_day))
        body.min_day = days.begin()->first;
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
