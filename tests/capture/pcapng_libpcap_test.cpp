// The pcapng reader against libpcap (pcap_next_ex): on every pcapng file
// libpcap reads whole, the same packets, bytes, lengths and times, at
// microsecond and nanosecond precision; where libpcap stops part way, the
// same packets up to there. Files: tests/data, tests/data/generated, the
// directory $TEITEN_SHARED_PCAPS names (when set), and files built here with
// every block kind, byte order and time resolution the reader handles.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "capture/read_all.h"
#include "support/pcapng_builder.h"
#include "support/temp_dir.h"

namespace {

using namespace teiten;
namespace fs = std::filesystem;
using test::PcapngBuilder;
using test::read_with_libpcap;
using test::read_with_reader;

std::vector<std::string> pcapng_files() {
  std::vector<std::string> dirs = {TEITEN_TEST_DATA, std::string(TEITEN_TEST_DATA) + "/generated"};
  if (const char* shared = std::getenv("TEITEN_SHARED_PCAPS")) dirs.emplace_back(shared);
  std::vector<std::string> out;
  for (const auto& dir : dirs) {
    if (!fs::is_directory(dir)) continue;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().extension() == ".pcapng") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<uint8_t> frame(size_t n, uint8_t seed) {
  std::vector<uint8_t> f(n);
  for (size_t i = 0; i < n; ++i) f[i] = static_cast<uint8_t>(seed * 31 + i * 7);
  return f;
}

// True when libpcap read the file whole; checks the reader against it.
bool compare(const std::string& path, bool nano) {
  INFO(path << (nano ? " (ns)" : " (µs)"));
  test::ReadAll lib = read_with_libpcap(path, nano);
  test::ReadAll ours = read_with_reader(path, nano);
  for (auto& p : ours.packets) p.interface = 0;  // libpcap does not say
  if (lib.error.empty()) {
    CHECK(ours.error == "");
    CHECK(ours.packets.size() == lib.packets.size());
    CHECK(ours.packets == lib.packets);
    return true;
  }
  INFO("libpcap: " << lib.error);
  REQUIRE(ours.packets.size() >= lib.packets.size());
  ours.packets.resize(lib.packets.size());
  CHECK(ours.packets == lib.packets);
  return false;
}

}  // namespace

TEST_CASE("on every pcapng file of the tests libpcap reads whole, the reader delivers what libpcap delivers",
          "[capture]") {
  int whole = 0;
  for (const auto& path : pcapng_files())
    for (bool nano : {false, true}) whole += compare(path, nano);
  // ndpi-*, zeek-* and the two generated pcapng files, at two precisions.
  CHECK(whole >= 8);
}

TEST_CASE("built pcapng files with every block kind, byte order and time resolution read as libpcap reads them",
          "[capture]") {
  test::TempDir tmp;
  // (if_tsresol byte, a timestamp in those units): decimal and binary
  // resolutions, coarser and finer than libpcap's microseconds and
  // nanoseconds, and times after 2038 and after 2106.
  struct Clock {
    std::optional<uint8_t> tsresol;
    uint64_t ts;
    std::optional<int64_t> offset;
  };
  const Clock clocks[] = {
      {std::nullopt, 1'700'000'000'123'456ULL, std::nullopt},
      {3, 1'700'000'000'123ULL, std::nullopt},
      {9, 1'700'000'000'123'456'789ULL, std::nullopt},
      {0, 1'700'000'000ULL, 3600},
      {6, 2'200'000'000'000'001ULL, std::nullopt},    // 2039: above 2^31 seconds
      {6, 5'000'000'000'000'001ULL, std::nullopt},    // 2128: above 2^32 seconds
      {0x80 | 10, (1'700'000'000ULL << 10) | 1023, std::nullopt},  // 2^-10
      {0x80 | 20, (1'600'000'000ULL << 20) | 12345, -7200},        // 2^-20, offset back
      {0x80 | 30, (1'500'000'000ULL << 30) | 999'999'999, std::nullopt},
      {12, 1'700'000'000'000'000'000ULL + 999'999'999'999ULL, std::nullopt},  // ps
  };
  int files = 0;
  for (bool big : {false, true}) {
    PcapngBuilder b;
    b.section(big);
    b.block(4, {1, 0, 4, 0, 192, 0, 2, 1, 0, 0, 0, 0});  // name resolution: skipped
    // One snaplen for all: libpcap refuses interfaces of different snaplens.
    for (const auto& c : clocks) b.interface(1, 128, c.tsresol, c.offset);
    for (uint32_t i = 0; i < std::size(clocks); ++i)
      b.epb(i, clocks[i].ts, frame(60 + i, static_cast<uint8_t>(i)), 60 + i + (i % 3) * 100);
    b.block(5, std::vector<uint8_t>(16, 0));           // interface statistics
    b.block(0x0000000A, std::vector<uint8_t>(12, 7));  // decryption secrets
    b.block(0x40000BAD, std::vector<uint8_t>(9, 1));   // custom, not to be copied
    b.spb(frame(70, 40), 70);                           // interface 0, time 0
    b.pb(3, clocks[3].ts, frame(54, 41));               // obsolete packet block
    b.interface(1, 128, 9);                             // an interface after packets
    b.epb(static_cast<uint32_t>(std::size(clocks)), 1'234'567'890'123'456'789ULL, frame(64, 42));
    b.section(big);  // a new section of the same order: interfaces start again
    b.interface(1, 128);
    b.epb(0, 1'700'000'001'000'000ULL, frame(128, 43), 1500);
    b.spb(frame(200, 44), 200);  // cut to the section's snaplen
    std::string path = tmp.write(std::string("built-") + (big ? "be" : "le") + ".pcapng", b.str());
    for (bool nano : {false, true}) {
      REQUIRE(compare(path, nano));
      ++files;
    }
    auto ours = read_with_reader(path);
    REQUIRE(ours.packets.size() == std::size(clocks) + 5);
    CHECK(ours.packets.back().caplen == 128);
    CHECK(ours.packets.back().wirelen == 200);
  }
  CHECK(files == 4);
}
