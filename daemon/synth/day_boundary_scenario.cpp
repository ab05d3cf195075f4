#include "daemon/synth/day_boundary_scenario.h"

#include <algorithm>
#include <vector>

#include "daemon/synth/address_space.h"
#include "daemon/synth/capture_file.h"
#include "daemon/synth/local_calendar.h"
#include "daemon/synth/rng.h"

namespace teiten::synth {
namespace {

constexpr int64_t kSecond = 1'000'000;

class Crowd {
 public:
  Crowd(uint64_t seed, const base::IpAddress& dst4, const base::IpAddress& dst6)
      : rng_(seed, 3), dst4_(dst4), dst6_(dst6) {
    for (int i = 0; i < 12; ++i) sources_.push_back(random_public_v4(rng_));
    for (int i = 0; i < 4; ++i) sources_.push_back(indexed_public_v6(rng_.next(), seed));
  }

  /// A probe, backscatter or other packet from one of a few sources, so
  /// the same (port type, source) recurs on both sides of a boundary.
  void random_packet(int64_t at) {
    const base::IpAddress& src = sources_[rng_.below(sources_.size())];
    PacketSpec s = base(at, src);
    static constexpr uint16_t kPorts[] = {22, 23, 445, 1433};
    s.sport = static_cast<uint16_t>(rng_.between(32768, 60999));  // no reflection port there
    s.transport = Transport::tcp;
    switch (rng_.below(6)) {
      case 0:
      case 1:
        s.tcp_flags = tcp_flag::syn, s.dport = kPorts[rng_.below(4)];
        break;
      case 2:
        s.transport = Transport::udp, s.dport = 5060, s.payload = Payload::sip_options;
        break;
      case 3:
        s.transport = src.is_v4() ? Transport::icmp : Transport::icmpv6;
        s.icmp_type = src.is_v4() ? 8 : 128;
        break;
      case 4:
        s.tcp_flags = tcp_flag::syn | tcp_flag::ack, s.dport = s.sport, s.sport = 80;
        break;
      default:
        s.tcp_flags = tcp_flag::ack, s.dport = 80;
        break;
    }
    specs_.push_back(s);
  }

  void syn(int64_t at, const base::IpAddress& src, uint16_t port) {
    PacketSpec s = base(at, src);
    s.transport = Transport::tcp;
    s.tcp_flags = tcp_flag::syn;
    s.sport = 40000;
    s.dport = port;
    specs_.push_back(s);
  }

  /// The crowd around one instant (a midnight or an offset change).
  void around(int64_t instant_us) {
    const base::IpAddress edge = random_public_v4(rng_);
    syn(instant_us - 1, edge, 445);  // 23:59:59.999999
    syn(instant_us, edge, 445);      // 00:00:00.000000
    for (int i = 0; i < 60; ++i)
      random_packet(instant_us - 1 - static_cast<int64_t>(rng_.below(kSecond)));
    for (int i = 0; i < 60; ++i)
      random_packet(instant_us + static_cast<int64_t>(rng_.below(kSecond)));
    const base::IpAddress retrier = random_public_v4(rng_);
    for (int64_t offset : {-2'500'000, 500'000, 6'500'000}) syn(instant_us + offset, retrier, 1433);
  }

  Rng& rng() { return rng_; }
  std::vector<PacketSpec>& specs() { return specs_; }

 private:
  PacketSpec base(int64_t at, const base::IpAddress& src) {
    PacketSpec s;
    s.sec = at / kSecond;
    s.usec = static_cast<uint32_t>(at % kSecond);
    s.src = src;
    s.dst = src.is_v4() ? dst4_ : dst6_;
    s.ttl = static_cast<uint8_t>(rng_.between(40, 120));
    s.ip_id = static_cast<uint16_t>(rng_.next());
    return s;
  }

  Rng rng_;
  base::IpAddress dst4_, dst6_;
  std::vector<base::IpAddress> sources_;
  std::vector<PacketSpec> specs_;
};

}  // namespace

nlohmann::ordered_json run_day_boundary(const SynthOptions& o) {
  const std::string zone = o.timezone.empty() ? "Asia/Tokyo" : o.timezone;
  LocalCalendar calendar(zone);
  int32_t d0 = 0;
  if (!o.day.empty()) {
    d0 = parse_day_option(o.day);
  } else {
    const int64_t from = calendar.day_start(*civil_day(2010, 3, 1));
    const auto change = calendar.next_offset_change(from, from + 366 * 86400);
    d0 = change ? calendar.day_of(*change) - 1 : *civil_day(2010, 7, 1);
  }
  const int64_t start = calendar.day_start(d0), end = calendar.day_start(d0 + 3);
  const auto dst4 = *base::IpAddress::parse("192.0.2.1"),
             dst6 = *base::IpAddress::parse("2001:db8::1");

  Crowd crowd(o.seed, dst4, dst6);
  nlohmann::ordered_json midnights = nlohmann::ordered_json::array();
  for (int32_t d : {d0 + 1, d0 + 2}) {
    const int64_t m = calendar.day_start(d);
    midnights.push_back(m);
    crowd.around(m * kSecond);
  }
  const auto change = calendar.next_offset_change(start, end);
  if (change) crowd.around(*change * kSecond);
  for (int i = 0; i < 60; ++i)
    crowd.random_packet(start * kSecond + static_cast<int64_t>(crowd.rng().below(
                                              static_cast<uint64_t>(end - start) * kSecond)));

  auto& specs = crowd.specs();
  std::stable_sort(specs.begin(), specs.end(), [](const PacketSpec& a, const PacketSpec& b) {
    return a.sec != b.sec ? a.sec < b.sec : a.usec < b.usec;
  });
  make_output_dir(o.out_dir);
  SensorView view{{Net{dst4, 32}, Net{dst6, 128}}, {}};
  CaptureFile out(o.out_dir, "day-boundary", view, zone, o.truth);
  for (const auto& s : specs) out.add(s);
  return out.finish({{"scenario", "day-boundary"},
                     {"seed", o.seed},
                     {"first_day", day_text(d0)},
                     {"last_day", day_text(d0 + 2)},
                     {"midnights", midnights},
                     {"offset_change", change ? nlohmann::ordered_json(*change) : nullptr}});
}

}  // namespace teiten::synth
