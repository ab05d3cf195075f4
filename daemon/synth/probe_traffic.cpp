#include "daemon/synth/probe_traffic.h"

#include <algorithm>
#include <cmath>

namespace teiten::synth {
namespace {

// Windows retransmits an unanswered SYN after 3 s, then 6 s more.
constexpr Micros kRetransmit[] = {0, 3 * kSecond, 9 * kSecond};
constexpr size_t kEdgePort = 0;  // the profile's first port type marks midnights

bool contains(const std::vector<base::IpAddress>& v, const base::IpAddress& a) {
  return std::find(v.begin(), v.end(), a) != v.end();
}

}  // namespace

void ProbeTraffic::day(uint32_t day, Micros from, Micros to) {
  const size_t sensor = out_.index();
  std::optional<base::IpAddress> next_carry;
  for (size_t p = 0; p < plan_.ports; ++p) {
    const size_t cell = plan_.cell(p, sensor, day);
    const uint32_t count = plan_.sources[cell];
    if (count == 0) continue;
    const bool edge = p == kEdgePort;
    const auto sources = pick_sources(p, count, edge ? carry_ : std::nullopt);
    const auto accesses = split_accesses(count, plan_.extras[cell]);
    for (uint32_t i = 0; i < count; ++i) {
      Placement placement = Placement::rhythm;
      if (edge && i == 0) placement = Placement::first_second;
      if (edge && i == 1) placement = Placement::last_second, next_carry = sources[i];
      contact(profile_.ports[p], sources[i], accesses[i], placement, from, to);
    }
  }
  carry_ = next_carry;
}

std::vector<base::IpAddress> ProbeTraffic::pick_sources(
    size_t p, uint32_t count, const std::optional<base::IpAddress>& carry) {
  const ProfilePort& port = profile_.ports[p];
  const ProfileSensor& sensor = out_.sensor();
  std::vector<base::IpAddress> chosen;
  chosen.reserve(count);
  if (carry) chosen.push_back(*carry);
  for (const auto& regular : sources_.regulars(out_.index(), p))
    if (chosen.size() < count && rng_.chance(0.9) && !contains(chosen, regular))
      chosen.push_back(regular);
  const auto& pool = sources_.pool(p);
  const bool dual = port.type.proto != Proto::icmp && port.type.proto != Proto::icmpv6 &&
                    sensor.address && sensor.address6;
  for (int misses = 0; chosen.size() < count;) {
    auto family = FleetSources::family_for(port, sensor);
    if (dual && rng_.chance(profile_.ipv6_share)) family = base::Family::v6;
    base::IpAddress src;
    // A small pool runs out of members a cell has not seen: then fresh ones.
    if (misses < 16 && !pool.empty() && pool.front().family == family &&
        rng_.chance(port.repeat))
      src = pool[rng_.below(pool.size())];
    else
      src = sources_.draw(port.population, family, rng_);
    if (contains(chosen, src)) {
      ++misses;
      continue;
    }
    chosen.push_back(src);
  }
  return chosen;
}

std::vector<uint32_t> ProbeTraffic::split_accesses(uint32_t sources, uint32_t extras) {
  std::vector<uint32_t> n(sources, 1);
  if (extras == 0) return n;
  // Retries have a long tail: most sources try a few times, some many.
  const double mean = static_cast<double>(extras) / sources;
  uint64_t sum = 0;
  for (auto& v : n) sum += (v += rng_.geometric(mean)) - 1;
  for (; sum < extras; ++sum) ++n[rng_.below(sources)];
  while (sum > extras) {
    auto& v = n[rng_.below(sources)];
    if (v > 1) --v, --sum;
  }
  return n;
}

void ProbeTraffic::packets(const ProfilePort& port, const base::IpAddress& src, uint32_t accesses,
                           std::vector<PacketSpec>& specs, std::vector<Micros>& offsets) {
  const base::IpAddress& dst = out_.address(src.family);
  PacketSpec s = out_.spec(0, src, dst, rng_);
  s.payload = port.payload;
  s.payload_length = port.payload_length;
  s.dest_options = !src.is_v4() && rng_.chance(0.3);
  auto emit = [&](Micros at, const PacketSpec& spec) {
    specs.push_back(spec);
    offsets.push_back(at);
  };
  auto next_gap = [&] {
    return std::max<Micros>(kSecond / 5, static_cast<Micros>(rng_.exponential(port.gap) * kSecond));
  };
  Micros t = 0;
  switch (port.type.proto) {
    case Proto::tcp: {
      s.transport = Transport::tcp;
      s.dport = port.type.port;
      s.sport = ephemeral_port(rng_);
      s.tcp_options = rng_.chance(0.7);
      // ECE|CWR on the SYN (ECN setup) leaves it a probe.
      s.tcp_flags = static_cast<uint8_t>(
          tcp_flag::syn | (rng_.chance(0.05) ? tcp_flag::ece | tcp_flag::cwr : 0));
      for (uint32_t left = accesses; left > 0;) {
        const auto sends =
            std::min<uint64_t>(left, 1 + rng_.below(uint64_t{port.retransmits} + 1));
        for (uint64_t k = 0; k < sends; ++k)
          emit(t + kRetransmit[k] + static_cast<Micros>(k ? rng_.below(20'000) : 0), s);
        left -= static_cast<uint32_t>(sends);
        s.sport = static_cast<uint16_t>(s.sport >= 60999 ? 1025 : s.sport + 1);
        t += next_gap();
      }
      break;
    }
    case Proto::udp:
      s.transport = Transport::udp;
      s.dport = port.type.port;
      s.sport = port.payload == Payload::sip_options ? 5060 : ephemeral_port(rng_);
      for (uint32_t k = 0; k < accesses; ++k, t += next_gap()) {
        if (port.payload == Payload::random && port.payload_length == 0)
          s.payload_length = static_cast<uint16_t>(rng_.between(8, 48));
        if (!port.fragmented) {
          emit(t, s);
          continue;
        }
        // Too big for one packet (IKE with certificates): the first fragment
        // is the access, the second (offset 1480) is "other" traffic.
        PacketSpec first = s, second = s;
        first.more_fragments = true;
        first.ip_id = second.ip_id = static_cast<uint16_t>(rng_.next());
        second.fragment_offset = 185;
        second.payload = Payload::random;
        second.payload_length = 64;
        emit(t, first);
        emit(t + 40, second);
      }
      break;
    default:  // ICMP or ICMPv6 requests
      s.transport = port.type.proto == Proto::icmp ? Transport::icmp : Transport::icmpv6;
      s.icmp_type = static_cast<uint8_t>(port.type.port);
      for (uint32_t k = 0; k < accesses; ++k, t += next_gap()) emit(t, s);
      break;
  }
}

void ProbeTraffic::contact(const ProfilePort& port, const base::IpAddress& src, uint32_t accesses,
                           Placement placement, Micros from, Micros to) {
  std::vector<PacketSpec> specs;
  std::vector<Micros> offsets;
  packets(port, src, accesses, specs, offsets);
  Micros span = *std::max_element(offsets.begin(), offsets.end());
  // All of a source's packets belong to its planned day: squeeze a source
  // that would run past it (a very persistent one) into the day.
  const Micros room = to - from - 2 * kSecond;
  if (span > room) {
    const double squeeze = static_cast<double>(room) / static_cast<double>(span);
    for (auto& o : offsets) o = static_cast<Micros>(static_cast<double>(o) * squeeze);
    span = room;
  }
  Micros start = 0;
  switch (placement) {
    case Placement::first_second:
      start = from + static_cast<Micros>(rng_.below(kSecond));
      break;
    case Placement::last_second:
      start = to - kSecond + static_cast<Micros>(rng_.below(kSecond)) - span;
      break;
    case Placement::rhythm: {
      double total = 0;
      for (double w : port.rhythm) total += w;
      double x = rng_.unit() * total;
      size_t hour = 0;
      while (hour < 23 && x >= port.rhythm[hour]) x -= port.rhythm[hour++];
      start = from + static_cast<Micros>(hour) * 3600 * kSecond +
              static_cast<Micros>(rng_.below(3600 * kSecond));
      break;
    }
  }
  start = std::clamp(start, from, to - 1 - span);
  for (size_t i = 0; i < specs.size(); ++i) {
    set_time(specs[i], start + offsets[i]);
    out_.push(specs[i]);
  }
}

}  // namespace teiten::synth
