// Fuzz target: the packet decoder and classifier, as the capture thread
// runs them on every frame a network delivers (common/packet, common/tally).
//
// Input: [link type index][flags][timestamp: 8 bytes LE][frame bytes...]
//   link type index: into kLinkTypes (every supported type and one unknown);
//   flags: bits 0-1 pick the counting rules, bits 2-7 how many bytes more
//   the frame had on the wire than were captured.
// Properties, for any bytes:
// - nothing reads past the captured bytes (ASan: the frame is the input's
//   own tail, so a read past it leaves the allocation);
// - a decoded frame is consistent: malformed iff a reason, an access has
//   addresses, a kind and a port that fits its protocol; "snaplen" only
//   when bytes were cut by the capture;
// - cutting the capture shorter never changes what a frame counts as: every
//   prefix decodes the same or as malformed "snaplen" (docs/counting.md:
//   a packet cut by the snaplen is malformed, never miscounted);
// - the counter accounts for every frame exactly once: per day, packets =
//   accesses + malformed + ignored + non-IP, and a row exists only for an
//   access, with a timestamp inside its day.
#include <cstring>
#include <memory>

#include "common/packet/decoder.h"
#include "common/tally/packet_counter.h"
#include "fuzz/fuzz_support.h"

namespace {

using namespace teiten;
using packet::Decoded;
using packet::Status;

constexpr int kLinkTypes[] = {packet::dlt::null,        packet::dlt::ethernet,
                              packet::dlt::raw,         packet::dlt::raw_openbsd,
                              packet::dlt::raw_linktype, packet::dlt::loop,
                              packet::dlt::linux_sll,   packet::dlt::ipv4,
                              packet::dlt::ipv6,        packet::dlt::linux_sll2,
                              147 /* DLT_USER0: unsupported */};
constexpr size_t kHeader = 10;

base::Prefix prefix(const char* text) {
  return *base::Prefix::parse(text);
}

// The rule sets a sensor can run with: --read without observed addresses,
// observed prefixes with ignored sources and a collector, and the same
// for IPv6 only.
std::shared_ptr<const tally::CountingRules> rules(int which) {
  auto r = std::make_shared<tally::CountingRules>();
  switch (which) {
    case 0:
      r->observe_all = true;
      break;
    case 1:
      r->observed.add(prefix("192.0.2.0/24"));
      r->observed.add(prefix("2001:db8::/32"));
      r->ignore_sources.add(prefix("10.0.0.0/8"));
      r->collector.add(prefix("198.51.100.1"));
      break;
    case 2:
      r->observed.add(prefix("::/0"));
      r->ignore_sources.add(prefix("fe80::/10"));
      break;
    default:
      r->observe_all = true;
      r->ignore_sources.add(prefix("0.0.0.0/1"));
      r->collector.add(prefix("2001:db8::1"));
      break;
  }
  return r;
}

bool same(const Decoded& a, const Decoded& b) {
  if (a.status != b.status || a.reason != b.reason) return false;
  if (a.status == Status::non_ip) return a.link_protocol == b.link_protocol;
  if (a.status == Status::access && (a.proto != b.proto || a.kind != b.kind || a.port != b.port))
    return false;
  if (a.has_addresses != b.has_addresses) return false;
  if (a.status != Status::access && !a.has_addresses) return true;
  if (a.v6 != b.v6) return false;
  return a.v6 ? std::memcmp(a.src6, b.src6, 16) == 0 && std::memcmp(a.dst6, b.dst6, 16) == 0
              : a.src4 == b.src4 && a.dst4 == b.dst4;
}

void check_consistent(const Decoded& d, uint32_t caplen, uint32_t wirelen) {
  if ((d.status == Status::malformed) != (d.reason != packet::Malformed::none))
    fuzz::broken("malformed status and reason disagree");
  if (d.reason == packet::Malformed::snaplen && caplen >= wirelen)
    fuzz::broken("snaplen reported for a frame captured whole");
  if (d.status != Status::access) return;
  if (!d.has_addresses) fuzz::broken("an access without addresses");
  auto kind = static_cast<int>(d.kind);
  if (kind < 1 || kind > 3) fuzz::broken("an access with kind " + std::to_string(kind));
  bool port_is_a_type = d.proto == packet::Proto::icmp || d.proto == packet::Proto::icmpv6 ||
                        d.proto == packet::Proto::ip;
  if (port_is_a_type && d.port > 255) fuzz::broken("an ICMP type or IP protocol above 255");
  if ((d.proto == packet::Proto::icmp && d.v6) || (d.proto == packet::Proto::icmpv6 && !d.v6))
    fuzz::broken("ICMP of the other IP version");
}

void check_prefixes(const packet::Decoder& decoder, const uint8_t* frame, uint32_t caplen,
                    uint32_t wirelen, const Decoded& whole) {
  Decoded cut;
  for (uint32_t k = 0; k < caplen; ++k) {
    // A fresh copy of exactly k bytes, so a read past the cut is caught too.
    auto copy = std::make_unique<uint8_t[]>(k);
    if (k > 0) std::memcpy(copy.get(), frame, k);
    decoder.decode(copy.get(), k, wirelen, cut);
    check_consistent(cut, k, wirelen);
    if (!same(cut, whole) &&
        !(cut.status == Status::malformed && cut.reason == packet::Malformed::snaplen))
      fuzz::broken("the first " + std::to_string(k) + " of " + std::to_string(caplen) +
                   " bytes decode as something else than the whole frame (reason " +
                   std::string(packet::name(cut.reason)) + ")");
  }
}

void check_counter(int link, int which_rules, int64_t ts, const uint8_t* frame, uint32_t caplen,
                   uint32_t wirelen, const Decoded& whole) {
  tally::PacketCounter counter(link, "Asia/Tokyo", rules(which_rules));
  counter.count(ts, frame, caplen, wirelen);
  counter.count(ts, frame, caplen, wirelen);  // the same frame again: one row, two accesses
  if (counter.total_packets() != 2) fuzz::broken("total_packets is not 2 after two frames");
  uint64_t packets = 0, accounted = 0;
  for (const auto& [day, s] : counter.delta().days) {
    uint64_t accesses = s.accesses[1] + s.accesses[2] + s.accesses[3];
    if (s.packets != accesses + s.malformed_total() + s.ignored_total() + s.non_ip_total())
      fuzz::broken("day " + std::to_string(day) + ": packets do not add up to their outcomes");
    if (s.packets > 0 && (s.first_packet != ts || s.last_packet != ts))
      fuzz::broken("first/last packet time is not the frame's");
    packets += s.packets;
    accounted += accesses;
  }
  if (packets != 2) fuzz::broken("the frames were not both counted in day stats");
  size_t rows = counter.delta().rows.rows();
  if (rows > 1) fuzz::broken("one frame made more than one row");
  if (rows == 1 && (whole.status != Status::access || accounted != 2))
    fuzz::broken("a row without two accesses of an access frame");
  for (const auto& row : counter.delta().rows.sorted_rows()) {
    if (row.accesses != 2 || row.first_seen != ts || row.last_seen != ts)
      fuzz::broken("row counts or times are not the frames'");
    if (row.day < 0 || row.day > tally::kMaxDay) fuzz::broken("a row outside the counted days");
    base::DayClock clock("Asia/Tokyo");
    if (ts < clock.day_start(row.day) || ts >= clock.day_end(row.day))
      fuzz::broken("a row's day does not hold its timestamp");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < kHeader) return 0;
  const int link = kLinkTypes[data[0] % std::size(kLinkTypes)];
  const int which_rules = data[1] & 3;
  uint64_t raw_ts = 0;
  for (int i = 0; i < 8; ++i) raw_ts |= uint64_t{data[2 + i]} << (8 * i);
  const auto ts = static_cast<int64_t>(raw_ts);
  const uint8_t* frame = data + kHeader;
  const auto caplen = static_cast<uint32_t>(size - kHeader);
  const uint32_t wirelen = caplen + (data[1] >> 2);

  packet::Decoder decoder(link);
  Decoded whole;
  decoder.decode(frame, caplen, wirelen, whole);
  check_consistent(whole, caplen, wirelen);
  check_prefixes(decoder, frame, caplen, wirelen, whole);
  check_counter(link, which_rules, ts, frame, caplen, wirelen, whole);
  return 0;
}
