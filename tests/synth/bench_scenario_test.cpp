#include "daemon/synth/bench_scenario.h"

#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "tests/synth/synth_test_support.h"

using namespace teiten;
using namespace teiten::synth;

namespace {

constexpr uint64_t kPackets = 100'000;
constexpr int64_t kStart = 1277942400;  // 2010-07-01T00:00:00Z

synth::test::View view_of(BenchKind kind) {
  if (kind == BenchKind::telescope)
    return {{*base::Prefix::parse("198.18.0.0/16"), *base::Prefix::parse("2001:db8:1::/48")}, {}};
  return {{*base::Prefix::parse("192.0.2.10"), *base::Prefix::parse("2001:db8::10")}, {}};
}

double share(const synth::test::Recount& r, const char* cls) {
  auto it = r.classes.find(cls);
  return it == r.classes.end() ? 0.0
                               : static_cast<double>(it->second) / static_cast<double>(r.packets);
}

}  // namespace

TEST_CASE("bench files at 100k packets have the documented mix and their truth matches a recount",
          "[synth]") {
  const auto kind = GENERATE(BenchKind::telescope, BenchKind::small);
  const bool telescope = kind == BenchKind::telescope;
  const std::string name = telescope ? "bench-telescope" : "bench-small";
  synth::test::TempDir dir;
  SynthOptions o;
  o.out_dir = dir.path();
  o.packets = kPackets;
  const auto summary = run_bench(kind, o);
  const auto r = synth::test::recount(dir.file(name + ".pcap"), view_of(kind), "UTC");
  const auto truth = synth::test::read_truth_csv(dir.file(name + ".truth.csv"));
  INFO(name << '\n' << synth::test::describe_difference(truth, r.rows));
  REQUIRE(r.rows == truth);
  CHECK(r.packets == kPackets);
  CHECK(r.counted == kPackets);
  CHECK(r.undecodable == 0);
  CHECK(summary["distinct_rows"] == truth.size());

  // The mix, per packet (binomial sd at 100k is at most 0.0015).
  CHECK(share(r, "syn4") == Approx(0.68).margin(0.01));
  CHECK(share(r, "udp") == Approx(0.17).margin(0.008));
  CHECK(share(r, "echo") == Approx(0.05).margin(0.004));
  CHECK(share(r, "syn6") == Approx(0.04).margin(0.004));
  CHECK(share(r, "synack") == Approx(0.02).margin(0.003));
  CHECK(share(r, "rst") == Approx(0.02).margin(0.003));
  CHECK(share(r, "ack") == Approx(0.02).margin(0.003));
  // 60-byte IPv4 frames, 74-byte IPv6 ones.
  CHECK(r.frames_74 == r.classes.at("syn6"));
  CHECK(r.frames_60 == kPackets - r.frames_74);

  // Times spread evenly over two days from local midnight.
  CHECK(r.out_of_order == 0);
  CHECK(r.first_sec == kStart);
  CHECK(r.last_sec < kStart + 2 * 86400);
  CHECK(r.last_sec >= kStart + 2 * 86400 - 2);
  CHECK(summary["days"].size() == 2);

  // Port slots: 445 holds 4 of 20 TCP slots; 14 TCP and 8 UDP probe ports.
  std::map<std::string, std::set<uint32_t>> tcp_ports, udp_ports;
  std::map<std::string, uint64_t> by_source;
  uint64_t syn4 = 0, syn4_445 = 0;
  for (const auto& [k, v] : truth) {
    const auto& [day, proto, port, src, kind_text] = k;
    by_source[src] += v.accesses;
    if (kind_text != "probe" || src.find(':') != std::string::npos) continue;
    if (proto == "tcp") {
      syn4 += v.accesses;
      if (port == 445) syn4_445 += v.accesses;
      tcp_ports[src].insert(port);
    }
    if (proto == "udp") udp_ports[src].insert(port);
  }
  // At random (small), a packet lands on 445 in 4 of 20 slots; a telescope
  // scanner's two distinct ports make 445 somewhat rarer, and at 100k the
  // four busiest scanners' choices weigh too much to test a share.
  if (!telescope)
    CHECK(static_cast<double>(syn4_445) / static_cast<double>(syn4) == Approx(0.2).margin(0.01));
  std::set<uint32_t> all_tcp, all_udp;
  size_t max_tcp = 0, max_udp = 0;
  for (const auto& [src, ports] : tcp_ports)
    all_tcp.insert(ports.begin(), ports.end()), max_tcp = std::max(max_tcp, ports.size());
  for (const auto& [src, ports] : udp_ports)
    all_udp.insert(ports.begin(), ports.end()), max_udp = std::max(max_udp, ports.size());
  CHECK(all_tcp.size() == 14);
  CHECK(all_udp.size() == 8);
  if (telescope) {
    CHECK(max_tcp == 2);  // each scanner sticks to its own ports
    CHECK(max_udp == 1);
  } else {
    CHECK(max_tcp > 2);  // ports at random
  }

  // Half the packets come from the busiest 1% of their population: for the
  // busiest scanners' IPv4 addresses that is half of the 90% of packets
  // they send over IPv4, plus their 1% of the other half, about 0.455.
  // Victims and IPv6 twins are other addresses.
  std::vector<uint64_t> volumes;
  for (const auto& [src, n] : by_source) volumes.push_back(n);
  std::sort(volumes.rbegin(), volumes.rend());
  const uint64_t scanners = summary["parameters"]["sources"];
  uint64_t top = 0;
  for (size_t i = 0; i < scanners / 100 && i < volumes.size(); ++i) top += volumes[i];
  CHECK(static_cast<double>(top) / kPackets == Approx(0.465).margin(0.035));

  // Rows per packet: what 5M packets give (195.8k and 2.82M), and near
  // docs/performance.md's estimates (~190k, ~2.6M).
  const double ratio = static_cast<double>(truth.size()) / kPackets;
  CHECK(ratio == Approx(telescope ? 0.0392 : 0.564).epsilon(0.1));
  CHECK(ratio == Approx(telescope ? 190e3 / 5e6 : 2.6e6 / 5e6).epsilon(0.15));
}

TEST_CASE("bench output is identical for a seed and differs for another", "[synth]") {
  synth::test::TempDir a, b, c;
  SynthOptions o;
  o.packets = 20'000;
  o.out_dir = a.path();
  run_bench(BenchKind::small, o);
  o.out_dir = b.path();
  run_bench(BenchKind::small, o);
  o.out_dir = c.path();
  o.seed = 2;
  run_bench(BenchKind::small, o);
  const std::string pa = synth::test::slurp(a.file("bench-small.pcap"));
  CHECK(pa.size() > 20'000 * 76);
  CHECK(pa == synth::test::slurp(b.file("bench-small.pcap")));
  CHECK(synth::test::slurp(a.file("bench-small.truth.csv")) ==
        synth::test::slurp(b.file("bench-small.truth.csv")));
  CHECK(synth::test::slurp(a.file("bench-small.summary.json")) ==
        synth::test::slurp(b.file("bench-small.summary.json")));
  CHECK(pa != synth::test::slurp(c.file("bench-small.pcap")));
}
