#include "common/tally/packet_counter.h"

#include <catch2/catch.hpp>

#include "support/frame_builder.h"

using namespace teiten;
using namespace teiten::test;
using tally::Ignored;

namespace {

constexpr uint32_t kObserved = 0xC000020A;  // 192.0.2.10
constexpr uint32_t kOther = 0xC0000263;     // 192.0.2.99
constexpr uint32_t kScanner = 0xC6336407;   // 198.51.100.7
constexpr int64_t kJul9Jst = 1278601200;    // 2010-07-09 00:00:00 JST

std::shared_ptr<tally::CountingRules> rules() {
  auto r = std::make_shared<tally::CountingRules>();
  r->observed.add(*base::Prefix::parse("192.0.2.10"));
  r->observed.add(*base::Prefix::parse("2001:db8::10"));
  r->ignore_sources.add(*base::Prefix::parse("10.0.0.0/8"));
  r->collector.add(*base::Prefix::parse("203.0.113.5"));
  return r;
}

void feed(tally::PacketCounter& c, int64_t ts, const Bytes& frame) {
  c.count(ts, frame.data(), static_cast<uint32_t>(frame.size()),
          static_cast<uint32_t>(frame.size()));
}

Bytes syn(uint32_t src, uint32_t dst, uint16_t port) {
  return ether(0x0800, ipv4(src, dst, 6, tcp(40000, port, SYN)));
}

}  // namespace

TEST_CASE("a source counts once per day, port type and kind; accesses count every packet",
          "[tally]") {
  tally::PacketCounter c(packet::dlt::ethernet, "Asia/Tokyo", rules());
  feed(c, kJul9Jst - 1, syn(kScanner, kObserved, 445));  // 8 July, 23:59:59
  feed(c, kJul9Jst, syn(kScanner, kObserved, 445));      // 9 July
  feed(c, kJul9Jst + 5, syn(kScanner, kObserved, 445));
  feed(c, kJul9Jst + 9, syn(kScanner, kObserved, 139));
  feed(c, kJul9Jst + 9, ether(0x0800, ipv4(kScanner, kObserved, 1, icmp(8))));
  auto rows = c.delta().rows.sorted_rows();
  REQUIRE(rows.size() == 4);
  CHECK(base::format_day(rows[0].day) == "2010-07-08");
  CHECK(rows[0].accesses == 1);
  CHECK(base::format_day(rows[1].day) == "2010-07-09");
  CHECK(rows[1].port == 139);
  CHECK(rows[2].port == 445);
  CHECK(rows[2].accesses == 2);
  CHECK(rows[2].first_seen == kJul9Jst);
  CHECK(rows[2].last_seen == kJul9Jst + 5);
  CHECK(rows[3].proto == packet::Proto::icmp);
  CHECK(rows[3].src.to_string() == "198.51.100.7");
}

TEST_CASE("every packet lands in exactly one category", "[tally]") {
  tally::PacketCounter c(packet::dlt::ethernet, "UTC", rules());
  feed(c, 100, syn(kScanner, kObserved, 445));   // counted
  feed(c, 100, syn(kScanner, kOther, 445));      // not observed
  feed(c, 100, syn(kObserved, kObserved, 445));  // own source
  feed(c, 100, ether(0x0800, ipv4(kObserved, kScanner, 6, tcp(445, 1, SYN | ACK))));  // own reply
  feed(c, 100, syn(0x0A000001, kObserved, 22));    // ignored source
  feed(c, 100, syn(0xCB007105, kObserved, 7450));  // collector
  feed(c, 100, ether(0x0806, Bytes(28)));          // non-IP
  Bytes cut = syn(kScanner, kObserved, 445);
  cut.resize(14 + 20 + 10);
  feed(c, 100, cut);  // malformed
  Bytes cut_other = syn(kScanner, kOther, 445);
  cut_other.resize(14 + 20 + 10);
  feed(c, 100, cut_other);  // not ours: ignored
  Bytes bad_version = syn(kScanner, kObserved, 445);
  bad_version[14] = 0x75;
  feed(c, 100, bad_version);  // malformed

  const auto& s = c.delta().days.at(0);
  CHECK(s.packets == 10);
  CHECK(s.accesses[1] == 1);
  CHECK(s.ignored[static_cast<size_t>(Ignored::not_observed)] == 2);
  CHECK(s.ignored[static_cast<size_t>(Ignored::own_source)] == 2);
  CHECK(s.ignored[static_cast<size_t>(Ignored::ignored_source)] == 1);
  CHECK(s.ignored[static_cast<size_t>(Ignored::collector)] == 1);
  CHECK(s.non_ip.at(0x0806) == 1);
  CHECK(s.malformed[static_cast<size_t>(packet::Malformed::ip_length_exceeds_frame)] == 1);
  CHECK(s.malformed[static_cast<size_t>(packet::Malformed::ip_version)] == 1);
  CHECK(s.packets == s.accesses[1] + s.accesses[2] + s.accesses[3] + s.ignored_total() +
                         s.non_ip_total() + s.malformed_total());
  CHECK(c.delta().rows.rows() == 1);
}

TEST_CASE("observing everything counts every destination and no source is our own", "[tally]") {
  auto r = std::make_shared<tally::CountingRules>();
  r->observe_all = true;
  tally::PacketCounter c(packet::dlt::ethernet, "UTC", r);
  feed(c, 100, syn(kScanner, kObserved, 445));
  feed(c, 100, syn(kObserved, kScanner, 445));
  CHECK(c.delta().rows.rows() == 2);
}

TEST_CASE("a live sensor without addresses counts nothing until rules change", "[tally]") {
  tally::PacketCounter c(packet::dlt::ethernet, "UTC", std::make_shared<tally::CountingRules>());
  feed(c, 100, syn(kScanner, kObserved, 445));
  CHECK(c.delta().rows.rows() == 0);
  c.set_rules(rules());
  feed(c, 100, syn(kScanner, kObserved, 445));
  CHECK(c.delta().rows.rows() == 1);
}

TEST_CASE("IPv6 sources are rows of their own", "[tally]") {
  tally::PacketCounter c(packet::dlt::ethernet, "UTC", rules());
  Bytes s6 = ip6({0x2001, 0xdb8, 0xffff, 0, 0, 0, 0, 7}),
        d6 = ip6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x10});
  feed(c, 100, ether(0x86DD, ipv6(s6, d6, 58, icmp(128))));
  feed(c, 101, ether(0x86DD, ipv6(s6, d6, 58, icmp(128))));
  auto rows = c.delta().rows.sorted_rows();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].src.to_string() == "2001:db8:ffff::7");
  CHECK(rows[0].accesses == 2);
  CHECK(rows[0].proto == packet::Proto::icmpv6);
}

TEST_CASE("take() hands over everything and starts empty", "[tally]") {
  tally::PacketCounter c(packet::dlt::ethernet, "UTC", rules());
  feed(c, 100, syn(kScanner, kObserved, 445));
  auto d = c.take();
  CHECK(d.rows.rows() == 1);
  CHECK(d.days.at(0).packets == 1);
  CHECK(c.delta().empty());
  feed(c, 86400 * 3, syn(kScanner, kObserved, 445));
  CHECK(c.delta().days.count(3) == 1);
}

TEST_CASE("timestamps beyond the representable days are malformed, not misfiled", "[tally]") {
  tally::PacketCounter c(packet::dlt::ethernet, "America/New_York", rules());
  feed(c, 0, syn(kScanner, kObserved, 445));  // 1969-12-31 in New York
  const auto& s = c.delta().days.at(-1);
  CHECK(s.malformed[static_cast<size_t>(packet::Malformed::timestamp)] == 1);
  CHECK(c.delta().rows.rows() == 0);
}

TEST_CASE("take_before hands over the finished day and keeps counting the new one", "[tally]") {
  tally::PacketCounter c(packet::dlt::ethernet, "Asia/Tokyo", rules());
  feed(c, kJul9Jst - 1, syn(kScanner, kObserved, 445));  // 8 July
  feed(c, kJul9Jst, syn(kScanner, kObserved, 445));      // 9 July
  auto day9 = c.newest_day();
  auto finished = c.take_before(day9);
  auto done = finished.rows.sorted_rows();
  REQUIRE(done.size() == 1);
  CHECK(base::format_day(done[0].day) == "2010-07-08");
  CHECK(finished.days.count(day9) == 0);
  feed(c, kJul9Jst + 1, syn(kScanner, kObserved, 445));
  auto kept = c.take().rows.sorted_rows();
  REQUIRE(kept.size() == 1);
  CHECK(base::format_day(kept[0].day) == "2010-07-09");
  CHECK(kept[0].accesses == 2);
  CHECK(kept[0].first_seen == kJul9Jst);
}
