#include "daemon/synth/sensor_traffic.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "daemon/synth/ground_truth.h"

namespace teiten::synth {
namespace {

constexpr int64_t kSecond = 1'000'000;
// Windows retransmits an unanswered SYN after 3 s, then 6 s more.
constexpr int64_t kRetransmit[] = {0, 3 * kSecond, 9 * kSecond};
constexpr uint16_t kVictimServices[] = {80, 80, 80, 443, 443, 25, 53, 6667, 3306, 22, 8080};
constexpr uint16_t kUdpVictimPorts[] = {53, 27015, 123, 7777, 27960};

uint32_t scaled_count(uint32_t n, double scale) {
  return static_cast<uint32_t>(std::lround(static_cast<double>(n) * scale));
}

base::IpAddress link_local_router() {
  return *base::IpAddress::parse("fe80::1");
}

}  // namespace

ScannerPools make_scanner_pools(uint64_t seed, double scale) {
  ScannerPools pools;
  const auto campaigns = fleet_campaigns();
  for (size_t ci = 0; ci < campaigns.size(); ++ci) {
    Rng rng(seed, 1000 + ci);
    const uint32_t size = std::max(1u, scaled_count(campaigns[ci].pool_size, scale));
    auto& pool = pools.emplace_back();
    for (uint32_t i = 0; i < size; ++i)
      pool.push_back(regional_v4(campaigns[ci].regions->pick(rng), rng));
  }
  return pools;
}

SensorTraffic::SensorTraffic(const FleetSensor& sensor, uint32_t index, uint32_t sensors,
                             uint64_t seed, double scale, const ScannerPools& pools,
                             const LocalCalendar& calendar, FleetMonth month)
    : sensor_(sensor),
      index_(index),
      sensors_(sensors),
      scale_(scale),
      pools_(pools),
      calendar_(calendar),
      month_(month),
      rng_(seed, 100 + index) {
  // Regulars are worms on nearby networks: same country as the sensor.
  for (const Campaign& c : fleet_campaigns()) {
    auto& r = regulars_.emplace_back();
    for (uint32_t i = 0; i < scaled_count(c.regulars, scale); ++i)
      r.push_back(regional_v4(c.name == "conficker" ? Region::jp : c.regions->pick(rng_), rng_));
  }
}

std::vector<PacketSpec> SensorTraffic::generate() {
  const auto campaigns = fleet_campaigns();
  for (uint32_t day = 0; day < month_.days; ++day) {
    const Us from = calendar_.day_start(month_.first_day + static_cast<int32_t>(day)) * kSecond;
    const Us to = calendar_.day_start(month_.first_day + static_cast<int32_t>(day) + 1) * kSecond;
    for (size_t ci = 0; ci < campaigns.size(); ++ci) campaign_day(ci, day, from, to);
    backscatter_day(from, to);
    other_day(from, to);
    ipv6_day(from, to);
    uncounted_day(from, to);
  }
  std::stable_sort(specs_.begin(), specs_.end(), [](const PacketSpec& a, const PacketSpec& b) {
    return a.sec != b.sec ? a.sec < b.sec : a.usec < b.usec;
  });
  tag_frames();
  return std::move(specs_);
}

void SensorTraffic::campaign_day(size_t ci, uint32_t day, Us from, Us to) {
  const Campaign& c = fleet_campaigns()[ci];
  const double mean = c.sources_per_day * scale_ * event_factor(c, index_, sensors_, day);
  const uint32_t n = rng_.poisson(mean);
  const auto& pool = pools_[ci];
  for (uint32_t i = 0; i < n; ++i) {
    const base::IpAddress src = rng_.chance(c.pool_share)
                                    ? pool[rng_.below(pool.size())]
                                    : regional_v4(c.regions->pick(rng_), rng_);
    Us first = random_time(from, to);
    // Every day, one scanner starts in the day's last second and retries
    // into the next day, and one starts in its first second.
    if (ci == 0 && i == 0) first = to - 1 - static_cast<Us>(rng_.below(kSecond));
    if (ci == 0 && i == 1) first = from + static_cast<Us>(rng_.below(kSecond));
    probes(c, src, first, c.ports[rng_.below(c.ports.size())], c.extra_attempts);
  }
  for (const auto& regular : regulars_[ci])
    if (rng_.chance(0.9))
      probes(c, regular, random_time(from, to), c.ports[0], c.extra_attempts + 1.5);
}

uint16_t SensorTraffic::ephemeral_port() {
  for (;;) {
    const auto port = static_cast<uint16_t>(rng_.between(1025, 60999));
    if (!is_reflection_port(port)) return port;
  }
}

uint8_t SensorTraffic::ttl_of(const base::IpAddress& src) const {
  // A stable TTL per source: Windows (128) or Linux (64) minus 8..23 hops.
  uint64_t lo, hi;
  std::memcpy(&lo, src.bytes.data(), 8);
  std::memcpy(&hi, src.bytes.data() + 8, 8);
  const uint64_t h = mix64(lo ^ mix64(hi));
  return static_cast<uint8_t>(((h & 1) ? 128 : 64) - 8 - static_cast<int>((h >> 1) % 16));
}

void SensorTraffic::probes(const Campaign& c, const base::IpAddress& src, Us first, uint16_t port,
                           double extra_attempts) {
  const uint32_t attempts = 1 + rng_.geometric(extra_attempts);
  const bool options = rng_.chance(0.7);
  const bool ecn = rng_.chance(0.05);  // ECE|CWR on the SYN: still a probe
  uint16_t sport = ephemeral_port();
  Us t = first;
  for (uint32_t a = 0; a < attempts; ++a) {
    PacketSpec s = spec(t, src, sensor_.address);
    s.transport = c.transport;
    s.payload = c.payload;
    s.payload_length = c.payload_length;
    switch (c.transport) {
      case Transport::tcp: {
        s.sport = sport;
        s.dport = port;
        s.tcp_flags =
            static_cast<uint8_t>(tcp_flag::syn | (ecn ? tcp_flag::ece | tcp_flag::cwr : 0));
        s.tcp_options = options;
        const auto sends = 1 + rng_.below(c.max_retransmits + 1u);
        for (uint64_t k = 0; k < sends; ++k) {
          PacketSpec r = s;
          const Us at = t + kRetransmit[k] + static_cast<Us>(k ? rng_.below(20'000) : 0);
          r.sec = at / kSecond;
          r.usec = static_cast<uint32_t>(at % kSecond);
          push(r);
        }
        sport = static_cast<uint16_t>(sport >= 60999 ? 1025 : sport + 1);
        break;
      }
      case Transport::udp:
        s.sport = c.payload == Payload::sip_options ? 5060 : sport;
        s.dport = port;
        if (c.payload == Payload::random)
          s.payload_length = static_cast<uint16_t>(rng_.between(8, 48));
        push(s);
        break;
      default:  // icmp echo request
        s.icmp_type = 8;
        push(s);
        break;
    }
    t += std::max<Us>(kSecond / 5, static_cast<Us>(rng_.exponential(c.attempt_gap) * kSecond));
  }
}

void SensorTraffic::backscatter_day(Us from, Us to) {
  // Replies of victims of spoofed-source floods that happened to use this
  // sensor's address: SYN-ACKs and RSTs from their service port, ICMP errors.
  const uint32_t incidents = rng_.poisson(7.0 * scale_);
  for (uint32_t i = 0; i < incidents; ++i) {
    const base::IpAddress victim = regional_v4(global_mix().pick(rng_), rng_);
    const double roll = rng_.unit();
    Us t = random_time(from, to);
    PacketSpec s = spec(t, victim, sensor_.address);
    const uint16_t service = kVictimServices[rng_.below(std::size(kVictimServices))];
    if (roll < 0.40) {
      s.transport = Transport::tcp;
      s.tcp_flags = tcp_flag::syn | tcp_flag::ack;
      s.sport = service;
      s.dport = ephemeral_port();
      s.tcp_options = true;
      const uint32_t n = 1 + rng_.geometric(1.5);  // the victim retransmits its SYN-ACK
      for (uint32_t k = 0; k < n; ++k, t += 3 * kSecond << std::min(k, 4u)) {
        s.sec = t / kSecond;
        s.usec = static_cast<uint32_t>(t % kSecond);
        push(s);
      }
      continue;
    }
    const uint32_t n = 1 + rng_.geometric(roll < 0.91 ? 0.5 : 1.5);
    for (uint32_t k = 0; k < n; ++k, t += static_cast<Us>(rng_.exponential(20) * kSecond) + 1) {
      s.sec = t / kSecond;
      s.usec = static_cast<uint32_t>(t % kSecond);
      if (roll < 0.60) {
        s.transport = Transport::tcp;
        s.tcp_flags = tcp_flag::rst | tcp_flag::ack;
        s.sport = service;
        s.dport = ephemeral_port();
      } else if (roll < 0.75 || roll >= 0.96) {
        // Port (3/3) or host (3/1) unreachable quoting what "we" sent.
        s.transport = Transport::icmp;
        s.icmp_type = 3;
        s.icmp_code = roll < 0.75 ? 3 : 1;
        s.quoted = roll < 0.75 ? Transport::udp : Transport::tcp;
        s.quoted_sport = ephemeral_port();
        s.quoted_dport =
            roll < 0.75 ? kUdpVictimPorts[rng_.below(std::size(kUdpVictimPorts))] : service;
      } else if (roll < 0.83) {
        s.transport = Transport::icmp;  // time exceeded in transit, from a router on the way
        s.icmp_type = 11;
        s.icmp_code = 0;
        s.quoted = Transport::tcp;
        s.quoted_sport = ephemeral_port();
        s.quoted_dport = 80;
      } else if (roll < 0.91) {
        s.transport = Transport::udp;  // DNS answers to queries made in our name
        s.sport = 53;
        s.dport = ephemeral_port();
        s.payload = Payload::service;
      } else {
        s.transport = Transport::icmp;  // echo replies to a spoofed ping flood
        s.icmp_type = 0;
        s.payload = Payload::ping_windows;
      }
      push(s);
    }
  }
  if (rng_.chance(0.05 * scale_)) {  // now and then an IPv6 victim
    PacketSpec s =
        spec(random_time(from, to), regional_v6(global_mix().pick(rng_), rng_), sensor_.address6);
    s.transport = Transport::icmpv6;
    s.icmp_type = 1;
    s.icmp_code = 4;
    s.quoted = Transport::udp;
    s.quoted_sport = ephemeral_port();
    s.quoted_dport = 53;
    push(s);
  }
}

void SensorTraffic::other_day(Us from, Us to) {
  static constexpr uint8_t kStrayFlags[] = {tcp_flag::ack, tcp_flag::fin, 0,
                                            tcp_flag::fin | tcp_flag::psh | tcp_flag::urg,
                                            tcp_flag::ack | tcp_flag::psh};
  static constexpr uint16_t kStrayPorts[] = {80, 22, 445, 443};
  static constexpr uint8_t kOtherProtocols[] = {47, 50, 41};
  static constexpr uint8_t kOtherIcmp[] = {9, 10, 30};
  const uint32_t events = rng_.poisson(2.6 * scale_);
  for (uint32_t i = 0; i < events; ++i) {
    const double roll = rng_.unit();
    const base::IpAddress src = regional_v4(global_mix().pick(rng_), rng_);
    PacketSpec s = spec(random_time(from, to), src, sensor_.address);
    if (roll < 0.30) {  // ACK, FIN, NULL and Xmas scans, stray ACKs
      s.transport = Transport::tcp;
      s.tcp_flags = kStrayFlags[rng_.below(std::size(kStrayFlags))];
      s.sport = ephemeral_port();
      s.dport = kStrayPorts[rng_.below(std::size(kStrayPorts))];
      push(s);
    } else if (roll < 0.45) {  // GRE, ESP, 6in4: no ports
      s.transport = Transport::raw;
      s.ip_protocol = kOtherProtocols[rng_.below(std::size(kOtherProtocols))];
      s.payload = Payload::random;
      s.payload_length = 40;
      push(s);
    } else if (roll < 0.60) {
      // An IKE exchange too big for one packet (certificates), in two
      // fragments: the first counts as a 500/udp probe, the second (offset
      // 1480) as "other" ip/17.
      s.transport = Transport::udp;
      s.sport = 500;
      s.dport = 500;
      s.more_fragments = true;  // both fragments keep the spec's IP ID
      s.payload = Payload::service;
      push(s);
      s.more_fragments = false;
      s.fragment_offset = 185;
      s.payload = Payload::random;
      s.payload_length = 64;
      s.usec = std::min<uint32_t>(s.usec + 40, 999'999);
      push(s);
    } else if (roll < 0.75) {
      s.transport = Transport::icmp;
      s.icmp_type = kOtherIcmp[rng_.below(std::size(kOtherIcmp))];
      push(s);
    } else {  // neighbor unreachability detection from the router
      PacketSpec ns = spec(random_time(from, to), link_local_router(), sensor_.address6);
      ns.transport = Transport::icmpv6;
      ns.icmp_type = 135;
      ns.ttl = 255;
      push(ns);
    }
  }
}

void SensorTraffic::ipv6_day(Us from, Us to) {
  static constexpr uint16_t kPorts[] = {22, 80, 445, 3389};
  const uint32_t sources = rng_.poisson(0.7 * scale_);
  for (uint32_t i = 0; i < sources; ++i) {
    PacketSpec s =
        spec(random_time(from, to), regional_v6(global_mix().pick(rng_), rng_), sensor_.address6);
    s.dest_options = rng_.chance(0.3);
    const uint32_t n = 1 + rng_.geometric(1.5);
    const bool ping = rng_.chance(0.5);
    s.transport = ping ? Transport::icmpv6 : Transport::tcp;
    s.icmp_type = 128;
    s.tcp_flags = tcp_flag::syn;
    s.tcp_options = true;
    s.sport = ephemeral_port();
    s.dport = kPorts[rng_.below(std::size(kPorts))];
    Us t = s.sec * kSecond + s.usec;
    for (uint32_t k = 0; k < n; ++k, t += ping ? kSecond : 3 * kSecond) {
      s.sec = t / kSecond;
      s.usec = static_cast<uint32_t>(t % kSecond);
      push(s);
    }
  }
}

void SensorTraffic::uncounted_day(Us from, Us to) {
  // ARP: the router refreshes its entry for the sensor every hour.
  for (Us t = from + static_cast<Us>(rng_.below(600 * kSecond)); t < to; t += 3600 * kSecond) {
    PacketSpec s = spec(t, sensor_.router, sensor_.address);
    s.transport = Transport::arp;
    push(s);
  }
  // Management: SNMP polls every 30 minutes and one SSH login a day.
  base::IpAddress nms = sensor_.management.address, admin = sensor_.management.address;
  nms.bytes[3] = 5;
  admin.bytes[3] = 20;
  for (Us t = from + static_cast<Us>(rng_.below(60 * kSecond)); t < to; t += 1800 * kSecond) {
    PacketSpec s = spec(t, nms, sensor_.address);
    s.transport = Transport::udp;
    s.sport = ephemeral_port();
    s.dport = 161;
    s.payload = Payload::service;
    push(s);
  }
  PacketSpec ssh = spec(random_time(from, to - 120 * kSecond), admin, sensor_.address);
  ssh.transport = Transport::tcp;
  ssh.sport = ephemeral_port();
  ssh.dport = 22;
  ssh.tcp_flags = tcp_flag::syn;
  ssh.tcp_options = true;
  push(ssh);
  ssh.tcp_options = false;
  for (int k = 0; k < 12; ++k) {
    Us t = ssh.sec * kSecond + ssh.usec + static_cast<Us>(rng_.below(5 * kSecond));
    ssh.sec = t / kSecond;
    ssh.usec = static_cast<uint32_t>(t % kSecond);
    // Headers only: the session's content is nobody's business here.
    ssh.tcp_flags = k == 11 ? (tcp_flag::fin | tcp_flag::ack) : tcp_flag::ack;
    push(ssh);
  }
  // Scans that hit the neighbors: same wire, other destinations.
  for (uint32_t n = rng_.poisson(5 * scale_); n > 0; --n) {
    const bool v6 = rng_.chance(0.1);
    PacketSpec s = spec(random_time(from, to),
                        v6 ? regional_v6(global_mix().pick(rng_), rng_)
                           : regional_v4(global_mix().pick(rng_), rng_),
                        sensor_.neighbor);
    if (v6) s.dst = sensor_.neighbor6;
    s.transport = Transport::tcp;
    s.tcp_flags = tcp_flag::syn;
    s.sport = ephemeral_port();
    s.dport = 445;
    push(s);
  }
  // The sensor's own packets: resets it should not have sent, a local ping.
  for (uint32_t n = rng_.poisson(1.5 * scale_); n > 0; --n) {
    PacketSpec s =
        spec(random_time(from, to), sensor_.address, regional_v4(global_mix().pick(rng_), rng_));
    s.transport = Transport::tcp;
    s.tcp_flags = tcp_flag::rst | tcp_flag::ack;
    s.sport = 445;
    s.dport = ephemeral_port();
    push(s);
  }
  PacketSpec self = spec(random_time(from, to), sensor_.address, sensor_.address);
  self.transport = Transport::icmp;
  self.icmp_type = 8;
  self.payload = Payload::ping_windows;
  push(self);
}

void SensorTraffic::tag_frames() {
  for (auto& s : specs_) {
    if (sensor_.vlan) {
      s.vlan_tags = 1;
      s.vlan_id = sensor_.vlan;
    } else {
      const double roll = rng_.unit();
      s.vlan_tags = roll < 0.005 ? 2 : roll < 0.025 ? 1 : 0;
      s.vlan_id = static_cast<uint16_t>(100 + index_);
    }
  }
}

PacketSpec SensorTraffic::spec(Us at, const base::IpAddress& src, const base::IpAddress& dst) {
  PacketSpec s;
  s.sec = at / kSecond;
  s.usec = static_cast<uint32_t>(at % kSecond);
  s.src = src;
  s.dst = dst;
  s.ttl = ttl_of(src);
  s.ip_id = static_cast<uint16_t>(rng_.next());
  return s;
}

void SensorTraffic::push(const PacketSpec& s) {
  // Retries past the month's end belong to next month's files.
  if (s.sec < month_.start || s.sec >= month_.end) return;
  specs_.push_back(s);
}

}  // namespace teiten::synth
