#include "common/tally/tally.h"

#include <catch2/catch.hpp>

#include "common/tally/tally_delta.h"

using namespace teiten;

TEST_CASE("merging tallies adds accesses and widens first and last seen", "[tally]") {
  tally::Tally a, b;
  auto pk = tally::pack_proto_kind(packet::Proto::tcp, packet::Kind::probe);
  a.add_v4(10, pk, 445, 0x01020304, 1000);
  a.add_v4(10, pk, 445, 0x01020304, 1010);
  b.add_v4(10, pk, 445, 0x01020304, 990);
  b.add_v4(10, pk, 139, 0x01020304, 995);
  a.merge(b);
  auto rows = a.sorted_rows();
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].port == 445);
  CHECK(rows[1].accesses == 3);
  CHECK(rows[1].first_seen == 990);
  CHECK(rows[1].last_seen == 1010);
}

TEST_CASE("a million distinct rows stay exact and within the memory budget", "[tally]") {
  tally::Tally t;
  auto pk = tally::pack_proto_kind(packet::Proto::udp, packet::Kind::probe);
  for (uint32_t i = 0; i < 1'000'000; ++i) t.add_v4(static_cast<uint16_t>(i % 2), pk, 53, i / 2, i);
  for (uint32_t i = 0; i < 1'000'000; ++i) t.add_v4(static_cast<uint16_t>(i % 2), pk, 53, i / 2, i);
  CHECK(t.rows() == 1'000'000);
  // 24-byte slots plus a control byte, at the table's worst load after growth.
  CHECK(t.memory_bytes() <= 1'000'000 * 25 * 7 / 3);
  uint64_t total = 0;
  for (const auto& [k, c] : t.v4()) total += c.accesses;
  CHECK(total == 2'000'000);
}

TEST_CASE("slots are the compact sizes the memory target assumes", "[tally]") {
  CHECK(sizeof(std::pair<const tally::Key4, tally::Counts>) == 24);
  CHECK(sizeof(std::pair<const tally::Key6, tally::Counts>) <= 36);
}

TEST_CASE("sorted rows put IPv4 sources before IPv6 ones within a key, as SQLite stores them",
          "[tally]") {
  tally::Tally t;
  auto pk = tally::pack_proto_kind(packet::Proto::tcp, packet::Kind::probe);
  uint8_t low6[16] = {0, 0, 0, 1};  // bytes below every IPv4 source below
  t.add_v6(3, pk, 445, low6, 1);
  t.add_v4(3, pk, 445, 0xC0000201, 1);
  t.add_v4(3, pk, 445, 0x01020304, 1);
  t.add_v4(3, pk, 446, 0x00000001, 1);
  auto rows = t.sorted_rows();
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].src.to_string() == "1.2.3.4");
  CHECK(rows[1].src.to_string() == "192.0.2.1");
  CHECK(rows[2].src.to_string() == "0:1::");
  CHECK(rows[3].port == 446);
}

TEST_CASE("splitting a delta at a day moves that day's and later rows and stats", "[tally]") {
  tally::TallyDelta d;
  auto pk = tally::pack_proto_kind(packet::Proto::udp, packet::Kind::probe);
  uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8};
  for (uint16_t day : {4, 5, 6}) {
    d.rows.add_v4(day, pk, 53, 0x0A000001, 100 + day);
    d.rows.add_v6(day, pk, 53, v6, 100 + day);
    d.days[day].packets = day;
  }
  auto later = d.split_from(5);
  CHECK(d.rows.rows() == 2);
  CHECK(later.rows.rows() == 4);
  for (const auto& r : d.rows.sorted_rows()) CHECK(r.day == 4);
  for (const auto& r : later.rows.sorted_rows()) CHECK(r.day >= 5);
  REQUIRE(d.days.size() == 1);
  CHECK(d.days.count(4) == 1);
  REQUIRE(later.days.size() == 2);
  CHECK(later.days.at(6).packets == 6);
  CHECK(d.split_from(9).empty());
}
