#include <catch2/catch.hpp>

#include "packet/decode_helpers.h"

using namespace teiten::test;
using teiten::packet::Kind;
using teiten::packet::Malformed;
using teiten::packet::Proto;
using teiten::packet::Status;

namespace {

Bytes v4frame(uint8_t proto, const Bytes& l4, uint16_t frag = 0, const Bytes& opts = {}) {
  return ether(0x0800, ipv4(kSrc, kDst, proto, l4, frag, opts));
}

void expect_access(const teiten::packet::Decoded& d, Proto proto, uint16_t port, Kind kind) {
  REQUIRE(d.status == Status::access);
  CHECK(d.proto == proto);
  CHECK(d.port == port);
  CHECK(d.kind == kind);
}

}  // namespace

TEST_CASE("a TCP SYN is a probe of its destination port, whatever ECE and CWR say", "[packet]") {
  auto d = decode_eth(v4frame(6, tcp(40000, 445, SYN)));
  expect_access(d, Proto::tcp, 445, Kind::probe);
  CHECK(d.src4 == kSrc);
  CHECK(d.dst4 == kDst);
  CHECK_FALSE(d.v6);
  expect_access(decode_eth(v4frame(6, tcp(40000, 30120, SYN | ECE | CWR))), Proto::tcp, 30120,
                Kind::probe);
  expect_access(decode_eth(v4frame(6, tcp(40000, 80, SYN | PSH | FIN))), Proto::tcp, 80,
                Kind::probe);
}

TEST_CASE("SYN-ACK and RST are backscatter of the responder's source port", "[packet]") {
  expect_access(decode_eth(v4frame(6, tcp(80, 51000, SYN | ACK))), Proto::tcp, 80,
                Kind::backscatter);
  expect_access(decode_eth(v4frame(6, tcp(443, 51000, RST))), Proto::tcp, 443, Kind::backscatter);
  expect_access(decode_eth(v4frame(6, tcp(443, 51000, RST | ACK))), Proto::tcp, 443,
                Kind::backscatter);
  expect_access(decode_eth(v4frame(6, tcp(22, 51000, SYN | RST))), Proto::tcp, 22,
                Kind::backscatter);
}

TEST_CASE("a TCP data offset below five words is malformed even with the flags present",
          "[packet]") {
  for (uint8_t words : {0, 1, 4}) {
    Bytes l4 = tcp(40000, 445, SYN);
    l4[12] = static_cast<uint8_t>(words << 4);
    auto d = decode_eth(v4frame(6, l4));
    CHECK(d.status == Status::malformed);
    CHECK(d.reason == Malformed::tcp_data_offset);
  }
  Bytes options_cut = tcp(40000, 445, SYN);
  options_cut[12] = 0xF0;  // 60-byte header, of which 20 are present: still classifiable
  expect_access(decode_eth(v4frame(6, options_cut)), Proto::tcp, 445, Kind::probe);
}

TEST_CASE("TCP without SYN and RST is other traffic to its destination port", "[packet]") {
  expect_access(decode_eth(v4frame(6, tcp(51000, 80, ACK))), Proto::tcp, 80, Kind::other);
  expect_access(decode_eth(v4frame(6, tcp(51000, 80, FIN | PSH | ACK))), Proto::tcp, 80,
                Kind::other);
  expect_access(decode_eth(v4frame(6, tcp(51000, 80, 0))), Proto::tcp, 80, Kind::other);
}

TEST_CASE("UDP is a probe unless it comes from a reflection port to a high port", "[packet]") {
  expect_access(decode_eth(v4frame(17, udp(5060, 5060))), Proto::udp, 5060, Kind::probe);
  for (uint16_t port : {19, 53, 123, 161, 389, 1900, 3702, 5353, 11211}) {
    INFO("source port " << port);
    expect_access(decode_eth(v4frame(17, udp(port, 1024))), Proto::udp, port, Kind::backscatter);
    expect_access(decode_eth(v4frame(17, udp(port, 1023))), Proto::udp, 1023, Kind::probe);
  }
  expect_access(decode_eth(v4frame(17, udp(54, 40000))), Proto::udp, 40000, Kind::probe);
  expect_access(decode_eth(v4frame(17, udp(53, 53, 0))), Proto::udp, 53, Kind::probe);
}

TEST_CASE("ICMPv4 types map to probe, backscatter and other", "[packet]") {
  for (uint8_t t : {8, 13, 15, 17})
    expect_access(decode_eth(v4frame(1, icmp(t))), Proto::icmp, t, Kind::probe);
  for (uint8_t t : {0, 3, 4, 5, 11, 12, 14, 16, 18})
    expect_access(decode_eth(v4frame(1, icmp(t))), Proto::icmp, t, Kind::backscatter);
  for (uint8_t t : {1, 9, 10, 30, 42, 255})
    expect_access(decode_eth(v4frame(1, icmp(t))), Proto::icmp, t, Kind::other);
}

TEST_CASE("an ICMP error quoting TCP or UDP counts as ICMP backscatter", "[packet]") {
  Bytes quoted_tcp = ipv4(kDst, kSrc, 6, tcp(40000, 445, SYN));
  Bytes unreach = cat({icmp(3, 3, 2), quoted_tcp});
  expect_access(decode_eth(v4frame(1, unreach)), Proto::icmp, 3, Kind::backscatter);
  Bytes quoted_udp = ipv4(kDst, kSrc, 17, udp(1024, 5060));
  expect_access(decode_eth(v4frame(1, cat({icmp(11, 0, 2), quoted_udp}))), Proto::icmp, 11,
                Kind::backscatter);
}

TEST_CASE("other IP protocols count as proto ip with the protocol number", "[packet]") {
  for (uint8_t p : {47, 50, 132})
    expect_access(decode_eth(v4frame(p, Bytes(12, 0))), Proto::ip, p, Kind::other);
  // ICMPv6 numbers inside IPv4 are not ICMP.
  expect_access(decode_eth(v4frame(58, icmp(128))), Proto::ip, 58, Kind::other);
}

TEST_CASE("IPv4 options are skipped", "[packet]") {
  Bytes opts = {0x01, 0x01, 0x01, 0x00, 0x94, 0x04, 0x00, 0x00};  // NOPs, EOL, router alert
  expect_access(decode_eth(v4frame(6, tcp(1, 1433, SYN), 0, opts)), Proto::tcp, 1433, Kind::probe);
  Bytes max_opts(40, 0x01);
  expect_access(decode_eth(v4frame(17, udp(1, 137), 0, max_opts)), Proto::udp, 137, Kind::probe);
}

TEST_CASE("IPv4 fragments: the first is classified, later ones are proto ip", "[packet]") {
  expect_access(decode_eth(v4frame(6, tcp(1, 80, SYN), 0x2000)), Proto::tcp, 80, Kind::probe);
  expect_access(decode_eth(v4frame(6, tcp(1, 80, SYN), 0x0003)), Proto::ip, 6, Kind::other);
  expect_access(decode_eth(v4frame(17, udp(1, 53), 0x2001)), Proto::ip, 17, Kind::other);
  // A first fragment that stops before the TCP flags cannot be classified.
  Bytes eight = tcp(1, 80, SYN);
  eight.resize(8);
  auto d = decode_eth(v4frame(6, eight, 0x2000));
  CHECK(d.status == Status::malformed);
  CHECK(d.reason == Malformed::tcp_truncated);
  CHECK(d.has_addresses);
}

TEST_CASE("invalid IPv4 headers are malformed with their reason", "[packet]") {
  Bytes good = ipv4(kSrc, kDst, 6, tcp(1, 80, SYN));
  Bytes bad_ihl = good;
  bad_ihl[0] = 0x44;
  CHECK(decode_eth(ether(0x0800, bad_ihl)).reason == Malformed::ipv4_ihl);
  Bytes short_total = good;
  short_total[2] = 0;
  short_total[3] = 19;
  CHECK(decode_eth(ether(0x0800, short_total)).reason == Malformed::ipv4_total_length);
  Bytes zero_total = good;
  zero_total[2] = zero_total[3] = 0;
  CHECK(decode_eth(ether(0x0800, zero_total)).reason == Malformed::ipv4_total_length);
  Bytes v6_in_v4 = good;
  v6_in_v4[0] = 0x65;
  CHECK(decode_eth(ether(0x0800, v6_in_v4)).reason == Malformed::ip_version);
  Bytes options_cut = ipv4(kSrc, kDst, 6, {}, 0, Bytes(8, 1));
  options_cut.resize(24);
  CHECK(decode_eth(ether(0x0800, options_cut)).reason == Malformed::ipv4_truncated);
}

TEST_CASE("the IP length fields bound the payload and must fit the frame on the wire", "[packet]") {
  // Ethernet padding after a short total length is not payload.
  Bytes l4 = tcp(1, 80, SYN);
  Bytes ip = ipv4(kSrc, kDst, 6, l4);
  ip[3] = static_cast<uint8_t>(20 + 8);  // claims only 8 bytes of TCP
  ip.resize(60, 0);
  auto d = decode_eth(ether(0x0800, ip));
  CHECK(d.status == Status::malformed);
  CHECK(d.reason == Malformed::tcp_truncated);
  // A header claiming more than the wire carried is invalid (a receiving
  // stack drops it)...
  Bytes longer = ipv4(kSrc, kDst, 17, udp(1, 53, 10));
  longer[3] = static_cast<uint8_t>(longer[3] + 1);
  auto lying = decode_eth(ether(0x0800, longer));
  CHECK(lying.status == Status::malformed);
  CHECK(lying.reason == Malformed::ip_length_exceeds_frame);
  CHECK(lying.has_addresses);
  // ...but not when only the capture was cut: the wire length tells.
  Bytes frame = ether(0x0800, ipv4(kSrc, kDst, 17, udp(1, 53, 100)));
  teiten::packet::Decoded snapped;
  teiten::packet::Decoder(teiten::packet::dlt::ethernet)
      .decode(frame.data(), 14 + 20 + 8, static_cast<uint32_t>(frame.size()), snapped);
  expect_access(snapped, Proto::udp, 53, Kind::probe);
  // The same holds for the IPv6 payload length.
  Bytes s6 = ip6({0x2001, 0xdb8, 0xffff, 0, 0, 0, 0, 7}),
        d6 = ip6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x10});
  Bytes v6 = ipv6(s6, d6, 17, udp(1, 53));
  v6[5] = static_cast<uint8_t>(v6[5] + 1);
  CHECK(decode_eth(ether(0x86DD, v6)).reason == Malformed::ip_length_exceeds_frame);
}

TEST_CASE("IPv6 extension headers are walked to the transport header", "[packet]") {
  Bytes s = ip6({0x2001, 0xdb8, 0xffff, 0, 0, 0, 0, 7}),
        d6 = ip6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x10});
  auto chain = cat({ext(43), ext(60, 1), ext(6), tcp(1, 22, SYN)});
  auto d = decode_eth(ether(0x86DD, ipv6(s, d6, 0, chain)));
  expect_access(d, Proto::tcp, 22, Kind::probe);
  CHECK(d.v6);
  CHECK(std::equal(s.begin(), s.end(), d.src6));
  CHECK(std::equal(d6.begin(), d6.end(), d.dst6));

  expect_access(decode_eth(ether(0x86DD, ipv6(s, d6, 44, cat({frag6(17, 0, true), udp(1, 53)})))),
                Proto::udp, 53, Kind::probe);
  expect_access(decode_eth(ether(0x86DD, ipv6(s, d6, 44, cat({frag6(17, 185, false), Bytes(8)})))),
                Proto::ip, 17, Kind::other);
  expect_access(decode_eth(ether(0x86DD, ipv6(s, d6, 0, cat({ext(59)})))), Proto::ip, 59,
                Kind::other);
  auto cut = decode_eth(ether(0x86DD, ipv6(s, d6, 60, Bytes{6, 2, 0, 0, 0, 0, 0, 0})));
  CHECK(cut.reason == Malformed::ipv6_ext_truncated);
}

TEST_CASE("ICMPv6 types map to probe, backscatter and other", "[packet]") {
  Bytes s = ip6({0x2001, 0xdb8, 0xffff, 0, 0, 0, 0, 7}),
        d6 = ip6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x10});
  auto v6 = [&](uint8_t t) { return decode_eth(ether(0x86DD, ipv6(s, d6, 58, icmp(t)))); };
  expect_access(v6(128), Proto::icmpv6, 128, Kind::probe);
  for (uint8_t t : {1, 2, 3, 4, 129}) expect_access(v6(t), Proto::icmpv6, t, Kind::backscatter);
  for (uint8_t t : {133, 135, 136, 143}) expect_access(v6(t), Proto::icmpv6, t, Kind::other);
  // ICMPv4's number inside IPv6 is just protocol 1.
  expect_access(decode_eth(ether(0x86DD, ipv6(s, d6, 1, icmp(8)))), Proto::ip, 1, Kind::other);
}
