#include "common/tally/tally.h"

#include <catch2/catch.hpp>

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
