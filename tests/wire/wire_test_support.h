// Test helpers for the wire tests: hex text <-> bytes, stats with every
// field set, and a field-by-field stats comparison that names what differs
// (the round-trip oracle). Rows are built with support/rows.h.
#pragma once

#include <catch2/catch.hpp>
#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/tally/day_stats.h"

namespace teiten::test {

/// Bytes from hex text; spaces, newlines and '|' are ignored.
inline std::string unhex(std::string_view text) {
  std::string out;
  int nibble = -1;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '|') continue;
    int v = std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : std::tolower(c) - 'a' + 10;
    if (nibble < 0) {
      nibble = v;
    } else {
      out.push_back(static_cast<char>(nibble * 16 + v));
      nibble = -1;
    }
  }
  return out;
}

inline std::string hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

/// Stats with every carried field set, including both drops and a non-IP type.
inline tally::DayStats full_stats(uint64_t seed = 1) {
  tally::DayStats s;
  s.packets = 1000 + seed;
  s.first_packet = 1'700'000'000 + static_cast<int64_t>(seed);
  s.last_packet = s.first_packet + 86'000;
  s.capture_seconds = 86'399;
  s.kernel_drops = 7 + seed;
  s.if_drops = 0;  // present but zero is not the same as absent
  s.malformed[static_cast<size_t>(packet::Malformed::snaplen)] = 3;
  s.malformed[static_cast<size_t>(packet::Malformed::icmpv6_truncated)] = 1;
  s.ignored[static_cast<size_t>(tally::Ignored::not_observed)] = 40;
  s.ignored[static_cast<size_t>(tally::Ignored::collector)] = 2;
  s.non_ip[0x0806] = 12;
  s.non_ip[0x88cc] = 1;
  return s;
}

/// Every field the body carries, compared one by one (accesses is derived
/// from the rows and not carried).
inline void require_same_stats(const tally::DayStats& got, const tally::DayStats& want) {
  CHECK(got.packets == want.packets);
  CHECK(got.has_packets() == want.has_packets());
  if (want.has_packets()) {
    CHECK(got.first_packet == want.first_packet);
    CHECK(got.last_packet == want.last_packet);
  }
  CHECK(got.capture_seconds == want.capture_seconds);
  CHECK(got.kernel_drops == want.kernel_drops);
  CHECK(got.if_drops == want.if_drops);
  CHECK(got.malformed == want.malformed);
  CHECK(got.ignored == want.ignored);
  CHECK(got.non_ip == want.non_ip);
}

}  // namespace teiten::test
