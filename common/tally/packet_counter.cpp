#include "common/tally/packet_counter.h"

namespace teiten::tally {

using packet::Status;

PacketCounter::PacketCounter(int link_type, const std::string& zone,
                             std::shared_ptr<const CountingRules> rules)
    : decoder_(link_type), clock_(zone), rules_(std::move(rules)) {}

DayStats& PacketCounter::day_stats(base::Day day) {
  return stats_for(day);
}

TallyDelta PacketCounter::take() {
  TallyDelta out = std::move(delta_);
  delta_ = TallyDelta{};
  // The next interval is likely as busy as this one: size for it once it
  // starts (not now, while the store thread still holds this one).
  reserve4_ = out.rows.v4().size();
  reserve6_ = out.rows.v6().size();
  cached_stats_ = nullptr;
  return out;
}

TallyDelta PacketCounter::take_before(base::Day day) {
  TallyDelta out = take();
  delta_ = out.split_from(day);
  return out;
}

bool PacketCounter::ignored(const packet::Decoded& d, DayStats& stats) const {
  const CountingRules& r = *rules_;
  // The sensor's own packets are named as such before "not to us" applies.
  auto drop = [&stats](Ignored why) {
    ++stats.ignored[static_cast<size_t>(why)];
    return true;
  };
  if (d.v6) {
    if (!r.observe_all) {
      if (r.observed.contains_v6(d.src6)) return drop(Ignored::own_source);
      if (!r.observed.contains_v6(d.dst6)) return drop(Ignored::not_observed);
    }
    if (r.ignore_sources.contains_v6(d.src6)) return drop(Ignored::ignored_source);
    if (r.collector.contains_v6(d.src6) || r.collector.contains_v6(d.dst6))
      return drop(Ignored::collector);
  } else {
    if (!r.observe_all) {
      if (r.observed.contains_v4(d.src4)) return drop(Ignored::own_source);
      if (!r.observed.contains_v4(d.dst4)) return drop(Ignored::not_observed);
    }
    if (r.ignore_sources.contains_v4(d.src4)) return drop(Ignored::ignored_source);
    if (r.collector.contains_v4(d.src4) || r.collector.contains_v4(d.dst4))
      return drop(Ignored::collector);
  }
  return false;
}

bool PacketCounter::classify(int64_t ts, const uint8_t* data, uint32_t caplen, uint32_t wirelen,
                             CountedAccess& out) {
  ++total_packets_;
  base::Day day = clock_.day_of(ts);
  if (day > newest_day_) newest_day_ = day;
  DayStats& stats = stats_for(day);
  ++stats.packets;
  if (ts < stats.first_packet) stats.first_packet = ts;
  if (ts > stats.last_packet) stats.last_packet = ts;

  packet::Decoded& d = decoded_;
  decoder_.decode(data, caplen, wirelen, d);
  switch (d.status) {
    case Status::outgoing:
      ++stats.ignored[static_cast<size_t>(Ignored::outgoing)];
      return false;
    case Status::non_ip:
      ++stats.non_ip[d.link_protocol];
      return false;
    case Status::malformed:
      // A packet to someone else is not ours to call malformed.
      if (d.has_addresses && ignored(d, stats)) return false;
      ++stats.malformed[static_cast<size_t>(d.reason)];
      return false;
    case Status::access:
      break;
  }
  if (ignored(d, stats)) return false;
  if (day < 0 || day > kMaxDay || ts < 0 || ts > UINT32_MAX) {
    ++stats.malformed[static_cast<size_t>(packet::Malformed::timestamp)];
    return false;
  }
  ++stats.accesses[static_cast<size_t>(d.kind)];
  out.day = static_cast<uint16_t>(day);
  out.proto_kind = pack_proto_kind(d.proto, d.kind);
  out.v6 = d.v6;
  out.port = d.port;
  out.ts = static_cast<uint32_t>(ts);
  out.src4 = d.src4;
  out.src6 = d.src6;
  return true;
}

}  // namespace teiten::tally
