#include "daemon/synth/bench_scenario.h"

#include <stdexcept>

#include "daemon/synth/address_space.h"
#include "daemon/synth/capture_file.h"
#include "daemon/synth/local_calendar.h"
#include "daemon/synth/rng.h"
#include "daemon/synth/write_progress.h"

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

/// What the options ask for: who sends, and over which two local days.
struct BenchPlan {
  bool telescope;
  uint64_t sources;
  Population scanners, victims;
  std::string zone;
  int32_t first_day;
};

BenchPlan plan_bench(BenchKind kind, const SynthOptions& o) {
  const bool telescope = kind == BenchKind::telescope;
  if (o.packets == 0) throw std::runtime_error("--packets must be at least 1");
  const uint64_t per_5m = telescope ? 20'000 : 1'000'000;
  const uint64_t sources =
      o.sources ? o.sources : std::max<uint64_t>(100, o.packets * per_5m / 5'000'000);
  if (sources < 100 || sources > (1u << 26))
    throw std::runtime_error("--sources must be in 100..67108864");
  return {telescope,
          sources,
          {sources, std::max<uint64_t>(1, sources / 100)},
          {std::max<uint64_t>(1, sources / 100), std::max<uint64_t>(1, sources / 10'000)},
          o.timezone.empty() ? "UTC" : o.timezone,
          o.day.empty() ? *civil_day(2010, 7, 1) : parse_day_option(o.day)};
}

SensorView bench_view(bool telescope) {
  SensorView view;
  if (telescope)
    view.observed = {net("198.18.0.0", 16), net("2001:db8:1::", 48)};
  else
    view.observed = {net("192.0.2.10", 32), net("2001:db8::10", 128)};
  return view;
}

/// Packet i of n at an even spacing over [start, end).
void set_time(PacketSpec& s, int64_t start, int64_t end, uint64_t i, uint64_t n) {
  const auto span_us = static_cast<uint64_t>(end - start) * 1'000'000u;
  __extension__ using U128 = unsigned __int128;  // i * span overflows 64 bits past ~10^8 packets
  const uint64_t t = static_cast<uint64_t>(start) * 1'000'000u +
                     static_cast<uint64_t>(static_cast<U128>(i) * span_us / n);
  s.sec = static_cast<int64_t>(t / 1'000'000u);
  s.usec = static_cast<uint32_t>(t % 1'000'000u);
}

/// One packet of the mix: who sends it (a scanner or a victim answering
/// spoofed traffic), and what (the roll against the mix's thresholds).
class BenchMix {
 public:
  BenchMix(const BenchPlan& plan, uint64_t seed)
      : plan_(plan),
        seed_(seed),
        v4_(unique_public_v4(plan.scanners.size + plan.victims.size, seed)),
        trait_seed_(mix64(seed ^ 0x7e1e5c0full)) {}

  /// Fills s's source, transport, flags and ports; telescope destinations
  /// are scattered in between, keeping the draws in one fixed order.
  void draw(Rng& rng, PacketSpec& s, base::IpAddress& dst6) {
    s.ttl = static_cast<uint8_t>(rng.between(40, 120));
    s.ip_id = static_cast<uint16_t>(rng.next());
    s.sport =
        static_cast<uint16_t>(rng.between(32768, 60999));  // ephemeral: never a reflection port
    s.payload_length = 0;
    const auto roll = static_cast<uint32_t>(rng.below(10'000));
    const bool from_victim = roll >= kSyn6;
    const uint64_t who = from_victim ? plan_.victims.draw(rng) : plan_.scanners.draw(rng);
    const uint64_t traits = mix64(who ^ (from_victim ? ~trait_seed_ : trait_seed_));
    // Telescope scanners keep two distinct ports of their own; small-sensor
    // ones draw a slot per packet (port_a; port_b is unused there).
    const uint64_t pick = plan_.telescope ? traits : rng.next();
    const uint16_t port_a = kTcpSlots[pick % 20];
    uint16_t port_b = kTcpSlots[(pick >> 8) % 20];
    for (uint64_t k = (pick >> 8) % 20; port_b == port_a; ++k) port_b = kTcpSlots[(k + 1) % 20];
    if (plan_.telescope) scatter_destinations(rng, s, dst6);
    if (roll < kSyn6 || !from_victim) s.src = base::IpAddress::v4(v4_[who]);
    if (from_victim)
      answer_as_victim(roll, kServices[traits % 8], who, s);
    else
      probe(rng, roll, port_a, port_b, pick, who, s);
  }

 private:
  // A telescope observes whole prefixes: every packet to another address.
  static void scatter_destinations(Rng& rng, PacketSpec& s, base::IpAddress& dst6) {
    const uint64_t d = rng.next(), d2 = rng.next();
    s.dst = base::IpAddress::v4(0xc6120000u | static_cast<uint32_t>(d & 0xffff));
    dst6.bytes[6] = static_cast<uint8_t>(d >> 16);
    dst6.bytes[7] = static_cast<uint8_t>(d >> 24);
    for (int b = 8; b < 16; ++b) dst6.bytes[b] = static_cast<uint8_t>(d2 >> (8 * (b - 8)));
  }

  void probe(Rng& rng, uint32_t roll, uint16_t port_a, uint16_t port_b, uint64_t pick, uint64_t who,
             PacketSpec& s) const {
    if (roll < kSyn) {
      s.transport = Transport::tcp;
      s.tcp_flags = tcp_flag::syn;
      s.dport = !plan_.telescope || (rng.next() & 1) ? port_a : port_b;
    } else if (roll < kUdp) {
      s.transport = Transport::udp;
      s.dport = kUdpPorts[(pick >> 16) % 8];
      s.payload_length = 18;  // 42 header bytes + 18 = 60
    } else if (roll < kIcmp) {
      s.transport = Transport::icmp;
      s.icmp_type = 8;
      s.icmp_code = 0;
      s.payload_length = 18;
    } else {  // IPv6 TCP SYN
      s.transport = Transport::tcp;
      s.tcp_flags = tcp_flag::syn;
      s.dport = port_a;
      s.src = indexed_public_v6(who, seed_);
    }
  }

  // Backscatter: a victim answers from the one service it runs.
  void answer_as_victim(uint32_t roll, uint16_t service, uint64_t who, PacketSpec& s) const {
    s.src = base::IpAddress::v4(v4_[plan_.scanners.size + who]);
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

  const BenchPlan& plan_;
  uint64_t seed_;
  std::vector<uint32_t> v4_;
  uint64_t trait_seed_;
};

}  // namespace

nlohmann::ordered_json run_bench(BenchKind kind, const SynthOptions& o) {
  const BenchPlan plan = plan_bench(kind, o);
  LocalCalendar calendar(plan.zone);
  const int64_t start = calendar.day_start(plan.first_day),
                end = calendar.day_start(plan.first_day + 2);
  const SensorView view = bench_view(plan.telescope);
  const std::string name = plan.telescope ? "bench-telescope" : "bench-small";
  make_output_dir(o.out_dir);
  CaptureFile out(o.out_dir, name, view, plan.zone, o.truth);
  WriteProgress::run().expect(o.packets);

  BenchMix mix(plan, o.seed);
  Rng rng(o.seed, plan.telescope ? 1 : 2);
  PacketSpec s;
  s.dst = view.observed[0].address;
  base::IpAddress dst6 = view.observed[1].address;
  for (uint64_t i = 0; i < o.packets; ++i) {
    set_time(s, start, end, i, o.packets);
    mix.draw(rng, s, dst6);
    if (s.src.is_v4()) {
      out.add(s);
    } else {
      const base::IpAddress dst4 = s.dst;
      s.dst = dst6;
      out.add(s);
      s.dst = dst4;
    }
  }
  nlohmann::ordered_json parameters = {{"scenario", name},
                                       {"seed", o.seed},
                                       {"packets", o.packets},
                                       {"sources", plan.sources},
                                       {"victims", plan.victims.size},
                                       {"first_day", day_text(plan.first_day)}};
  return out.finish(parameters);
}

}  // namespace teiten::synth
