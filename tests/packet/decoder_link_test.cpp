#include <catch2/catch.hpp>

#include "packet/decode_helpers.h"

using namespace teiten::test;
using teiten::packet::Kind;
using teiten::packet::Malformed;
using teiten::packet::Proto;
using teiten::packet::Status;
namespace dlt = teiten::packet::dlt;

namespace {

const Bytes kIp4Syn = ipv4(kSrc, kDst, 6, tcp(40000, 445, SYN));
const Bytes kIp6Syn = ipv6(ip6({0x2001, 0xdb8, 0xffff, 0, 0, 0, 0, 7}),
                           ip6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x10}), 6, tcp(40000, 22, SYN));

void expect_syn(const teiten::packet::Decoded& d, uint16_t port) {
  REQUIRE(d.status == Status::access);
  CHECK(d.proto == Proto::tcp);
  CHECK(d.port == port);
  CHECK(d.kind == Kind::probe);
}

}  // namespace

TEST_CASE("VLAN tags of any depth and kind are skipped", "[packet]") {
  expect_syn(decode_eth(ether(0x0800, kIp4Syn, {0x8100})), 445);
  expect_syn(decode_eth(ether(0x0800, kIp4Syn, {0x88A8, 0x8100})), 445);
  expect_syn(decode_eth(ether(0x86DD, kIp6Syn, {0x88A8, 0x8100, 0x8100})), 22);
  expect_syn(decode_eth(ether(0x0800, kIp4Syn, {0x9100, 0x8100, 0x8100, 0x8100, 0x8100})), 445);
  auto cut = ether(0x0800, {}, {0x8100});
  cut.resize(16);
  CHECK(decode_eth(cut).reason == Malformed::link_truncated);
}

TEST_CASE("non-IP frames report their ethertype", "[packet]") {
  auto arp = decode_eth(ether(0x0806, Bytes(28, 0)));
  CHECK(arp.status == Status::non_ip);
  CHECK(arp.link_protocol == 0x0806);
  auto llc = decode_eth(ether(0x0026, Bytes(38, 0)));
  CHECK(llc.status == Status::non_ip);
  CHECK(llc.link_protocol == 0x0026);
  CHECK(decode_eth(ether(0x0806, Bytes(28, 0), {0x8100})).link_protocol == 0x0806);
}

TEST_CASE("PPPoE session frames carry IP", "[packet]") {
  Bytes pppoe = {0x11, 0x00, 0x12, 0x34};
  put16(pppoe, static_cast<uint16_t>(kIp4Syn.size() + 2));
  put16(pppoe, 0x0021);
  expect_syn(decode_eth(ether(0x8864, cat({pppoe, kIp4Syn}))), 445);
  Bytes lcp = {0x11, 0x00, 0x12, 0x34, 0x00, 0x06, 0xC0, 0x21};
  CHECK(decode_eth(ether(0x8864, cat({lcp, Bytes(4)}))).status == Status::non_ip);
}

TEST_CASE("Linux cooked captures v1 and v2 skip outgoing frames", "[packet]") {
  expect_syn(decode(dlt::linux_sll, sll(0, 0x0800, kIp4Syn)), 445);
  expect_syn(decode(dlt::linux_sll, sll(0, 0x8100, cat({Bytes{0, 5, 0x08, 0x00}, kIp4Syn}))), 445);
  CHECK(decode(dlt::linux_sll, sll(4, 0x0800, kIp4Syn)).status == Status::outgoing);
  expect_syn(decode(dlt::linux_sll2, sll2(0, 0x86DD, kIp6Syn)), 22);
  CHECK(decode(dlt::linux_sll2, sll2(4, 0x86DD, kIp6Syn)).status == Status::outgoing);
  CHECK(decode(dlt::linux_sll2, sll2(0, 0x0806, Bytes(28))).status == Status::non_ip);
  Bytes short_sll = sll(0, 0x0800, {});
  short_sll.resize(15);
  CHECK(decode(dlt::linux_sll, short_sll).reason == Malformed::link_truncated);
}

TEST_CASE("BSD null and loop headers in either byte order", "[packet]") {
  expect_syn(decode(dlt::null, null_le(2, kIp4Syn)), 445);
  expect_syn(decode(dlt::null, null_be(2, kIp4Syn)), 445);
  for (uint32_t af6 : {24u, 28u, 30u}) {
    expect_syn(decode(dlt::null, null_le(af6, kIp6Syn)), 22);
    expect_syn(decode(dlt::null, null_be(af6, kIp6Syn)), 22);
  }
  expect_syn(decode(dlt::loop, null_be(2, kIp4Syn)), 445);
  auto garbage = decode(dlt::null, null_le(0x0008000f, kIp4Syn));
  CHECK(garbage.status == Status::non_ip);
  CHECK(decode(dlt::null, Bytes{2, 0, 0}).reason == Malformed::link_truncated);
}

TEST_CASE("raw IP link types check the version nibble", "[packet]") {
  for (int t : {dlt::raw, dlt::raw_openbsd, dlt::raw_linktype}) {
    expect_syn(decode(t, kIp4Syn), 445);
    expect_syn(decode(t, kIp6Syn), 22);
  }
  expect_syn(decode(dlt::ipv4, kIp4Syn), 445);
  expect_syn(decode(dlt::ipv6, kIp6Syn), 22);
  CHECK(decode(dlt::ipv4, kIp6Syn).reason == Malformed::ip_version);
  CHECK(decode(dlt::ipv6, kIp4Syn).reason == Malformed::ip_version);
  Bytes v5 = kIp4Syn;
  v5[0] = 0x55;
  CHECK(decode(dlt::raw, v5).reason == Malformed::ip_version);
}

TEST_CASE("unsupported link types are malformed, never guessed", "[packet]") {
  CHECK_FALSE(teiten::packet::Decoder::supports(105));
  CHECK(decode(105, kIp4Syn).reason == Malformed::link_unknown);
  CHECK(teiten::packet::Decoder::link_type_name(dlt::linux_sll2) == "LINUX_SLL2");
}
