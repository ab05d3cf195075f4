#include "daemon/synth/ground_truth.h"

#include <catch2/catch.hpp>

#include "support/addresses.h"
#include "tests/synth/synth_test_support.h"

using namespace teiten;
using teiten::test::ip;
using namespace teiten::synth;

namespace {

PacketSpec tcp(uint8_t flags, uint16_t sport, uint16_t dport) {
  PacketSpec s;
  s.transport = Transport::tcp;
  s.src = ip("203.0.113.99");
  s.dst = ip("192.0.2.10");
  s.tcp_flags = flags;
  s.sport = sport;
  s.dport = dport;
  return s;
}
PacketSpec udp(uint16_t sport, uint16_t dport) {
  PacketSpec s = tcp(0, sport, dport);
  s.transport = Transport::udp;
  return s;
}
PacketSpec icmp(uint8_t type, bool v6 = false) {
  PacketSpec s;
  s.transport = v6 ? Transport::icmpv6 : Transport::icmp;
  s.icmp_type = type;
  return s;
}

}  // namespace

TEST_CASE("tcp flags decide probe, backscatter and other as docs/counting.md says", "[synth]") {
  using namespace tcp_flag;
  CHECK(classify(tcp(syn, 40000, 445)) == Classification{Proto::tcp, 445, Kind::probe});
  CHECK(classify(tcp(syn | ece | cwr, 40000, 22)) == Classification{Proto::tcp, 22, Kind::probe});
  CHECK(classify(tcp(syn | fin, 40000, 80)) == Classification{Proto::tcp, 80, Kind::probe});
  // Backscatter is keyed by the victim's service: the source port.
  CHECK(classify(tcp(syn | ack, 80, 51000)) == Classification{Proto::tcp, 80, Kind::backscatter});
  CHECK(classify(tcp(rst | ack, 443, 51000)) == Classification{Proto::tcp, 443, Kind::backscatter});
  CHECK(classify(tcp(rst, 25, 51000)) == Classification{Proto::tcp, 25, Kind::backscatter});
  CHECK(classify(tcp(syn | rst, 25, 51000)) == Classification{Proto::tcp, 25, Kind::backscatter});
  CHECK(classify(tcp(ack, 51000, 80)) == Classification{Proto::tcp, 80, Kind::other});
  CHECK(classify(tcp(0, 51000, 445)) == Classification{Proto::tcp, 445, Kind::other});
  CHECK(classify(tcp(fin | psh | urg, 51000, 80)) == Classification{Proto::tcp, 80, Kind::other});
}

TEST_CASE("udp from a reflection port to a high port is backscatter, otherwise a probe",
          "[synth]") {
  CHECK(classify(udp(53, 40000)) == Classification{Proto::udp, 53, Kind::backscatter});
  CHECK(classify(udp(11211, 1024)) == Classification{Proto::udp, 11211, Kind::backscatter});
  CHECK(classify(udp(53, 1023)) == Classification{Proto::udp, 1023, Kind::probe});
  CHECK(classify(udp(53, 53)) == Classification{Proto::udp, 53, Kind::probe});
  CHECK(classify(udp(5060, 5060)) == Classification{Proto::udp, 5060, Kind::probe});
  CHECK(classify(udp(40000, 27649)) == Classification{Proto::udp, 27649, Kind::probe});
  PacketSpec first = udp(5060, 5060);
  first.more_fragments = true;  // a first fragment still has its UDP header
  CHECK(classify(first) == Classification{Proto::udp, 5060, Kind::probe});
  PacketSpec later = first;
  later.fragment_offset = 185;
  CHECK(classify(later) == Classification{Proto::ip, 17, Kind::other});
}

TEST_CASE("icmp types map to kinds and the type is the port", "[synth]") {
  for (uint8_t t : {8, 13, 15, 17}) CHECK(classify(icmp(t)).kind == Kind::probe);
  for (uint8_t t : {0, 3, 4, 5, 11, 12, 14, 16, 18})
    CHECK(classify(icmp(t)).kind == Kind::backscatter);
  for (uint8_t t : {9, 10, 30}) CHECK(classify(icmp(t)).kind == Kind::other);
  PacketSpec quoting = icmp(3);
  quoting.quoted = Transport::udp;  // an error quoting UDP is ICMP backscatter, not a UDP access
  CHECK(classify(quoting) == Classification{Proto::icmp, 3, Kind::backscatter});
  CHECK(classify(icmp(128, true)) == Classification{Proto::icmpv6, 128, Kind::probe});
  CHECK(classify(icmp(129, true)).kind == Kind::backscatter);
  CHECK(classify(icmp(1, true)).kind == Kind::backscatter);
  CHECK(classify(icmp(135, true)) == Classification{Proto::icmpv6, 135, Kind::other});
  PacketSpec gre;
  gre.transport = Transport::raw;
  gre.ip_protocol = 47;
  CHECK(classify(gre) == Classification{Proto::ip, 47, Kind::other});
}

TEST_CASE("the truth counts only observed destinations from sources that are not ignored or own",
          "[synth]") {
  SensorView view{{Net{ip("192.0.2.10"), 32}, Net{ip("2001:db8::10"), 128}},
                  {Net{ip("10.1.0.0"), 16}}};
  GroundTruth truth(view, "Asia/Tokyo");
  PacketSpec s = tcp(tcp_flag::syn, 40000, 445);
  s.sec = 1278601199;  // 2010-07-08 23:59:59 JST
  CHECK(truth.add(s) == Verdict::counted);
  s.sec = 1278601200;  // 2010-07-09 00:00:00 JST
  CHECK(truth.add(s) == Verdict::counted);
  s.sec += 100;
  CHECK(truth.add(s) == Verdict::counted);
  PacketSpec other = s;
  other.dst = ip("192.0.2.250");
  CHECK(truth.add(other) == Verdict::other_destination);
  PacketSpec managed = s;
  managed.src = ip("10.1.0.5");
  CHECK(truth.add(managed) == Verdict::ignored_source);
  PacketSpec own = s;
  own.src = ip("192.0.2.10");
  CHECK(truth.add(own) == Verdict::own_address);
  PacketSpec arp = s;
  arp.transport = Transport::arp;
  CHECK(truth.add(arp) == Verdict::non_ip);
  PacketSpec six = tcp(tcp_flag::syn, 40000, 22);
  six.src = ip("2001:200:0:0:0:0:0:7");
  six.dst = ip("2001:db8::10");
  six.sec = 1278601300;
  CHECK(truth.add(six) == Verdict::counted);
  truth.finish();

  synth::test::TempDir dir;
  truth.write_csv(dir.file("t.csv"));
  CHECK(synth::test::slurp(dir.file("t.csv")) ==
        "day,proto,port,src,kind,accesses,first_seen,last_seen\n"
        "2010-07-08,tcp,445,203.0.113.99,probe,1,1278601199,1278601199\n"
        "2010-07-09,tcp,22,2001:200::7,probe,1,1278601300,1278601300\n"
        "2010-07-09,tcp,445,203.0.113.99,probe,2,1278601200,1278601300\n");
  auto j = truth.summary();
  CHECK(j["packets_written"] == 8);
  CHECK(j["packets_counted"] == 4);
  CHECK(j["not_counted"]["other_destination"] == 1);
  CHECK(j["not_counted"]["ignored_source"] == 1);
  CHECK(j["not_counted"]["own_address"] == 1);
  CHECK(j["not_counted"]["non_ip"] == 1);
  CHECK(j["distinct_rows"] == 3);
  CHECK(j["days"][1]["day"] == "2010-07-09");
  CHECK(j["days"][1]["probe"]["accesses"] == 3);
  CHECK(j["days"][1]["probe"]["sources"] == 2);
  CHECK(j["days"][1]["probe"]["distinct_sources"] == 2);
}

TEST_CASE("truth rows are ordered by day, proto, port, source value with IPv4 first, kind",
          "[synth]") {
  GroundTruth truth({}, "UTC");
  auto add = [&](const char* src, uint8_t flags, uint16_t sport, uint16_t dport) {
    PacketSpec s = tcp(flags, sport, dport);
    s.src = ip(src);
    s.sec = 1000;
    truth.add(s);
  };
  add("9.9.9.9", tcp_flag::syn, 1, 80);
  add("10.0.0.1", tcp_flag::syn, 1, 80);  // no ignore list here: it counts
  add("::1", tcp_flag::syn, 1, 80);
  add("9.9.9.9", tcp_flag::ack, 1, 80);
  add("9.9.9.9", tcp_flag::syn | tcp_flag::ack, 80, 1);
  truth.finish();
  synth::test::TempDir dir;
  truth.write_csv(dir.file("t.csv"));
  CHECK(synth::test::slurp(dir.file("t.csv")) ==
        "day,proto,port,src,kind,accesses,first_seen,last_seen\n"
        "1970-01-01,tcp,80,9.9.9.9,probe,1,1000,1000\n"
        "1970-01-01,tcp,80,9.9.9.9,backscatter,1,1000,1000\n"
        "1970-01-01,tcp,80,9.9.9.9,other,1,1000,1000\n"
        "1970-01-01,tcp,80,10.0.0.1,probe,1,1000,1000\n"
        "1970-01-01,tcp,80,::1,probe,1,1000,1000\n");
}
