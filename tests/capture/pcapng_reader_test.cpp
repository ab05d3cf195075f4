// The pcapng reader on files whose interfaces have different link types,
// which libpcap refuses: every packet comes with its own interface's link
// type, numbers and times.
#include <catch2/catch.hpp>
#include <map>

#include "capture/read_all.h"
#include "support/pcapng_builder.h"

namespace {

using namespace teiten;
using test::PcapngBuilder;

const std::string kData = TEITEN_TEST_DATA;

}  // namespace

TEST_CASE("each interface of a merged pcapng yields exactly the packets libpcap reads from its source file",
          "[capture]") {
  // tests/data/ATTRIBUTION.md: mergecap of these six files, one interface each, in this order.
  const char* sources[] = {"zeek-icmp6-echo.pcap",          "tcpdump-sll-tcp-handshake-nsec.pcap",
                           "zeek-sll2-icmp-echo-v4-v6.pcap", "suricata-dlt228-ipv4-syn.pcap",
                           "tcpdump-null-af28-icmpv6.pcap",  "pcpp-dlt-raw-ipv4-ipv6.pcap"};
  const std::string merged = kData + "/mergecap-six-link-types.pcapng";
  REQUIRE(test::read_with_libpcap(merged).error.find("different from the type of the first interface") !=
          std::string::npos);
  for (bool nano : {false, true}) {
    test::ReadAll ours = test::read_with_reader(merged, nano);
    REQUIRE(ours.error == "");
    REQUIRE(ours.packets.size() == 130);
    std::map<uint32_t, std::vector<test::Read>> by_interface;
    for (auto p : ours.packets) {
      uint32_t in = p.interface;
      p.interface = 0;
      by_interface[in].push_back(p);
    }
    REQUIRE(by_interface.size() == std::size(sources));
    for (uint32_t i = 0; i < std::size(sources); ++i) {
      INFO(sources[i] << (nano ? " (ns)" : " (µs)"));
      test::ReadAll source = test::read_with_libpcap(kData + "/" + sources[i], nano);
      REQUIRE(source.error == "");
      CHECK(by_interface[i] == source.packets);
    }
  }
}

TEST_CASE("a macOS capture on Ethernet and loopback gives each packet its interface's link type", "[capture]") {
  test::ReadAll ours = test::read_with_reader(kData + "/pcpp-pcapng-11ifaces-mixed-linktypes.pcapng");
  REQUIRE(ours.error == "");
  std::map<std::pair<uint32_t, int>, int> seen;
  for (const auto& p : ours.packets) ++seen[{p.interface, p.link_type}];
  // tshark: 62 frames on interface 0 (Ethernet), 2 on interface 10 (BSD loopback).
  CHECK(seen == std::map<std::pair<uint32_t, int>, int>{{{0, 1}, 62}, {{10, 0}, 2}});
}

TEST_CASE("sections of both byte orders in one file are read, each numbering its interfaces from 0",
          "[capture]") {
  PcapngBuilder b;
  b.section(false).interface(1).interface(147).epb(1, 5'000'000, {1, 2, 3}).epb(0, 6'000'000, {4});
  b.section(true).interface(101, 0, 9).epb(0, 7'000'000'123ULL, {5, 6}, 40);
  test::ReadAll r = test::read_bytes_with_reader(b.bytes(), true);
  REQUIRE(r.error == "");
  REQUIRE(r.packets.size() == 3);
  CHECK(r.packets[0].link_type == 147);  // a link type the decoder does not know: still delivered
  CHECK(r.packets[0].interface == 1);
  CHECK(r.packets[0].seconds == 5);
  CHECK(r.packets[0].data == std::vector<uint8_t>{1, 2, 3});
  CHECK(r.packets[1].link_type == 1);
  CHECK(r.packets[2].link_type == 12);  // LINKTYPE_RAW, as libpcap names it
  CHECK(r.packets[2].interface == 0);
  CHECK(r.packets[2].seconds == 7);
  CHECK(r.packets[2].fraction == 123);
  CHECK(r.packets[2].wirelen == 40);
}

TEST_CASE("times are unsigned 64-bit counts of the interface's unit plus its offset, saturated", "[capture]") {
  auto first = [](PcapngBuilder& b) {
    test::ReadAll r = test::read_bytes_with_reader(b.bytes(), true);
    REQUIRE(r.error == "");
    REQUIRE(r.packets.size() == 1);
    return r.packets[0];
  };
  PcapngBuilder after_2106;
  after_2106.section().interface(1, 0, 0).epb(0, 0x1'0000'0001ULL, {0});
  CHECK(first(after_2106).seconds == 0x1'0000'0001LL);
  PcapngBuilder top;  // 2^64 - 1 seconds: beyond int64, saturated
  top.section().interface(1, 0, 0).epb(0, ~uint64_t{0}, {0});
  CHECK(first(top).seconds == INT64_MAX);
  PcapngBuilder before_1970;  // a negative offset past the time: before 1970
  before_1970.section().interface(1, 0, 0, -100).epb(0, 40, {0});
  CHECK(first(before_1970).seconds == -60);
  PcapngBuilder binary;  // 2^-63: the finest resolution there is
  binary.section().interface(1, 0, 0x80 | 63).epb(0, (uint64_t{3} << 62), {0});
  auto p = first(binary);
  CHECK(p.seconds == 1);
  CHECK(p.fraction == 500'000'000);
}
