// Decoding half of the batch codec. Every count is weighed against the bytes
// left before a vector is reserved, so a lying count costs nothing; every
// error is prefixed with the record it was found in.
#include <algorithm>
#include <charconv>
#include <numeric>
#include <set>

#include "common/wire/batch_codec.h"
#include "common/wire/limits.h"
#include "common/wire/payload_reader.h"
#include "common/wire/text_rules.h"

namespace teiten::wire {
namespace {

constexpr std::string_view kNonIpPrefix = "non_ip.0x";

DecodeError body_error(const std::string& where, PayloadReader& in) {
  return DecodeError{"batch body: " + where + in.error()};
}

// A count is plausible only if that many records of the smallest size fit in
// what is left; written as a division so it cannot overflow.
bool count_fits(PayloadReader& in, uint64_t count, size_t min_record, std::string_view field) {
  if (count <= in.remaining() / min_record) return true;
  return in.fail(std::string(field) + " " + std::to_string(count) + " needs at least " +
                 std::to_string(count * min_record) + " bytes, " + std::to_string(in.remaining()) +
                 " remain");
}

bool read_row(PayloadReader& in, tally::Row& r) {
  uint8_t proto = 0, kind = 0, family = 0;
  uint8_t src[16] = {};
  if (!in.i32(r.day, "day")) return false;
  if (r.day < 0 || r.day > tally::kMaxDay)
    return in.fail("day " + std::to_string(r.day) + " is outside 0.." +
                   std::to_string(tally::kMaxDay));
  if (!in.u8(proto, "proto")) return false;
  if (proto < 1 || proto > 5) return in.fail("proto " + std::to_string(proto) + " is not 1..5");
  if (!in.u16(r.port, "port") || !in.u8(kind, "kind")) return false;
  if (kind < 1 || kind > 3) return in.fail("kind " + std::to_string(kind) + " is not 1..3");
  if (!in.u8(family, "family")) return false;
  if (family != 4 && family != 6)
    return in.fail("family " + std::to_string(family) + " is not 4 or 6");
  auto fam = static_cast<base::Family>(family);
  if (!in.bytes(src, family == 4 ? 4 : 16, "src")) return false;
  if (!in.count(r.accesses, "accesses")) return false;
  if (r.accesses == 0) return in.fail("accesses is 0; a row exists because a packet came");
  if (!in.i64(r.first_seen, "first_seen") || !in.i64(r.last_seen, "last_seen")) return false;
  if (r.first_seen > r.last_seen)
    return in.fail("first_seen " + std::to_string(r.first_seen) + " is after last_seen " +
                   std::to_string(r.last_seen));
  r.proto = static_cast<packet::Proto>(proto);
  r.kind = static_cast<packet::Kind>(kind);
  r.src = base::IpAddress::from_bytes(fam, src);
  return true;
}

// Rows from freeze_bodies arrive sorted, so one pass usually proves them
// distinct; any other order is sorted by index to find a repeated key.
bool check_distinct_rows(PayloadReader& in, const std::vector<tally::Row>& rows) {
  auto report = [&in](size_t a, size_t b) {
    return in.fail("row " + std::to_string(a) + " and row " + std::to_string(b) +
                   " have the same (day, proto, port, kind, src)");
  };
  bool ascending = true;
  for (size_t i = 1; i < rows.size() && ascending; ++i) {
    if (rows[i - 1].key() == rows[i].key()) return report(i - 1, i);
    ascending = rows[i - 1].key() < rows[i].key();
  }
  if (ascending) return true;
  std::vector<size_t> order(rows.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&rows](size_t a, size_t b) {
    return rows[a].key() < rows[b].key() || (rows[a].key() == rows[b].key() && a < b);
  });
  for (size_t i = 1; i < order.size(); ++i)
    if (rows[order[i - 1]].key() == rows[order[i]].key()) return report(order[i - 1], order[i]);
  return true;
}

// add_named_counter accepts any hex spelling of a non-IP type; only the one
// named_counters writes is accepted, so each counter has a single name and
// "distinct names" means "distinct counters".
bool canonical_counter(PayloadReader& in, std::string_view name) {
  if (name.substr(0, kNonIpPrefix.size()) != kNonIpPrefix) return true;
  auto hex = name.substr(kNonIpPrefix.size());
  uint32_t type = 0;
  auto [end, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), type, 16);
  if (ec != std::errc() || end != hex.data() + hex.size() || hex.empty())
    return in.fail("unknown counter name '" + std::string(name) + "'");
  std::string canonical = tally::non_ip_counter_name(type);
  if (name == canonical) return true;
  return in.fail("counter name '" + std::string(name) + "' is not written as '" + canonical + "'");
}

bool read_counters(PayloadReader& in, tally::DayStats& s) {
  uint16_t count = 0;
  if (!in.u16(count, "counter_count") || !count_fits(in, count, kMinCounterBytes, "counter_count"))
    return false;
  std::set<std::string_view> seen;
  for (uint16_t i = 0; i < count; ++i) {
    std::string_view name;
    uint64_t value = 0;
    if (!read_text(in, kCounterNameRule, name) || !in.count(value, "counter value")) return false;
    if (value == 0)
      return in.fail("counter '" + std::string(name) + "' is 0; zero counters are omitted");
    if (!seen.insert(name).second)
      return in.fail("counter '" + std::string(name) + "' appears twice");
    if (!canonical_counter(in, name)) return false;
    if (!tally::add_named_counter(s, name, value))
      return in.fail("unknown counter name '" + std::string(name) + "'");
  }
  return true;
}

bool read_day(PayloadReader& in, base::Day& day, tally::DayStats& s) {
  uint8_t flags = 0;
  if (!in.i32(day, "day") || !in.count(s.packets, "packets") || !in.u8(flags, "flags"))
    return false;
  if (flags & ~kDayFlagsMask)
    return in.fail("flags " + std::to_string(flags) + " has unknown bits");
  if (flags & kDayHasPackets) {
    if (!in.i64(s.first_packet, "first_packet") || !in.i64(s.last_packet, "last_packet"))
      return false;
    if (s.first_packet > s.last_packet)
      return in.fail("first_packet " + std::to_string(s.first_packet) + " is after last_packet " +
                     std::to_string(s.last_packet));
  }
  if (!in.i64(s.capture_seconds, "capture_seconds")) return false;
  if (s.capture_seconds < 0)
    return in.fail("capture_seconds " + std::to_string(s.capture_seconds) + " is negative");
  if (flags & kDayHasKernelDrops) {
    uint64_t v = 0;
    if (!in.count(v, "kernel_drops")) return false;
    s.kernel_drops = v;
  }
  if (flags & kDayHasIfDrops) {
    uint64_t v = 0;
    if (!in.count(v, "if_drops")) return false;
    s.if_drops = v;
  }
  return read_counters(in, s);
}

}  // namespace

Decoded<BatchContent> decode_batch_body(std::string_view body) {
  PayloadReader in(body);
  BatchContent out;

  uint32_t row_count = 0;
  if (!in.u32(row_count, "row_count") || !count_fits(in, row_count, kMinRowBytes, "row_count"))
    return body_error("", in);
  out.rows.resize(row_count);
  for (uint32_t i = 0; i < row_count; ++i)
    if (!read_row(in, out.rows[i])) return body_error("row " + std::to_string(i) + ": ", in);
  if (!check_distinct_rows(in, out.rows)) return body_error("", in);

  uint32_t day_count = 0;
  if (!in.u32(day_count, "day_count") || !count_fits(in, day_count, kMinDayBytes, "day_count"))
    return body_error("", in);
  for (uint32_t i = 0; i < day_count; ++i) {
    base::Day day = 0;
    tally::DayStats stats;
    if (!read_day(in, day, stats)) return body_error("day record " + std::to_string(i) + ": ", in);
    if (!out.days.emplace(day, std::move(stats)).second) {
      in.fail("day " + std::to_string(day) + " appears twice");
      return body_error("day record " + std::to_string(i) + ": ", in);
    }
  }
  if (!in.expect_end("the last day record")) return body_error("", in);
  return out;
}

}  // namespace teiten::wire
