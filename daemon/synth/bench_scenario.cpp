#include "daemon/synth/bench_scenario.h"

#include <stdexcept>

#include "daemon/synth/address_space.h"
#include "daemon/synth/capture_file.h"
#include "daemon/synth/local_calendar.h"
#include "daemon/synth/rng.h"

namespace teiten::synth {
namespace {

constexpr uint16_t kTcpSlots[20] = {445, 445, 445, 445,  1433, 1433, 135,  135,  22,   22,
                                    139, 23,  80,  8080, 3389, 25,   9415, 5900, 3306, 4899};
constexpr uint16_t kUdpPorts[8] = {5060, 27649, 1434, 137, 53, 161, 1900, 500};
constexpr uint16_t kServices[8] = {80, 443, 80, 25, 22, 6667, 3306, 8080};

// Cumulative per-10000 thresholds of the mix.
constexpr uint32_t kSyn = 6800, kUdp = kSyn + 1700, kIcmp = kUdp + 500, kSyn6 = kIcmp + 400,
                   kSynAck = kSyn6 + 200, kRst = kSynAck + 200;  // the rest (200) is ACK

struct Population {
  uint64_t size, busy;
  uint64_t draw(Rng& rng) const { return (rng.next() & 1) ? rng.below(busy) : rng.below(size); }
};

Net net(const char* text, uint8_t length) {
  return {*base::IpAddress::parse(text), length};
}

}  // namespace

nlohmann::ordered_json run_bench(BenchKind kind, const SynthOptions& o) {
  const bool telescope = kind == BenchKind::telescope;
  if (o.packets == 0) throw std::runtime_error("--packets must be at least 1");
  const uint64_t per_5m = telescope ? 20'000 : 1'000'000;
  const uint64_t sources =
      o.sources ? o.sources : std::max<uint64_t>(100, o.packets * per_5m / 5'000'000);
  if (sources < 100 || sources > (1u << 26))
    throw std::runtime_error("--sources must be in 100..67108864");
  const Population scanners{sources, std::max<uint64_t>(1, sources / 100)};
  const Population victims{std::max<uint64_t>(1, sources / 100),
                           std::max<uint64_t>(1, sources / 10'000)};

  const std::string zone = o.timezone.empty() ? "UTC" : o.timezone;
  LocalCalendar calendar(zone);
  const int32_t first_day = o.day.empty() ? *civil_day(2010, 7, 1) : parse_day_option(o.day);
  const int64_t start = calendar.day_start(first_day), end = calendar.day_start(first_day + 2);
  const auto span_us = static_cast<uint64_t>(end - start) * 1'000'000u;

  SensorView view;
  if (telescope)
    view.observed = {net("198.18.0.0", 16), net("2001:db8:1::", 48)};
  else
    view.observed = {net("192.0.2.10", 32), net("2001:db8::10", 128)};
  const std::string name = telescope ? "bench-telescope" : "bench-small";
  make_output_dir(o.out_dir);
  CaptureFile out(o.out_dir, name, view, zone, o.truth);

  const std::vector<uint32_t> v4 = unique_public_v4(scanners.size + victims.size, o.seed);
  const uint64_t trait_seed = mix64(o.seed ^ 0x7e1e5c0full);
  Rng rng(o.seed, telescope ? 1 : 2);
  PacketSpec s;
  s.dst = view.observed[0].address;
  base::IpAddress dst6 = view.observed[1].address;

  for (uint64_t i = 0; i < o.packets; ++i) {
    __extension__ using U128 = unsigned __int128;  // i * span overflows 64 bits past ~10^8 packets
    const uint64_t t = static_cast<uint64_t>(start) * 1'000'000u +
                       static_cast<uint64_t>(static_cast<U128>(i) * span_us / o.packets);
    s.sec = static_cast<int64_t>(t / 1'000'000u);
    s.usec = static_cast<uint32_t>(t % 1'000'000u);
    s.ttl = static_cast<uint8_t>(rng.between(40, 120));
    s.ip_id = static_cast<uint16_t>(rng.next());
    s.sport =
        static_cast<uint16_t>(rng.between(32768, 60999));  // ephemeral: never a reflection port
    s.payload_length = 0;
    const auto roll = static_cast<uint32_t>(rng.below(10'000));
    const bool from_victim = roll >= kSyn6;
    const uint64_t who = from_victim ? victims.draw(rng) : scanners.draw(rng);
    const uint64_t traits = mix64(who ^ (from_victim ? ~trait_seed : trait_seed));
    // Telescope scanners keep two distinct ports of their own; small-sensor
    // ones draw a slot per packet (port_a; port_b is unused there).
    const uint64_t pick = telescope ? traits : rng.next();
    const uint16_t port_a = kTcpSlots[pick % 20];
    uint16_t port_b = kTcpSlots[(pick >> 8) % 20];
    for (uint64_t k = (pick >> 8) % 20; port_b == port_a; ++k) port_b = kTcpSlots[(k + 1) % 20];

    if (telescope) {
      const uint64_t d = rng.next(), d2 = rng.next();
      s.dst = base::IpAddress::v4(0xc6120000u | static_cast<uint32_t>(d & 0xffff));
      dst6.bytes[6] = static_cast<uint8_t>(d >> 16);
      dst6.bytes[7] = static_cast<uint8_t>(d >> 24);
      for (int b = 8; b < 16; ++b) dst6.bytes[b] = static_cast<uint8_t>(d2 >> (8 * (b - 8)));
    }
    if (roll < kSyn6 || !from_victim) s.src = base::IpAddress::v4(v4[who]);
    if (roll < kSyn) {
      s.transport = Transport::tcp;
      s.tcp_flags = tcp_flag::syn;
      s.dport = !telescope || (rng.next() & 1) ? port_a : port_b;
    } else if (roll < kUdp) {
      s.transport = Transport::udp;
      s.dport = kUdpPorts[(pick >> 16) % 8];
      s.payload_length = 18;  // 42 header bytes + 18 = 60
    } else if (roll < kIcmp) {
      s.transport = Transport::icmp;
      s.icmp_type = 8;
      s.icmp_code = 0;
      s.payload_length = 18;
    } else if (roll < kSyn6) {
      s.transport = Transport::tcp;
      s.tcp_flags = tcp_flag::syn;
      s.dport = port_a;
      s.src = indexed_public_v6(who, o.seed);
    } else {
      const uint16_t service = kServices[traits % 8];  // a victim serves one port
      s.src = base::IpAddress::v4(v4[scanners.size + who]);
      s.transport = Transport::tcp;
      if (roll < kRst) {
        s.tcp_flags =
            roll < kSynAck ? (tcp_flag::syn | tcp_flag::ack) : (tcp_flag::rst | tcp_flag::ack);
        s.dport = s.sport;
        s.sport = service;
      } else {
        s.tcp_flags = tcp_flag::ack;
        s.dport = service;
      }
    }
    if (s.src.is_v4()) {
      out.add(s);
    } else {
      const base::IpAddress dst4 = s.dst;
      s.dst = dst6;
      out.add(s);
      s.dst = dst4;
    }
  }
  nlohmann::ordered_json parameters = {
      {"scenario", name},   {"seed", o.seed},          {"packets", o.packets},
      {"sources", sources}, {"victims", victims.size}, {"first_day", day_text(first_day)}};
  return out.finish(parameters);
}

}  // namespace teiten::synth
