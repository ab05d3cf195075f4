// Randomised robustness: valid bodies and frames mutated byte by byte and at
// random, run through the same properties as the fuzz target. Deterministic
// seeds, so a failure reproduces; run it under ASan/UBSan to catch what a
// plain build would not.
#include <catch2/catch.hpp>
#include <random>

#include "common/wire/batch_codec.h"
#include "common/wire/messages.h"
#include "fuzz/wire_properties.h"
#include "support/rows.h"
#include "wire/wire_test_support.h"

using namespace teiten;
using packet::Kind;
using packet::Proto;
using test::make_row;

namespace {

std::vector<std::string> valid_bodies() {
  std::vector<tally::Row> rows = {
      make_row(19000, Proto::tcp, 445, Kind::probe, "192.0.2.1", 3, 1641600000, 1641600100),
      make_row(19000, Proto::tcp, 445, Kind::probe, "2001:db8::1", 2, 1641600001, 1641600002),
      make_row(19001, Proto::udp, 53, Kind::backscatter, "198.51.100.7", 1, 5, 5),
      make_row(19001, Proto::icmpv6, 128, Kind::probe, "fe80::1", 9, 5, 50)};
  std::map<base::Day, tally::DayStats> days;
  days[19000] = test::full_stats(1);
  days[19001].packets = 4;
  days[19002].kernel_drops = 3;
  days[19002].capture_seconds = 60;
  return {wire::encode_batch_body(rows, days), wire::encode_batch_body(rows, {}),
          wire::encode_batch_body({}, days)};
}

std::vector<std::string> valid_frames() {
  const std::string db = "0123456789abcdef0123456789abcdef";
  std::string body = valid_bodies()[0];
  return {wire::encode_frame(wire::Hello{"s01", "Asia/Tokyo", db, "teiten-sensor 0.1.0"}),
          wire::encode_frame(wire::Welcome{12, "teiten-collector 0.1.0"}),
          wire::encode_frame(wire::Refuse{wire::RefuseCode::not_allowlisted, "s09 is not listed"}),
          wire::encode_frame(wire::Batch{"s01", db, 13, body}),
          wire::encode_frame(wire::Ack{13}) + wire::encode_frame(wire::Ack{14}),
          wire::encode_frame(wire::ErrorReply{wire::ErrorCode::storage, "disk full"})};
}

struct Outcomes {
  size_t inputs = 0;
  size_t bodies_accepted = 0;
  size_t bodies_refused = 0;
};

void check(const std::string& input, Outcomes& t) {
  ++t.inputs;
  std::string problem = fuzz::check_wire_input(input);
  if (!problem.empty()) FAIL(problem << " for input " << test::hex(input));
  if (wire::decode_batch_body(input))
    ++t.bodies_accepted;
  else
    ++t.bodies_refused;
}

std::string mutate(std::string s, std::mt19937& rng) {
  std::uniform_int_distribution<int> byte(0, 255), edits(1, 4), op(0, 4);
  for (int e = edits(rng); e > 0; --e) {
    size_t at = s.empty() ? 0 : std::uniform_int_distribution<size_t>(0, s.size() - 1)(rng);
    switch (op(rng)) {
      case 0:
        if (!s.empty()) s[at] = static_cast<char>(byte(rng));
        break;
      case 1:
        if (!s.empty()) s[at] = static_cast<char>(s[at] ^ (1 << (byte(rng) % 8)));
        break;
      case 2:
        s.insert(at, 1 + byte(rng) % 8, static_cast<char>(byte(rng)));
        break;
      case 3:
        s.erase(at, 1 + byte(rng) % 16);
        break;
      case 4:
        s = s.substr(0, at);
        break;
    }
  }
  return s;
}

}  // namespace

TEST_CASE("every single-byte change of valid bodies and frames keeps the decoders sound",
          "[wire][mutation]") {
  Outcomes t;
  auto inputs = valid_bodies();
  for (auto& f : valid_frames()) inputs.push_back(f);
  for (const auto& original : inputs) {
    check(original, t);
    for (size_t i = 0; i < original.size(); ++i) {
      for (int bit = 0; bit < 8; ++bit) {
        std::string m = original;
        m[i] = static_cast<char>(m[i] ^ (1 << bit));
        check(m, t);
      }
      for (int value : {0x00, 0xFF}) {
        std::string m = original;
        m[i] = static_cast<char>(value);
        check(m, t);
      }
    }
  }
  // Both outcomes occur, so the properties were checked on accepted bodies
  // (counts, timestamps and ports can change and stay valid) and refused ones.
  CHECK(t.bodies_accepted > 100);
  CHECK(t.bodies_refused > 1000);
}

TEST_CASE("random multi-byte edits of valid bodies and frames never break the decoders",
          "[wire][mutation]") {
  Outcomes t;
  auto inputs = valid_bodies();
  for (auto& f : valid_frames()) inputs.push_back(f);
  std::mt19937 rng(20240601);
  for (int i = 0; i < 20000; ++i) check(mutate(inputs[i % inputs.size()], rng), t);
  CHECK(t.inputs == 20000);
  CHECK(t.bodies_accepted > 0);
  CHECK(t.bodies_refused > 0);
}
