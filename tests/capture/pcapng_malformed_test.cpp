// The pcapng reader on broken files: every one ends in a clear error that
// names the block and its offset (or a clean end), never a crash, a read
// past a block or an allocation a length field asked for; the packets
// before the broken block stay delivered.
#include <catch2/catch.hpp>

#include "capture/read_all.h"
#include "support/pcapng_builder.h"

namespace {

using namespace teiten;
using Catch::Contains;
using test::PcapngBuilder;
using Bytes = std::vector<uint8_t>;

test::ReadAll read(const PcapngBuilder& b) {
  return test::read_bytes_with_reader(b.bytes());
}

// A block header with any length, then `body` bytes (no trailer unless given).
Bytes header(uint32_t type, uint32_t length) {
  PcapngBuilder order;
  Bytes b;
  order.u32(b, type);
  order.u32(b, length);
  return b;
}

PcapngBuilder one_packet() {
  PcapngBuilder b;
  b.section().interface(1).epb(0, 1'000'000, {1, 2, 3, 4, 5});
  return b;
}

}  // namespace

TEST_CASE("a file cut anywhere ends cleanly only at a block boundary and keeps the packets before the cut",
          "[capture]") {
  PcapngBuilder b;
  std::vector<size_t> boundaries;
  b.section();
  b.interface(1);
  boundaries.push_back(b.bytes().size());
  for (int i = 0; i < 4; ++i) {
    b.epb(0, 1'000'000 * (i + 1), Bytes(10 + i, static_cast<uint8_t>(i)));
    boundaries.push_back(b.bytes().size());
  }
  const test::ReadAll whole = read(b);
  REQUIRE(whole.error == "");
  REQUIRE(whole.packets.size() == 4);
  for (size_t cut = 0; cut <= b.bytes().size(); ++cut) {
    INFO("cut at " << cut);
    Bytes part(b.bytes().begin(), b.bytes().begin() + static_cast<long>(cut));
    test::ReadAll r = test::read_bytes_with_reader(part);
    bool boundary = std::find(boundaries.begin(), boundaries.end(), cut) != boundaries.end();
    CHECK(r.error.empty() == boundary);
    REQUIRE(r.packets.size() <= whole.packets.size());
    CHECK(std::equal(r.packets.begin(), r.packets.end(), whole.packets.begin()));
    if (!boundary && cut > 0) CHECK_THAT(r.error, Contains("pcapng"));
  }
}

TEST_CASE("a block whose length runs past the end of the file is an error naming the block", "[capture]") {
  PcapngBuilder b = one_packet();
  b.raw(header(6, 1000)).raw(Bytes(40, 0));
  test::ReadAll r = read(b);
  CHECK(r.packets.size() == 1);
  CHECK_THAT(r.error, Contains("enhanced packet block at byte 112") &&
                          Contains("ends 952 bytes before the block's end"));
}

TEST_CASE("block lengths below 12, not a multiple of 4 or above 16 MiB are errors, never allocations",
          "[capture]") {
  for (uint32_t length : {0u, 8u, 11u}) {
    PcapngBuilder b = one_packet();
    b.raw(header(6, length)).raw(Bytes(16, 0));
    CHECK_THAT(read(b).error, Contains("is below the minimum 12"));
  }
  PcapngBuilder odd = one_packet();
  odd.raw(header(6, 30)).raw(Bytes(40, 0));
  CHECK_THAT(read(odd).error, Contains("not a multiple of 4"));
  for (uint32_t length : {capture::PcapngReader::kMaxBlock + 4, 0xFFFFFFFCu}) {
    PcapngBuilder b = one_packet();
    b.raw(header(6, length)).raw(Bytes(64, 0));
    test::ReadAll r = read(b);
    CHECK(r.packets.size() == 1);
    CHECK_THAT(r.error, Contains("above the maximum 16777216"));
  }
  PcapngBuilder huge_section;
  huge_section.raw(header(0x0A0D0D0A, 0x7FFFFFFC)).raw({0x4D, 0x3C, 0x2B, 0x1A}).raw(Bytes(64, 0));
  CHECK_THAT(read(huge_section).error, Contains("outside 28..1048576"));
}

TEST_CASE("header and trailer lengths that differ are an error", "[capture]") {
  PcapngBuilder b = one_packet();
  Bytes bytes = b.bytes();
  bytes[bytes.size() - 4] ^= 0x04;  // the last block's trailer
  test::ReadAll r = test::read_bytes_with_reader(bytes);
  CHECK(r.packets.empty());
  CHECK_THAT(r.error, Contains("in the trailer"));
}

TEST_CASE("a packet of an interface its section did not describe is an error", "[capture]") {
  PcapngBuilder unknown;
  unknown.section().interface(1).epb(0, 1, {1}).epb(2, 2, {2});
  test::ReadAll r = read(unknown);
  CHECK(r.packets.size() == 1);
  CHECK_THAT(r.error, Contains("a packet of interface 2, but its section has 1 interfaces"));

  PcapngBuilder before_any;
  before_any.section().spb({1, 2}, 2);
  CHECK_THAT(read(before_any).error, Contains("its section has 0 interfaces"));

  PcapngBuilder next_section;  // interfaces do not carry over into a new section
  next_section.section().interface(1).interface(1).section().interface(1).epb(1, 1, {1});
  CHECK_THAT(read(next_section).error, Contains("a packet of interface 1, but its section has 1"));
}

TEST_CASE("an interface described after packets takes the next number and its own link type", "[capture]") {
  PcapngBuilder b;
  b.section().interface(1).epb(0, 1'000'000, {1}).interface(113).epb(1, 2'000'000, {2}).epb(0, 3'000'000, {3});
  test::ReadAll r = read(b);
  REQUIRE(r.error == "");
  REQUIRE(r.packets.size() == 3);
  CHECK(r.packets[1].link_type == 113);
  CHECK(r.packets[1].interface == 1);
  CHECK(r.packets[2].link_type == 1);
}

TEST_CASE("a file without interfaces, or that is not pcapng, is an error", "[capture]") {
  PcapngBuilder only_section;
  only_section.section();
  CHECK_THAT(read(only_section).error, Contains("without any interface description block"));
  PcapngBuilder no_interfaces;
  no_interfaces.section().block(4, {0, 0, 0, 0}).block(0xBAD, {1});
  CHECK_THAT(read(no_interfaces).error, Contains("without any interface description block"));
  CHECK_THAT(test::read_bytes_with_reader({}).error, Contains("not a pcapng file"));
  PcapngBuilder pcap_like;
  pcap_like.block(1, {1, 0, 0, 0, 0, 0, 0, 0});
  CHECK_THAT(read(pcap_like).error, Contains("does not start with a section header block"));
}

TEST_CASE("a section header with a bad byte-order magic or another major version is an error", "[capture]") {
  PcapngBuilder bad_magic;
  bad_magic.raw(header(0x0A0D0D0A, 28)).raw({1, 2, 3, 4}).raw(Bytes(12, 0)).raw({28, 0, 0, 0});
  CHECK_THAT(read(bad_magic).error, Contains("byte-order magic"));
  PcapngBuilder version2;
  version2.section(false, 2, 0).interface(1);
  CHECK_THAT(read(version2).error, Contains("version 2.0"));
  PcapngBuilder minor;  // minor versions are compatible
  minor.section(true, 1, 2).interface(1).epb(0, 1, {1});
  CHECK(read(minor).error == "");
}

TEST_CASE("captured lengths above the snaplen or past the block are errors", "[capture]") {
  PcapngBuilder above;
  above.section().interface(1, 4).epb(0, 1, {1, 2, 3, 4, 5});
  CHECK_THAT(read(above).error, Contains("captured length 5 is above its interface's snaplen 4"));
  PcapngBuilder unlimited;  // a snaplen of 0 or above libpcap's maximum means that maximum
  unlimited.section().interface(1, 0xFFFFFFFF).epb(0, 1, Bytes(262145, 0));
  CHECK_THAT(read(unlimited).error, Contains("captured length 262145 is above its interface's snaplen 262144"));
  PcapngBuilder dbus;  // D-Bus messages may be larger
  dbus.section().interface(231, 0).epb(0, 1, Bytes(262145, 0));
  CHECK(read(dbus).error == "");
  PcapngBuilder past = one_packet();
  Bytes bytes = past.bytes();
  bytes[bytes.size() - 52 + 20] = 200;  // the EPB's caplen (52 bytes long; little-endian low byte)
  test::ReadAll r = test::read_bytes_with_reader(bytes);
  CHECK_THAT(r.error, Contains("captured length 200 runs past the block"));
}

TEST_CASE("broken interface options are errors, as libpcap reads them", "[capture]") {
  auto idb = [](Bytes options) {
    PcapngBuilder b;
    Bytes body = {1, 0, 0, 0, 0, 0, 0, 0};
    body.insert(body.end(), options.begin(), options.end());
    b.section().block(1, body);
    return read(b).error;
  };
  CHECK_THAT(idb({9, 0, 2, 0, 6, 6, 0, 0}), Contains("if_tsresol has a length of 2"));
  CHECK_THAT(idb({9, 0, 1, 0, 6, 0, 0, 0, 9, 0, 1, 0, 6, 0, 0, 0}), Contains("more than one if_tsresol"));
  CHECK_THAT(idb({9, 0, 1, 0, 0xC0, 0, 0, 0}), Contains("if_tsresol 2^-64"));
  CHECK_THAT(idb({9, 0, 1, 0, 20, 0, 0, 0}), Contains("if_tsresol 10^-20"));
  CHECK_THAT(idb({14, 0, 4, 0, 1, 0, 0, 0}), Contains("if_tsoffset has a length of 4"));
  CHECK_THAT(idb({2, 0, 40, 0, 'a', 'b', 'c', 'd'}), Contains("an option value is cut short"));
  CHECK_THAT(idb({0, 0, 4, 0, 0, 0, 0, 0}), Contains("opt_endofopt has a length of 4"));
  // After opt_endofopt nothing more is read, as libpcap does: this interface is fine.
  CHECK(idb({0, 0, 0, 0, 9, 0, 2, 0}) == "");
}

TEST_CASE("a section may describe at most kMaxInterfaces interfaces", "[capture]") {
  PcapngBuilder b;
  b.section();
  for (uint32_t i = 0; i <= capture::PcapngReader::kMaxInterfaces; ++i) b.interface(1);
  CHECK_THAT(read(b).error, Contains("more than 65536 interfaces in a section"));
}

TEST_CASE("after an error the reader keeps answering error", "[capture]") {
  PcapngBuilder b = one_packet();
  b.raw(header(6, 4));
  FILE* f = fmemopen(const_cast<uint8_t*>(b.bytes().data()), b.bytes().size(), "rb");
  capture::PcapngReader reader(f);
  capture::PcapngPacket p;
  CHECK(reader.next(p) == capture::PcapngReader::Next::packet);
  CHECK(reader.next(p) == capture::PcapngReader::Next::error);
  CHECK(reader.next(p) == capture::PcapngReader::Next::error);
  CHECK(reader.offset() == b.bytes().size());
  std::fclose(f);
}
