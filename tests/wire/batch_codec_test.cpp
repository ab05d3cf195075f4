#include "common/wire/batch_codec.h"

#include <catch2/catch.hpp>

#include "common/wire/limits.h"
#include "support/rows.h"
#include "wire/allocation_counter.h"
#include "wire/raw_body.h"
#include "wire/wire_test_support.h"

using namespace teiten;
using Catch::Matchers::Contains;
using packet::Kind;
using packet::Proto;
using test::hex;
using test::make_row;
using test::raw_body;
using test::RawDay;
using test::RawRow;
using test::unhex;

namespace {

constexpr uint64_t kMaxCount = (uint64_t{1} << 63) - 1;

std::vector<tally::Row> assorted_rows() {
  return {
      make_row(0, Proto::tcp, 0, Kind::probe, "0.0.0.0", 1, 0, 0),
      make_row(19000, Proto::tcp, 445, Kind::probe, "192.0.2.1", 3, 1641600000, 1641600100),
      make_row(19000, Proto::tcp, 445, Kind::probe, "2001:db8::1", 2, 1641600001, 1641600002),
      make_row(19000, Proto::udp, 5060, Kind::backscatter, "::ffff:192.0.2.1", 1, 5, 5),
      make_row(19000, Proto::icmp, 8, Kind::probe, "255.255.255.255", kMaxCount, -7, 9),
      make_row(19001, Proto::icmpv6, 128, Kind::other, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1,
               INT64_MIN, INT64_MAX),
      make_row(tally::kMaxDay, Proto::ip, 47, Kind::other, "10.1.2.3", 99, 4294967295, 4294967295),
  };
}

std::map<base::Day, tally::DayStats> assorted_days() {
  std::map<base::Day, tally::DayStats> days;
  days[19000] = test::full_stats(1);
  days[19001] = tally::DayStats{};  // nothing optional, no counters
  tally::DayStats only_kernel;
  only_kernel.packets = 9;
  only_kernel.kernel_drops = 0;
  only_kernel.first_packet = only_kernel.last_packet = 1641600000;
  days[-3] = only_kernel;  // days before 1970 exist in the stats (malformed timestamps)
  tally::DayStats only_if = test::full_stats(2);
  only_if.kernel_drops.reset();
  only_if.if_drops = kMaxCount;
  days[tally::kMaxDay + 10] = only_if;
  return days;
}

void require_same(const wire::BatchContent& got, const std::vector<tally::Row>& rows,
                  const std::map<base::Day, tally::DayStats>& days) {
  REQUIRE(got.rows.size() == rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    INFO("row " << i);
    CHECK(got.rows[i] == rows[i]);
  }
  REQUIRE(got.days.size() == days.size());
  for (const auto& [day, stats] : days) {
    INFO("day " << day);
    REQUIRE(got.days.count(day) == 1);
    test::require_same_stats(got.days.at(day), stats);
    CHECK(wire::same_carried_stats(got.days.at(day), stats));
  }
}

std::string error_of(std::string_view body) {
  auto d = wire::decode_batch_body(body);
  return d ? std::string("(decoded)") : d.error();
}

// A tally with rows on days 10..12 whose order is known only to sorted_rows.
tally::TallyDelta delta_with_rows(size_t n) {
  tally::TallyDelta d;
  auto pk = tally::pack_proto_kind(Proto::tcp, Kind::probe);
  for (size_t i = 0; i < n; ++i) {
    auto day = static_cast<uint16_t>(10 + i % 3);
    if (i % 4 == 0) {
      uint8_t src[16] = {0x20, 0x01, 0x0d, 0xb8};
      src[15] = static_cast<uint8_t>(i);
      d.rows.add_v6(day, pk, 22, src, static_cast<uint32_t>(1000 + i));
    } else {
      d.rows.add_v4(day, pk, static_cast<uint16_t>(i % 7), static_cast<uint32_t>(0x0A000000 + i),
                    static_cast<uint32_t>(1000 + i));
    }
  }
  return d;
}

std::vector<tally::Row> decode_all(const std::vector<wire::FrozenBody>& bodies,
                                   std::map<base::Day, tally::DayStats>* days = nullptr) {
  std::vector<tally::Row> rows;
  for (const auto& b : bodies) {
    auto c = wire::decode_batch_body(b.bytes);
    REQUIRE(c);
    CHECK(c->rows.size() == b.rows);
    rows.insert(rows.end(), c->rows.begin(), c->rows.end());
    if (days)
      for (auto& [d, s] : c->days) (*days)[d] = s;
  }
  return rows;
}

}  // namespace

TEST_CASE("a batch body has the documented layout, byte for byte", "[wire][batch]") {
  // Written out by hand from docs/wire-protocol.md, not by the encoder.
  std::string want = unhex(
      "00000002"
      "00004a38 01 01bd 01 04 c0000201 0000000000000003 0000000061d8d400 0000000061d8d464"
      "00004a38 02 13c4 01 06 20010db8000000000000000000000001 0000000000000001"
      "  0000000061d8d432 0000000061d8d432"
      "00000001"
      "00004a38 0000000000000005 01 0000000061d8d400 0000000061d8d464 0000000000000000"
      "  0001 000d 6e6f6e5f69702e307830383036 0000000000000002");
  std::vector<tally::Row> rows = {
      make_row(19000, Proto::tcp, 445, Kind::probe, "192.0.2.1", 3, 1641600000, 1641600100),
      make_row(19000, Proto::udp, 5060, Kind::probe, "2001:db8::1", 1, 1641600050, 1641600050)};
  std::map<base::Day, tally::DayStats> days;
  days[19000].packets = 5;
  days[19000].first_packet = 1641600000;
  days[19000].last_packet = 1641600100;
  days[19000].non_ip[0x0806] = 2;
  CHECK(hex(wire::encode_batch_body(rows, days)) == hex(want));
  auto got = wire::decode_batch_body(want);
  REQUIRE(got);
  require_same(*got, rows, days);
}

TEST_CASE("batch bodies round-trip IPv4 and IPv6 rows and days with and without optional fields",
          "[wire][batch]") {
  auto rows = assorted_rows();
  auto days = assorted_days();
  auto got = wire::decode_batch_body(wire::encode_batch_body(rows, days));
  REQUIRE(got);
  require_same(*got, rows, days);
  // accesses is derived from rows and not carried.
  for (const auto& [d, s] : got->days) CHECK(s.accesses == std::array<uint64_t, 4>{});

  auto empty = wire::decode_batch_body(wire::encode_batch_body({}, {}));
  REQUIRE(empty);
  CHECK(empty->rows.empty());
  CHECK(empty->days.empty());
  CHECK(hex(wire::encode_batch_body({}, {})) == "0000000000000000");
}

TEST_CASE("rows in any order decode in body order; only repeats are refused", "[wire][batch]") {
  auto rows = assorted_rows();
  std::reverse(rows.begin(), rows.end());
  auto got = wire::decode_batch_body(wire::encode_batch_body(rows, {}));
  REQUIRE(got);
  CHECK(got->rows == rows);
}

TEST_CASE("the encoder refuses rows and stats the decoder would refuse", "[wire][batch]") {
  auto bad = [](auto mutate) {
    auto r = make_row(19000, Proto::tcp, 445, Kind::probe, "192.0.2.1", 1, 10, 20);
    mutate(r);
    std::vector<tally::Row> rows{r};
    return wire::encode_batch_body(rows, {});
  };
  CHECK_THROWS_AS(bad([](tally::Row& r) { r.accesses = 0; }), std::invalid_argument);
  CHECK_THROWS_AS(bad([](tally::Row& r) { r.first_seen = 30; }), std::invalid_argument);
  CHECK_THROWS_AS(bad([](tally::Row& r) { r.proto = Proto{}; }), std::invalid_argument);
  CHECK_THROWS_AS(bad([](tally::Row& r) { r.kind = Kind{}; }), std::invalid_argument);
  CHECK_THROWS_AS(bad([](tally::Row& r) { r.day = -1; }), std::invalid_argument);
  CHECK_THROWS_AS(bad([](tally::Row& r) { r.src.bytes[4] = 1; }), std::invalid_argument);
  std::map<base::Day, tally::DayStats> days;
  days[1].capture_seconds = -1;
  CHECK_THROWS_AS(wire::encode_batch_body({}, days), std::invalid_argument);
}

TEST_CASE("an empty delta freezes to no body; stats alone to one body without rows",
          "[wire][batch]") {
  CHECK(wire::freeze_bodies(tally::TallyDelta{}, 10).empty());
  tally::TallyDelta d;
  d.days[20] = test::full_stats();
  d.days[18] = tally::DayStats{};
  auto bodies = wire::freeze_bodies(d, 10);
  REQUIRE(bodies.size() == 1);
  CHECK(bodies[0].rows == 0);
  CHECK(bodies[0].min_day == 18);
  std::map<base::Day, tally::DayStats> days;
  CHECK(decode_all(bodies, &days).empty());
  REQUIRE(days.size() == 2);
  test::require_same_stats(days[20], d.days[20]);
  CHECK_THROWS_AS(wire::freeze_bodies(d, 0), std::invalid_argument);
}

TEST_CASE("freezing exactly max rows gives one body; max+1 gives two, stats in the last",
          "[wire][batch]") {
  const size_t max = 12;
  for (size_t n : {max, max + 1, 3 * max, 3 * max + 5}) {
    INFO(n << " rows");
    auto d = delta_with_rows(n);
    d.days[11] = test::full_stats();
    auto bodies = wire::freeze_bodies(d, max);
    REQUIRE(bodies.size() == (n + max - 1) / max);
    for (size_t i = 0; i < bodies.size(); ++i) {
      CHECK(bodies[i].rows == (i + 1 < bodies.size() ? max : n - max * (bodies.size() - 1)));
      auto c = wire::decode_batch_body(bodies[i].bytes);
      REQUIRE(c);
      CHECK(c->days.size() == (i + 1 == bodies.size() ? 1u : 0u));
    }
    std::map<base::Day, tally::DayStats> days;
    CHECK(decode_all(bodies, &days) == d.rows.sorted_rows());
    test::require_same_stats(days.at(11), d.days[11]);
  }
}

TEST_CASE("frozen rows follow Tally::sorted_rows' order, IPv4 before IPv6 in a key",
          "[wire][batch]") {
  tally::TallyDelta d;
  auto pk = tally::pack_proto_kind(Proto::tcp, Kind::probe);
  auto pk_other = tally::pack_proto_kind(Proto::tcp, Kind::other);
  // Same first four bytes as IPv4 1.2.3.4: still after every IPv4 source.
  uint8_t a[16] = {1, 2, 3, 4};
  uint8_t b[16] = {1, 2, 3, 4};
  b[15] = 1;
  uint8_t c[16] = {1, 2, 3, 3, 9};
  for (uint16_t day : {7, 5})
    for (uint8_t k : {pk, pk_other}) {
      d.rows.add_v6(day, k, 80, b, 1);
      d.rows.add_v4(day, k, 80, 0x01020305, 1);
      d.rows.add_v6(day, k, 80, a, 1);
      d.rows.add_v4(day, k, 80, 0x01020304, 1);
      d.rows.add_v6(day, k, 80, c, 1);
      d.rows.add_v4(day, k, 79, 0xFFFFFFFF, 1);
    }
  for (size_t max : {1, 2, 5, 100}) {
    auto bodies = wire::freeze_bodies(d, max);
    CHECK(decode_all(bodies) == d.rows.sorted_rows());
  }
  auto big = delta_with_rows(5000);
  CHECK(decode_all(wire::freeze_bodies(big, 777)) == big.rows.sorted_rows());
}

TEST_CASE("each frozen body's min_day is the smallest day of its rows and stats", "[wire][batch]") {
  auto d = delta_with_rows(9);  // days 10, 11, 12 three times each
  auto bodies = wire::freeze_bodies(d, 3);
  REQUIRE(bodies.size() == 3);
  CHECK(bodies[0].min_day == 10);
  CHECK(bodies[1].min_day == 11);
  CHECK(bodies[2].min_day == 12);
  d.days[4] = tally::DayStats{};
  bodies = wire::freeze_bodies(d, 3);
  CHECK(bodies[2].min_day == 4);
  d.days.clear();
  d.days[30] = tally::DayStats{};
  bodies = wire::freeze_bodies(d, 3);
  CHECK(bodies[2].min_day == 12);
  // Freezing is deterministic: a resend after a restart is the same bytes.
  CHECK(wire::freeze_bodies(d, 3)[1].bytes == bodies[1].bytes);
}

TEST_CASE("row fields out of range are decode errors naming the row", "[wire][batch]") {
  auto row_error = [](auto mutate) {
    RawRow bad;
    mutate(bad);
    return error_of(raw_body({RawRow{}, bad}, {}));
  };
  // The first row is port 445, so the second differs by port to stay distinct.
  CHECK_THAT(row_error([](RawRow& r) { r.port = 1, r.proto = 0; }),
             Contains("batch body: row 1: proto 0 is not 1..5"));
  CHECK_THAT(row_error([](RawRow& r) { r.port = 1, r.proto = 6; }), Contains("proto 6"));
  CHECK_THAT(row_error([](RawRow& r) { r.port = 1, r.kind = 0; }), Contains("row 1: kind 0"));
  CHECK_THAT(row_error([](RawRow& r) { r.port = 1, r.kind = 4; }), Contains("kind 4 is not 1..3"));
  CHECK_THAT(row_error([](RawRow& r) { r.port = 1, r.family = 5; }),
             Contains("family 5 is not 4 or 6"));
  CHECK_THAT(row_error([](RawRow& r) { r.port = 1, r.family = 0; }), Contains("family 0"));
  CHECK_THAT(row_error([](RawRow& r) { r.port = 1, r.accesses = 0; }), Contains("accesses is 0"));
  CHECK_THAT(row_error([](RawRow& r) { r.port = 1, r.accesses = kMaxCount + 1; }),
             Contains("accesses 9223372036854775808 exceeds 2^63-1"));
  CHECK_THAT(row_error([](RawRow& r) { r.port = 1, r.first_seen = 201; }),
             Contains("first_seen 201 is after last_seen 200"));
  CHECK_THAT(row_error([](RawRow& r) { r.port = 1, r.day = -1; }),
             Contains("day -1 is outside 0..65535"));
  CHECK_THAT(row_error([](RawRow& r) { r.port = 1, r.day = 65536; }), Contains("day 65536"));
  // An IPv6 family with only four address bytes runs the row short.
  CHECK_THAT(error_of(raw_body({RawRow{.family = 6}}, {})), Contains("truncated"));
}

TEST_CASE("day fields out of range are decode errors naming the record", "[wire][batch]") {
  auto day_error = [](RawDay d) { return error_of(raw_body({}, {RawDay{.day = 1}, d})); };
  CHECK_THAT(day_error(RawDay{.flags = 8}),
             Contains("batch body: day record 1: flags 8 has unknown bits"));
  CHECK_THAT(day_error(RawDay{.flags = 0x80}), Contains("flags 128 has unknown bits"));
  CHECK_THAT(day_error(RawDay{.flags = 1, .first_packet = 300, .last_packet = 200}),
             Contains("first_packet 300 is after last_packet 200"));
  CHECK_THAT(day_error(RawDay{.capture_seconds = -1}), Contains("capture_seconds -1 is negative"));
  CHECK_THAT(day_error(RawDay{.packets = kMaxCount + 1}), Contains("packets"));
  CHECK_THAT(day_error(RawDay{.flags = 2, .kernel_drops = ~uint64_t{0}}), Contains("kernel_drops"));
  CHECK_THAT(day_error(RawDay{.flags = 4, .if_drops = ~uint64_t{0}}), Contains("if_drops"));
  auto ok = wire::decode_batch_body(raw_body({}, {RawDay{.flags = 7, .kernel_drops = 5}}));
  REQUIRE(ok);
  CHECK(ok->days.at(19000).kernel_drops == 5u);
  CHECK(ok->days.at(19000).if_drops == 0u);
  CHECK(ok->days.at(19000).first_packet == 100);
}

TEST_CASE("counter names must be known, canonical, distinct and non-zero", "[wire][batch]") {
  auto counter_error = [](std::string name, uint64_t value) {
    return error_of(raw_body({}, {RawDay{.counters = {{name, value}}}}));
  };
  CHECK_THAT(counter_error("malformed.gremlins", 1),
             Contains("day record 0: unknown counter name 'malformed.gremlins'"));
  CHECK_THAT(counter_error("packets", 1), Contains("unknown counter name 'packets'"));
  CHECK_THAT(counter_error("non_ip.0x", 1), Contains("unknown counter name"));
  CHECK_THAT(counter_error("non_ip.0x123456789", 1), Contains("unknown counter name"));
  CHECK_THAT(counter_error("non_ip.0x806", 1),
             Contains("'non_ip.0x806' is not written as 'non_ip.0x0806'"));
  CHECK_THAT(counter_error("non_ip.0x0806", 0), Contains("is 0; zero counters are omitted"));
  CHECK_THAT(counter_error("Malformed.snaplen", 1), Contains("counter name has byte 77"));
  CHECK_THAT(error_of(raw_body({}, {RawDay{.counters = {{"", 1}, {"ignored.outgoing", 1}}}})),
             Contains("counter name is 0 bytes, not 1..64"));
  CHECK_THAT(counter_error(std::string(65, 'a'), 1), Contains("counter name is 65 bytes"));
  CHECK_THAT(counter_error("ignored.collector", kMaxCount + 1), Contains("exceeds 2^63-1"));
  CHECK_THAT(error_of(raw_body({}, {RawDay{.counters = {{"malformed.snaplen", 1},
                                                        {"ignored.outgoing", 1},
                                                        {"malformed.snaplen", 2}}}})),
             Contains("counter 'malformed.snaplen' appears twice"));
  auto ok = wire::decode_batch_body(raw_body(
      {}, {RawDay{.counters = {
                      {"ignored.outgoing", 4}, {"non_ip.0x88cc", 2}, {"malformed.snaplen", 1}}}}));
  REQUIRE(ok);
  const auto& s = ok->days.at(19000);
  CHECK(s.ignored[static_cast<size_t>(tally::Ignored::outgoing)] == 4);
  CHECK(s.non_ip.at(0x88cc) == 2);
  CHECK(s.malformed[static_cast<size_t>(packet::Malformed::snaplen)] == 1);
}

TEST_CASE("duplicate rows and duplicate days in one body are refused", "[wire][batch]") {
  CHECK_THAT(error_of(raw_body({RawRow{}, RawRow{.accesses = 5}}, {})),
             Contains("row 0 and row 1 have the same (day, proto, port, kind, src)"));
  // Not adjacent and not sorted: found through the sorting path.
  RawRow other{.port = 1};
  RawRow v6{.family = 6, .src = std::string(16, '\x01')};
  CHECK_THAT(error_of(raw_body({RawRow{}, v6, other, RawRow{.first_seen = 1}}, {})),
             Contains("row 0 and row 3 have the same"));
  // Same four address bytes but another family is another source.
  RawRow v6_same_prefix{.family = 6,
                        .src = std::string("\xc0\x00\x02\x01", 4) + std::string(12, '\0')};
  CHECK(wire::decode_batch_body(raw_body({RawRow{}, v6_same_prefix}, {})));
  CHECK_THAT(error_of(raw_body({}, {RawDay{.day = 5}, RawDay{.day = 6}, RawDay{.day = 5}})),
             Contains("day record 2: day 5 appears twice"));
}

TEST_CASE("counts larger than the bytes left are refused before anything is reserved",
          "[wire][batch]") {
  CHECK_THAT(error_of(raw_body({RawRow{}}, {}, {}, 2)),
             Contains("row_count 2 needs at least 74 bytes"));
  CHECK_THAT(error_of(raw_body({}, {RawDay{}}, {}, -1, 2)), Contains("day_count 2 needs"));
  // counter_count sits after the day's 21 fixed bytes; claim 3 counters, send 1.
  std::string counters = raw_body({}, {RawDay{.counters = {{"ignored.outgoing", 1}}}});
  counters[8 + 21 + 1] = 3;
  CHECK_THAT(error_of(counters), Contains("counter_count 3 needs at least 33 bytes, 26 remain"));
  struct Huge {
    std::string body;
    const char* says;
  };
  std::string huge_counters = raw_body({}, {RawDay{}});
  huge_counters[huge_counters.size() - 2] = '\xff';
  huge_counters[huge_counters.size() - 1] = '\xff';
  huge_counters += std::string(100, '\0');
  for (const Huge& h : {Huge{raw_body({}, {}, std::string(100, '\0'), 0xFFFFFFFF), "row_count"},
                        Huge{raw_body({}, {}, std::string(100, '\0'), 0, 0xFFFFFFFF), "day_count"},
                        Huge{huge_counters, "counter_count 65535"}}) {
    test::AllocationScope scope;
    auto got = wire::decode_batch_body(h.body);
    auto seen = scope.since();
    REQUIRE_FALSE(got);
    CHECK_THAT(got.error(), Contains(h.says));
    CHECK(seen.largest < 512);
  }
}

TEST_CASE("bytes after the last day are refused", "[wire][batch]") {
  CHECK_THAT(error_of(raw_body({RawRow{}}, {RawDay{}}, "x")),
             Contains("1 unexpected bytes after the end of the last day record"));
  CHECK_THAT(error_of(raw_body({}, {}, std::string(7, '\0'))), Contains("7 unexpected bytes"));
}

TEST_CASE("a batch body cut short at any byte is a truncation error", "[wire][batch]") {
  std::string body = wire::encode_batch_body(assorted_rows(), assorted_days());
  for (size_t cut = 0; cut < body.size(); ++cut) {
    auto got = wire::decode_batch_body(std::string_view(body).substr(0, cut));
    INFO("cut at " << cut);
    REQUIRE_FALSE(got);
    // A cut inside a count can make the count itself too large for what is left.
    bool says = got.error().find("truncated") != std::string::npos ||
                got.error().find("needs at least") != std::string::npos;
    CHECK(says);
  }
}
