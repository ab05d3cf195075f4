#include "daemon/synth/background_traffic.h"

#include <algorithm>
#include <iterator>

namespace teiten::synth {
namespace {

constexpr uint16_t kVictimServices[] = {80, 80, 80, 443, 443, 25, 53, 6667, 3306, 22, 8080};
constexpr uint16_t kUdpVictimPorts[] = {53, 27015, 123, 7777, 27960};

base::IpAddress with_last(const base::IpAddress& a, uint8_t value) {
  base::IpAddress out = a;
  out.bytes[a.is_v4() ? 3 : 15] = value;
  return out;
}

/// An address inside `p` with host part `n` where the prefix has room.
base::IpAddress host_in(const base::Prefix& p, uint8_t n) {
  const unsigned bits = p.address.is_v4() ? 32 : 128;
  return bits - p.length >= 8 ? with_last(p.address, n) : p.address;
}

}  // namespace

base::IpAddress neighbor_of(const base::IpAddress& address) {
  if (address.is_v4()) return with_last(address, address.bytes[3] == 250 ? 251 : 250);
  base::IpAddress n = address;
  n.bytes[14] = 0x02;
  n.bytes[15] = address.bytes[14] == 0x02 && address.bytes[15] == 0x50 ? 0x51 : 0x50;
  return n;
}

BackgroundTraffic::BackgroundTraffic(const Profile& profile, const FleetSources& sources,
                                     SensorPackets& out, Rng& rng)
    : profile_(profile), sources_(sources), out_(out), rng_(rng) {
  population_ = profile.populations.empty() ? "" : profile.ports.empty()
                                                       ? profile.populations.begin()->first
                                                       : profile.ports.front().population;
}

base::IpAddress BackgroundTraffic::stranger(base::Family family) {
  return sources_.draw(population_, family, rng_);
}

void BackgroundTraffic::day(Micros from, Micros to) {
  backscatter(from, to);
  other(from, to);
  management(from, to);
  not_counted(from, to);
  malformed(from, to);
}

void BackgroundTraffic::backscatter(Micros from, Micros to) {
  const Background& b = profile_.background;
  const base::Family family = out_.main_family();
  const bool v4 = family == base::Family::v4;
  const base::IpAddress& dst = out_.address(family);
  for (uint32_t n = rng_.poisson(b.backscatter); n > 0; --n) {
    const base::IpAddress victim = stranger(family);
    const double roll = rng_.unit();
    Micros t = random_time(from, to);
    PacketSpec s = out_.spec(t, victim, dst, rng_);
    const uint16_t service = kVictimServices[rng_.below(std::size(kVictimServices))];
    if (roll < 0.40) {  // SYN-ACKs, retransmitted by the victim
      s.transport = Transport::tcp;
      s.tcp_flags = tcp_flag::syn | tcp_flag::ack;
      s.sport = service;
      s.dport = ephemeral_port(rng_);
      s.tcp_options = true;
      const uint32_t k = 1 + rng_.geometric(1.5);
      for (uint32_t i = 0; i < k; ++i, t += 3 * kSecond << std::min(i, 4u)) {
        set_time(s, t);
        out_.push(s);
      }
      continue;
    }
    const uint32_t k = 1 + rng_.geometric(roll < 0.91 ? 0.5 : 1.5);
    for (uint32_t i = 0; i < k; ++i, t += static_cast<Micros>(rng_.exponential(20) * kSecond) + 1) {
      set_time(s, t);
      if (roll < 0.60) {
        s.transport = Transport::tcp;
        s.tcp_flags = tcp_flag::rst | tcp_flag::ack;
        s.sport = service;
        s.dport = ephemeral_port(rng_);
      } else if (roll < 0.75 || roll >= 0.96) {
        // Port or host unreachable quoting what "we" sent.
        s.transport = v4 ? Transport::icmp : Transport::icmpv6;
        s.icmp_type = v4 ? 3 : 1;
        s.icmp_code = roll < 0.75 ? (v4 ? 3 : 4) : (v4 ? 1 : 3);
        s.quoted = roll < 0.75 ? Transport::udp : Transport::tcp;
        s.quoted_sport = ephemeral_port(rng_);
        s.quoted_dport =
            roll < 0.75 ? kUdpVictimPorts[rng_.below(std::size(kUdpVictimPorts))] : service;
      } else if (roll < 0.83) {  // time exceeded in transit, from a router on the way
        s.transport = v4 ? Transport::icmp : Transport::icmpv6;
        s.icmp_type = v4 ? 11 : 3;
        s.icmp_code = 0;
        s.quoted = Transport::tcp;
        s.quoted_sport = ephemeral_port(rng_);
        s.quoted_dport = 80;
      } else if (roll < 0.91) {  // DNS answers to queries made in our name
        s.transport = Transport::udp;
        s.sport = 53;
        s.dport = ephemeral_port(rng_);
        s.payload = Payload::service;
      } else {  // echo replies to a spoofed ping flood
        s.transport = v4 ? Transport::icmp : Transport::icmpv6;
        s.icmp_type = v4 ? 0 : 129;
        s.payload = Payload::ping_windows;
      }
      out_.push(s);
    }
  }
}

void BackgroundTraffic::other(Micros from, Micros to) {
  static constexpr uint8_t kStrayFlags[] = {tcp_flag::ack, tcp_flag::fin, 0,
                                            tcp_flag::fin | tcp_flag::psh | tcp_flag::urg,
                                            tcp_flag::ack | tcp_flag::psh};
  static constexpr uint16_t kStrayPorts[] = {80, 22, 445, 443};
  static constexpr uint8_t kOtherProtocols[] = {47, 50, 41};
  static constexpr uint8_t kOtherIcmp[] = {9, 10, 30};
  const base::Family family = out_.main_family();
  const bool v4 = family == base::Family::v4;
  const base::IpAddress& dst = out_.address(family);
  for (uint32_t n = rng_.poisson(profile_.background.other); n > 0; --n) {
    const double roll = rng_.unit();
    PacketSpec s = out_.spec(random_time(from, to), stranger(family), dst, rng_);
    if (roll < 0.40) {  // ACK, FIN, NULL and Xmas scans, stray ACKs
      s.transport = Transport::tcp;
      s.tcp_flags = kStrayFlags[rng_.below(std::size(kStrayFlags))];
      s.sport = ephemeral_port(rng_);
      s.dport = kStrayPorts[rng_.below(std::size(kStrayPorts))];
    } else if (roll < 0.60) {  // GRE, ESP, 6in4: no ports
      s.transport = Transport::raw;
      s.ip_protocol = kOtherProtocols[rng_.below(std::size(kOtherProtocols))];
      s.payload = Payload::random;
      s.payload_length = 40;
    } else if (roll < 0.80 && v4) {
      s.transport = Transport::icmp;
      s.icmp_type = kOtherIcmp[rng_.below(std::size(kOtherIcmp))];
    } else if (out_.sensor().address6) {
      // Neighbor unreachability detection from the router.
      s = out_.spec(random_time(from, to), *base::IpAddress::parse("fe80::1"),
                    *out_.sensor().address6, rng_);
      s.transport = Transport::icmpv6;
      s.icmp_type = 135;
      s.ttl = 255;
    } else {
      continue;
    }
    out_.push(s);
  }
}

void BackgroundTraffic::management(Micros from, Micros to) {
  if (!profile_.background.management) return;
  const auto& nets = out_.sensor().ignore_sources;
  const base::Family family = out_.main_family();
  const auto net = std::find_if(nets.begin(), nets.end(), [&](const base::Prefix& p) {
    return p.address.family == family;
  });
  if (net == nets.end()) return;
  const base::IpAddress nms = host_in(*net, 5), admin = host_in(*net, 20);
  const base::IpAddress& dst = out_.address(family);
  // SNMP polls every 30 minutes and one SSH login a day.
  for (Micros t = from + static_cast<Micros>(rng_.below(60 * kSecond)); t < to;
       t += 1800 * kSecond) {
    PacketSpec s = out_.spec(t, nms, dst, rng_);
    s.transport = Transport::udp;
    s.sport = ephemeral_port(rng_);
    s.dport = 161;
    s.payload = Payload::service;
    out_.push(s);
  }
  PacketSpec ssh = out_.spec(random_time(from, to - 120 * kSecond), admin, dst, rng_);
  ssh.transport = Transport::tcp;
  ssh.sport = ephemeral_port(rng_);
  ssh.dport = 22;
  ssh.tcp_flags = tcp_flag::syn;
  ssh.tcp_options = true;
  out_.push(ssh);
  ssh.tcp_options = false;
  for (int k = 0; k < 12; ++k) {
    set_time(ssh, ssh.sec * kSecond + ssh.usec + static_cast<Micros>(rng_.below(5 * kSecond)));
    // Headers only: the session's content is nobody's business here.
    ssh.tcp_flags = k == 11 ? (tcp_flag::fin | tcp_flag::ack) : tcp_flag::ack;
    out_.push(ssh);
  }
}

void BackgroundTraffic::not_counted(Micros from, Micros to) {
  const Background& b = profile_.background;
  const ProfileSensor& sensor = out_.sensor();
  const base::Family family = out_.main_family();
  const base::IpAddress& self = out_.address(family);
  const bool cooked = is_cooked(sensor.link);
  // ARP: the router refreshes its entry for the sensor every hour.
  if (b.non_ip && sensor.address && (is_ethernet(sensor.link) || cooked)) {
    const base::IpAddress router = with_last(*sensor.address, sensor.address->bytes[3] == 1 ? 254 : 1);
    for (Micros t = from + static_cast<Micros>(rng_.below(600 * kSecond)); t < to;
         t += 3600 * kSecond) {
      PacketSpec s = out_.spec(t, router, *sensor.address, rng_);
      s.transport = Transport::arp;
      s.direction = Direction::broadcast;
      out_.push(s);
    }
  }
  // Scans that hit the neighbors: same wire, other destinations.
  for (uint32_t n = rng_.poisson(b.neighbors); n > 0; --n) {
    const bool v6 = sensor.address6 && (!sensor.address || rng_.chance(0.1));
    const auto f = v6 ? base::Family::v6 : base::Family::v4;
    PacketSpec s = out_.spec(random_time(from, to), stranger(f), neighbor_of(out_.address(f)), rng_);
    s.transport = Transport::tcp;
    s.tcp_flags = tcp_flag::syn;
    s.sport = ephemeral_port(rng_);
    s.dport = 445;
    s.direction = Direction::other_host;
    out_.push(s);
  }
  // The sensor's own packets: resets it should not have sent, a local ping.
  for (uint32_t n = rng_.poisson(b.own); n > 0; --n) {
    PacketSpec s = out_.spec(random_time(from, to), self, stranger(family), rng_);
    s.transport = Transport::tcp;
    s.tcp_flags = tcp_flag::rst | tcp_flag::ack;
    s.sport = 445;
    s.dport = ephemeral_port(rng_);
    if (cooked) s.direction = Direction::outgoing;
    out_.push(s);
  }
  if (b.own > 0) {
    PacketSpec ping = out_.spec(random_time(from, to), self, self, rng_);
    ping.transport = family == base::Family::v4 ? Transport::icmp : Transport::icmpv6;
    ping.icmp_type = family == base::Family::v4 ? 8 : 128;
    ping.payload = Payload::ping_windows;
    if (cooked) ping.direction = Direction::outgoing;
    out_.push(ping);
  }
}

void BackgroundTraffic::malformed(Micros from, Micros to) {
  static constexpr Defect kV4[] = {Defect::tcp_truncated,  Defect::tcp_data_offset,
                                   Defect::udp_truncated,  Defect::icmp_truncated,
                                   Defect::ipv4_ihl,       Defect::ip_length_exceeds_frame,
                                   Defect::snaplen};
  static constexpr Defect kV6[] = {Defect::tcp_truncated, Defect::tcp_data_offset,
                                   Defect::udp_truncated, Defect::ip_length_exceeds_frame,
                                   Defect::snaplen};
  const base::Family family = out_.main_family();
  const bool v4 = family == base::Family::v4;
  for (uint32_t n = rng_.poisson(profile_.background.malformed); n > 0; --n) {
    PacketSpec s = out_.spec(random_time(from, to), stranger(family), out_.address(family), rng_);
    s.defect = v4 ? kV4[rng_.below(std::size(kV4))] : kV6[rng_.below(std::size(kV6))];
    switch (s.defect) {
      case Defect::udp_truncated:
        s.transport = Transport::udp;
        s.sport = ephemeral_port(rng_);
        s.dport = 1434;
        break;
      case Defect::icmp_truncated:
        s.transport = Transport::icmp;
        s.icmp_type = 8;
        break;
      default:  // a SYN, for the TCP and IP defects
        s.transport = Transport::tcp;
        s.tcp_flags = tcp_flag::syn;
        s.tcp_options = true;
        s.sport = ephemeral_port(rng_);
        s.dport = 445;
        break;
    }
    out_.push(s);
  }
}

}  // namespace teiten::synth
