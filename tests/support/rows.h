// Test helper: tally rows for the store, wire and report tests. make_row
// sets every field; the shorthands fill in what a test does not care about,
// so one definition serves every test that builds the same kind of row.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/tally/row.h"

namespace teiten::test {

/// A row with every field given; src is an address in text form.
inline tally::Row make_row(base::Day day, packet::Proto proto, uint16_t port, packet::Kind kind,
                           std::string_view src, uint64_t accesses, int64_t first, int64_t last) {
  tally::Row r;
  r.day = day;
  r.proto = proto;
  r.port = port;
  r.kind = kind;
  r.src = *base::IpAddress::parse(src);
  r.accesses = accesses;
  r.first_seen = first;
  r.last_seen = last;
  return r;
}

/// A TCP probe of `day` from the IPv4 address src, first and last seen at t.
inline tally::Row tcp_probe_row(base::Day day, uint16_t port, uint32_t src, uint64_t accesses,
                                int64_t t) {
  tally::Row r;
  r.day = day;
  r.proto = packet::Proto::tcp;
  r.kind = packet::Kind::probe;
  r.port = port;
  r.src = base::IpAddress::v4(src);
  r.accesses = accesses;
  r.first_seen = r.last_seen = t;
  return r;
}

/// The same on 2010-07-09 (day 14799).
inline tally::Row tcp_probe_row(uint16_t port, uint32_t src, uint64_t accesses, int64_t t) {
  return tcp_probe_row(14799, port, src, accesses, t);
}

/// A row of `day`, first and last seen ten seconds after its UTC midnight.
inline tally::Row day_row(base::Day day, packet::Proto proto, uint16_t port, packet::Kind kind,
                          const std::string& src, uint64_t accesses) {
  int64_t t = int64_t{day} * 86400 + 10;
  return make_row(day, proto, port, kind, src, accesses, t, t);
}

}  // namespace teiten::test
