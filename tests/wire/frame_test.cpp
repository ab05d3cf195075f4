#include "common/wire/frame.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <random>
#include <vector>

#include "common/wire/frame_reader.h"
#include "common/wire/messages.h"
#include "wire/allocation_counter.h"
#include "wire/wire_test_support.h"

using namespace teiten;
using Catch::Matchers::Contains;
using test::hex;
using test::unhex;

namespace {

void header_of(uint32_t length, uint8_t (&out)[4]) {
  out[0] = static_cast<uint8_t>(length >> 24);
  out[1] = static_cast<uint8_t>(length >> 16);
  out[2] = static_cast<uint8_t>(length >> 8);
  out[3] = static_cast<uint8_t>(length);
}

std::string payload_of_size(size_t n, uint8_t salt) {
  std::string p(n, '\0');
  for (size_t i = 0; i < n; ++i) p[i] = static_cast<char>((i * 31 + salt) & 0xFF);
  return p;
}

struct Sample {
  wire::MessageType type;
  std::string payload;
};

// Frames of every type with payloads from empty to the reader's maximum.
std::vector<Sample> samples(uint32_t max_frame) {
  return {{wire::MessageType::hello, ""},
          {wire::MessageType::ack, payload_of_size(8, 1)},
          {wire::MessageType::batch, payload_of_size(1000, 2)},
          {wire::MessageType::welcome, payload_of_size(1, 3)},
          {wire::MessageType::error, payload_of_size(max_frame - 2, 4)},
          {wire::MessageType::refuse, payload_of_size(3, 5)}};
}

std::string stream_of(const std::vector<Sample>& s) {
  std::string out;
  for (const auto& f : s) out += wire::encode_frame(f.type, f.payload);
  return out;
}

void require_frames(wire::FrameReader& r, const std::vector<Sample>& want) {
  for (const auto& w : want) {
    auto f = r.pop();
    REQUIRE(f);
    CHECK(f->type == w.type);
    CHECK(f->payload == w.payload);
  }
  CHECK_FALSE(r.pop());
}

}  // namespace

TEST_CASE("a frame is a big-endian length, version 1, the type and the payload", "[wire]") {
  auto ack = wire::encode_frame(wire::MessageType::ack, unhex("0000000000000102"));
  CHECK(hex(ack) == hex(unhex("0000000a 01 05 0000000000000102")));
  CHECK(hex(wire::encode_frame(wire::MessageType::hello, "")) == hex(unhex("00000002 01 01")));
}

TEST_CASE("the documented HELLO example is byte for byte what the encoder writes", "[wire]") {
  // docs/wire-protocol.md shows these bytes; keep both in step.
  std::string doc = unhex(
      "0000004a 01 01"
      "0003 733031"
      "000a 417369612f546f6b796f"
      "0020 3031323334353637383961626364656630313233343536373839616263646566"
      "0013 74656974656e2d73656e736f7220302e312e30");
  wire::Hello h{"s01", "Asia/Tokyo", "0123456789abcdef0123456789abcdef", "teiten-sensor 0.1.0"};
  CHECK(hex(wire::encode_frame(h)) == hex(doc));
  // The dump in the document itself: "0000  00 00 00 4a ...  ...J..." lines.
  std::ifstream in(std::string(TEITEN_TEST_DATA) + "/../../docs/wire-protocol.md");
  REQUIRE(in);
  std::string line, dumped;
  while (std::getline(in, line)) {
    bool dump_line = line.size() > 6 && line.compare(4, 2, "  ") == 0 &&
                     std::all_of(line.begin(), line.begin() + 4, ::isxdigit);
    if (dump_line) dumped += unhex(line.substr(6, 48));
  }
  CHECK(hex(dumped) == hex(doc));
}

TEST_CASE("frame header lengths 2..max are accepted without allocating", "[wire]") {
  const uint32_t max = 16u << 20;
  for (uint32_t length : {2u, 3u, max - 1, max}) {
    uint8_t h[4];
    header_of(length, h);
    test::AllocationScope scope;
    auto got = wire::parse_frame_header(h, max);
    auto seen = scope.since();
    REQUIRE(got);
    CHECK(*got == length);
    CHECK(seen.calls == 0);
  }
  uint8_t all_ones[4] = {0xFF, 0xFF, 0xFF, 0xFF};
  auto widest = wire::parse_frame_header(all_ones, 0xFFFFFFFFu);
  REQUIRE(widest);
  CHECK(*widest == 0xFFFFFFFFu);
}

TEST_CASE("frame header lengths 0, 1, max+1 and 4 GiB are refused from the header alone",
          "[wire]") {
  const uint32_t max = 16u << 20;
  struct Case {
    uint32_t length;
    const char* says;
  };
  for (Case c : {Case{0, "too short"}, Case{1, "too short"}, Case{max + 1, "exceeds the maximum"},
                 Case{0xFFFFFFFFu, "exceeds the maximum"}}) {
    uint8_t h[4];
    header_of(c.length, h);
    test::AllocationScope scope;
    auto got = wire::parse_frame_header(h, max);
    auto seen = scope.since();
    REQUIRE_FALSE(got);
    CHECK_THAT(got.error(), Contains(c.says));
    // Only the error message is allocated, never anything near the length.
    CHECK(seen.largest < 256);
  }
}

TEST_CASE("a frame body with another version, an unknown type or no type is refused", "[wire]") {
  CHECK_THAT(wire::decode_frame_body(unhex("0001")).error(), Contains("protocol version 0"));
  CHECK_THAT(wire::decode_frame_body(unhex("0201")).error(), Contains("protocol version 2"));
  CHECK_THAT(wire::decode_frame_body(unhex("ff01")).error(), Contains("protocol version 255"));
  CHECK_THAT(wire::decode_frame_body(unhex("0100")).error(), Contains("unknown message type 0"));
  CHECK_THAT(wire::decode_frame_body(unhex("0107")).error(), Contains("unknown message type 7"));
  CHECK_THAT(wire::decode_frame_body(unhex("01ff")).error(), Contains("unknown message type 255"));
  CHECK_THAT(wire::decode_frame_body(unhex("01")).error(), Contains("too short"));
  CHECK_THAT(wire::decode_frame_body("").error(), Contains("too short"));
  for (int t = 1; t <= 6; ++t) {
    std::string body = unhex("01") + static_cast<char>(t) + "xyz";
    auto f = wire::decode_frame_body(body);
    REQUIRE(f);
    CHECK(static_cast<int>(f->type) == t);
    CHECK(f->payload == "xyz");
  }
}

TEST_CASE("the frame reader fed one byte at a time yields every frame in order", "[wire]") {
  const uint32_t max = 4096;
  auto want = samples(max);
  std::string stream = stream_of(want);
  wire::FrameReader r(max);
  for (char c : stream) {
    r.feed(std::string_view(&c, 1));
    REQUIRE(r.buffered() <= max + 4);
  }
  CHECK_FALSE(r.failed());
  CHECK(r.ready() == want.size());
  require_frames(r, want);
  r.finish();
  CHECK_FALSE(r.failed());
}

TEST_CASE("the frame reader fed random chunks, several frames per chunk, yields every frame",
          "[wire]") {
  const uint32_t max = 4096;
  auto want = samples(max);
  std::string stream = stream_of(want) + stream_of(want);
  auto twice = want;
  twice.insert(twice.end(), want.begin(), want.end());
  for (unsigned seed = 1; seed <= 50; ++seed) {
    std::mt19937 rng(seed);
    // Chunks up to three frames long, so some chunks end mid-header and
    // others carry several whole frames.
    std::uniform_int_distribution<size_t> len(1, seed % 2 ? 16 : 3 * max);
    wire::FrameReader r(max);
    size_t at = 0;
    while (at < stream.size()) {
      size_t n = std::min(len(rng), stream.size() - at);
      r.feed(std::string_view(stream).substr(at, n));
      at += n;
      REQUIRE(r.buffered() <= max + 4);
    }
    REQUIRE_FALSE(r.failed());
    require_frames(r, twice);
  }
  wire::FrameReader whole(max);
  whole.feed(stream);
  require_frames(whole, twice);
}

TEST_CASE("a stream that ends inside a frame is reported as truncated", "[wire]") {
  std::string frame = wire::encode_frame(wire::MessageType::ack, unhex("0000000000000001"));
  for (size_t cut = 1; cut < frame.size(); ++cut) {
    wire::FrameReader r(1024);
    r.feed(std::string_view(frame).substr(0, cut));
    CHECK_FALSE(r.pop());
    CHECK_FALSE(r.failed());
    r.finish();
    REQUIRE(r.failed());
    CHECK_THAT(r.error(), Contains("truncated"));
  }
}

TEST_CASE("an oversized announced length fails at the header and buffers nothing more", "[wire]") {
  for (uint32_t length : {1025u, 0xFFFFFFFFu, 0u, 1u}) {
    uint8_t h[4];
    header_of(length, h);
    wire::FrameReader r(1024);
    test::AllocationScope scope;
    r.feed(std::string_view(reinterpret_cast<const char*>(h), 4));
    r.feed(std::string(100, 'x'));
    auto seen = scope.since();
    REQUIRE(r.failed());
    CHECK(r.buffered() <= 4);
    CHECK(seen.largest < 256);
  }
}

TEST_CASE("the frame reader's error is sticky and frames before it are still delivered", "[wire]") {
  wire::FrameReader r(1024);
  std::string good = wire::encode_frame(wire::MessageType::ack, unhex("0000000000000007"));
  std::string bad = unhex("00000003 02 05 00");  // version 2
  r.feed(good + bad + good);
  REQUIRE(r.failed());
  CHECK_THAT(r.error(), Contains("protocol version 2"));
  auto first = r.pop();
  REQUIRE(first);
  CHECK(first->type == wire::MessageType::ack);
  CHECK_FALSE(r.pop());
  std::string before = r.error();
  r.feed(good);
  r.finish();
  CHECK_FALSE(r.pop());
  CHECK(r.error() == before);
}

TEST_CASE("a frame announced at the maximum holds memory only for the bytes that arrived",
          "[wire]") {
  const uint32_t max = 16u << 20;
  uint8_t h[4];
  header_of(max, h);
  wire::FrameReader r(max);
  test::AllocationScope scope;
  r.feed(std::string_view(reinterpret_cast<const char*>(h), 4));
  r.feed(unhex("0104") + std::string(100, 'p'));
  auto seen = scope.since();
  CHECK_FALSE(r.failed());
  CHECK(r.buffered() == 4 + 102);
  CHECK(seen.bytes < 4096);
}

TEST_CASE("the longest valid HELLO is exactly kMaxHelloFrame; one byte more is refused",
          "[wire]") {
  wire::Hello longest{std::string(wire::kMaxSensorIdBytes, 's'),
                      std::string(wire::kMaxTimezoneBytes, 'z'),
                      std::string(wire::kDatabaseIdBytes, 'a'),
                      std::string(wire::kMaxSoftwareBytes, 'v')};
  std::string frame = wire::encode_frame(longest);
  CHECK(frame.size() == wire::kFrameHeaderBytes + wire::kMaxHelloFrame);
  wire::FrameReader r(wire::kMaxHelloFrame);
  r.feed(frame);
  REQUIRE(r.pop());
  uint8_t h[4];
  header_of(wire::kMaxHelloFrame + 1, h);
  r.feed(std::string_view(reinterpret_cast<const char*>(h), 4));
  CHECK(r.failed());
}

TEST_CASE("a raised maximum applies from the next header; held_bytes follows what is held",
          "[wire]") {
  wire::FrameReader r(wire::kMaxHelloFrame);
  CHECK(r.held_bytes() == 0);
  r.set_max_frame(1u << 20);
  uint8_t h[4];
  header_of(100'000, h);
  r.feed(std::string_view(reinterpret_cast<const char*>(h), 4));
  r.feed(unhex("0104") + std::string(5000, 'p'));
  CHECK_FALSE(r.failed());
  CHECK(r.held_bytes() >= 5002);
  CHECK(r.held_bytes() < 100'000);
  r.feed(std::string(100'000 - 5002, 'p'));
  CHECK(r.held_bytes() >= 100'000 - 2);  // a complete frame waits to be popped
  REQUIRE(r.pop());
  CHECK(r.held_bytes() == 0);
}
