#include "common/wire/messages.h"

#include <catch2/catch.hpp>
#include <functional>

#include "common/wire/byte_writer.h"
#include "common/wire/frame_reader.h"
#include "wire/wire_test_support.h"

using namespace teiten;
using Catch::Matchers::Contains;
using test::hex;
using test::unhex;

namespace {

const std::string kDb = "0123456789abcdef0123456789abcdef";

std::vector<wire::Message> one_of_each() {
  return {wire::Hello{"s01", "Asia/Tokyo", kDb, "teiten-sensor 0.1.0"},
          wire::Welcome{42, "teiten-collector 0.1.0"},
          wire::Refuse{wire::RefuseCode::timezone_mismatch, "fleet zone is UTC, not Asia/Tokyo"},
          wire::Batch{"s01", kDb, 7, std::string("\x00\x00\x00\x00\x00\x00\x00\x00", 8)},
          wire::Ack{7},
          wire::ErrorReply{wire::ErrorCode::storage, "database is locked; retry later"}};
}

// A payload built field by field, to say exactly what a peer might send.
struct Payload {
  std::string bytes;
  wire::ByteWriter w{bytes};
  Payload& str(std::string_view s) {
    w.string(s);
    return *this;
  }
  Payload& u16(uint16_t v) {
    w.u16(v);
    return *this;
  }
  Payload& u64(uint64_t v) {
    w.u64(v);
    return *this;
  }
  Payload& raw(std::string_view s) {
    w.bytes(s.data(), s.size());
    return *this;
  }
};

std::string hello_with(std::string_view id, std::string_view zone, std::string_view db,
                       std::string_view software) {
  return Payload{}.str(id).str(zone).str(db).str(software).bytes;
}

using Decoder = std::function<std::string(std::string_view)>;
template <class M>
Decoder error_of(wire::Decoded<M> (*decode)(std::string_view)) {
  return [decode](std::string_view p) {
    auto d = decode(p);
    return d ? std::string() : d.error();
  };
}

}  // namespace

TEST_CASE("every message survives encode_frame, the frame reader and decode_message", "[wire]") {
  auto all = one_of_each();
  std::string stream;
  for (const auto& m : all) stream += wire::encode_frame(m);
  wire::FrameReader r(1024);
  r.feed(stream);
  for (const auto& want : all) {
    auto frame = r.pop();
    REQUIRE(frame);
    CHECK(frame->type == wire::type_of(want));
    auto got = wire::decode_message(*frame);
    REQUIRE(got);
    CHECK(*got == want);
  }
  CHECK_FALSE(r.pop());
}

TEST_CASE("message payloads have the documented layout", "[wire]") {
  // Hex written by hand from docs/wire-protocol.md; spaces separate fields.
  auto same = [](const std::string& bytes, std::string_view want) {
    return hex(bytes) == hex(unhex(want));
  };
  CHECK(same(wire::encode_payload(wire::Welcome{42, "c"}), "000000000000002a 0001 63"));
  CHECK(same(wire::encode_payload(wire::Refuse{wire::RefuseCode::timezone_mismatch, "tz"}),
             "0003 0002 747a"));
  CHECK(same(wire::encode_payload(wire::Ack{5}), "0000000000000005"));
  CHECK(same(wire::encode_payload(wire::ErrorReply{wire::ErrorCode::storage, ""}), "0001 0000"));
  CHECK(same(wire::encode_payload(wire::Batch{"s1", kDb, 1, "ab"}),
             "0002 7331 0020" + hex(kDb) + "0000000000000001 6162"));
}

TEST_CASE("each payload decoder reads back exactly what its encoder wrote", "[wire]") {
  wire::Hello h{"sensor-01.tokyo_a", "America/Argentina/Buenos_Aires", kDb, ""};
  CHECK(*wire::decode_hello(wire::encode_payload(h)) == h);
  wire::Welcome w{0, ""};
  CHECK(*wire::decode_welcome(wire::encode_payload(w)) == w);
  wire::Welcome w_max{(uint64_t{1} << 63) - 1, "x"};
  CHECK(*wire::decode_welcome(wire::encode_payload(w_max)) == w_max);
  for (uint16_t c = 1; c <= 5; ++c) {
    wire::Refuse m{static_cast<wire::RefuseCode>(c), std::string(1024, 'r')};
    CHECK(*wire::decode_refuse(wire::encode_payload(m)) == m);
  }
  for (uint16_t c = 1; c <= 2; ++c) {
    wire::ErrorReply m{static_cast<wire::ErrorCode>(c), "\xe7\x82\xb9 UTF-8 is fine"};
    CHECK(*wire::decode_error_reply(wire::encode_payload(m)) == m);
  }
  wire::Batch empty_body{"s", kDb, 1, ""};
  CHECK(*wire::decode_batch(wire::encode_payload(empty_body)) == empty_body);
  CHECK(wire::decode_ack(wire::encode_payload(wire::Ack{1}))->seq == 1);
}

TEST_CASE("sensor id is 1..64 bytes of letters, digits, '.', '_' and '-'", "[wire]") {
  std::string tz = "UTC", sw = "v";
  CHECK(wire::decode_hello(hello_with(std::string(64, 'a'), tz, kDb, sw)));
  CHECK_THAT(wire::decode_hello(hello_with(std::string(65, 'a'), tz, kDb, sw)).error(),
             Contains("HELLO: sensor_id is 65 bytes, more than the 64 allowed"));
  CHECK_THAT(wire::decode_hello(hello_with("", tz, kDb, sw)).error(),
             Contains("sensor_id is 0 bytes"));
  CHECK_THAT(wire::decode_hello(hello_with("s 1", tz, kDb, sw)).error(),
             Contains("sensor_id has byte 32"));
  CHECK_THAT(wire::decode_hello(hello_with("s\n1", tz, kDb, sw)).error(), Contains("sensor_id"));
  auto batch = Payload{}.str(std::string(65, 'a')).str(kDb).u64(1).bytes;
  CHECK_THAT(wire::decode_batch(batch).error(), Contains("BATCH: sensor_id is 65 bytes"));
  CHECK_THROWS_AS(wire::encode_payload(wire::Hello{std::string(65, 'a'), tz, kDb, sw}),
                  std::invalid_argument);
  CHECK_THROWS_AS(wire::encode_payload(wire::Batch{"", kDb, 1, ""}), std::invalid_argument);
}

TEST_CASE("time zone is 1..64 bytes of an IANA name's alphabet", "[wire]") {
  std::string zone64 = "Etc/GMT+9/" + std::string(54, 'x');
  REQUIRE(zone64.size() == 64);
  CHECK(wire::decode_hello(hello_with("s", zone64, kDb, "")));
  CHECK_THAT(wire::decode_hello(hello_with("s", zone64 + "x", kDb, "")).error(),
             Contains("timezone is 65 bytes"));
  CHECK_THAT(wire::decode_hello(hello_with("s", "", kDb, "")).error(),
             Contains("timezone is 0 bytes"));
  CHECK_THAT(wire::decode_hello(hello_with("s", "Asia/Tokyo;", kDb, "")).error(),
             Contains("timezone has byte"));
  CHECK_THROWS_AS(wire::encode_payload(wire::Hello{"s", std::string(65, 'a'), kDb, ""}),
                  std::invalid_argument);
}

TEST_CASE("database id is exactly 32 lowercase hex digits", "[wire]") {
  CHECK_THAT(wire::decode_hello(hello_with("s", "UTC", kDb.substr(1), "")).error(),
             Contains("database_id is 31 bytes, not exactly 32"));
  CHECK_THAT(wire::decode_hello(hello_with("s", "UTC", kDb + "0", "")).error(),
             Contains("database_id is 33 bytes, more than the 32 allowed"));
  std::string upper = kDb;
  upper[10] = 'A';
  CHECK_THAT(wire::decode_hello(hello_with("s", "UTC", upper, "")).error(),
             Contains("database_id has byte 65 at index 10"));
  std::string not_hex = kDb;
  not_hex[0] = 'g';
  CHECK_THAT(wire::decode_hello(hello_with("s", "UTC", not_hex, "")).error(),
             Contains("database_id"));
  auto batch = Payload{}.str("s").str(upper).u64(1).bytes;
  CHECK_THAT(wire::decode_batch(batch).error(), Contains("BATCH: database_id"));
  CHECK_THROWS_AS(wire::encode_payload(wire::Batch{"s", upper, 1, ""}), std::invalid_argument);
}

TEST_CASE("software version is at most 64 printable bytes", "[wire]") {
  CHECK(wire::decode_hello(hello_with("s", "UTC", kDb, std::string(64, 'v'))));
  CHECK_THAT(wire::decode_hello(hello_with("s", "UTC", kDb, std::string(65, 'v'))).error(),
             Contains("software is 65 bytes"));
  CHECK_THAT(wire::decode_hello(hello_with("s", "UTC", kDb, "v\x01")).error(),
             Contains("software has byte 1"));
  auto welcome = Payload{}.u64(1).str(std::string(65, 'v')).bytes;
  CHECK_THAT(wire::decode_welcome(welcome).error(), Contains("WELCOME: software is 65 bytes"));
  CHECK_THROWS_AS(wire::encode_payload(wire::Welcome{1, std::string(65, 'v')}),
                  std::invalid_argument);
}

TEST_CASE("reasons and messages are at most 1024 bytes; longer ones are cut when encoding",
          "[wire]") {
  auto refuse = Payload{}.u16(1).str(std::string(1025, 'r')).bytes;
  CHECK_THAT(wire::decode_refuse(refuse).error(), Contains("REFUSE: reason is 1025 bytes"));
  auto error = Payload{}.u16(1).str(std::string(1025, 'm')).bytes;
  CHECK_THAT(wire::decode_error_reply(error).error(), Contains("ERROR: message is 1025 bytes"));
  CHECK(wire::decode_refuse(Payload{}.u16(1).str(std::string(1024, 'r')).bytes));

  auto cut = wire::decode_refuse(
      wire::encode_payload(wire::Refuse{wire::RefuseCode::overloaded, std::string(5000, 'r')}));
  REQUIRE(cut);
  CHECK(cut->reason == std::string(1024, 'r'));
  // A three-byte character straddling the limit is dropped whole.
  std::string text = std::string(1022, 'a') + "\xe7\x82\xb9" + "tail";
  auto utf8 = wire::decode_error_reply(
      wire::encode_payload(wire::ErrorReply{wire::ErrorCode::internal, text}));
  REQUIRE(utf8);
  CHECK(utf8->message == std::string(1022, 'a'));
}

TEST_CASE("the longest reply a collector sends is exactly the sensor's reply frame limit",
          "[wire]") {
  const std::string long_text(5000, 'x');  // cut to kMaxReasonBytes when encoded
  auto refuse = wire::encode_frame(wire::Refuse{wire::RefuseCode::protocol_error, long_text});
  auto error = wire::encode_frame(wire::ErrorReply{wire::ErrorCode::internal, long_text});
  auto welcome =
      wire::encode_frame(wire::Welcome{wire::kMaxCount, std::string(wire::kMaxSoftwareBytes, 'v')});
  CHECK(refuse.size() - wire::kFrameHeaderBytes == wire::kMaxReplyFrame);
  CHECK(error.size() - wire::kFrameHeaderBytes == wire::kMaxReplyFrame);
  CHECK(welcome.size() - wire::kFrameHeaderBytes <= wire::kMaxReplyFrame);
  CHECK(wire::encode_frame(wire::Ack{wire::kMaxCount}).size() - wire::kFrameHeaderBytes <=
        wire::kMaxReplyFrame);
}

TEST_CASE("refuse and error codes outside their tables are refused", "[wire]") {
  for (uint16_t c : {0, 6, 0xFFFF})
    CHECK_THAT(wire::decode_refuse(Payload{}.u16(c).str("").bytes).error(),
               Contains("REFUSE: code " + std::to_string(c) + " is not one of 1..5"));
  for (uint16_t c : {0, 3})
    CHECK_THAT(wire::decode_error_reply(Payload{}.u16(c).str("").bytes).error(),
               Contains("ERROR: code " + std::to_string(c) + " is not one of 1..2"));
  CHECK_THROWS_AS(wire::encode_payload(wire::Refuse{static_cast<wire::RefuseCode>(9), ""}),
                  std::invalid_argument);
  CHECK(wire::name(wire::RefuseCode::identity_mismatch) == "identity_mismatch");
  CHECK(wire::name(wire::ErrorCode::storage) == "storage");
}

TEST_CASE("sequence numbers are 1..2^63-1 in BATCH and ACK; WELCOME may say 0", "[wire]") {
  CHECK_THAT(wire::decode_ack(Payload{}.u64(0).bytes).error(), Contains("ACK: seq is 0"));
  CHECK_THAT(wire::decode_ack(Payload{}.u64(uint64_t{1} << 63).bytes).error(),
             Contains("exceeds 2^63-1"));
  CHECK_THAT(wire::decode_batch(Payload{}.str("s").str(kDb).u64(0).bytes).error(),
             Contains("BATCH: seq is 0"));
  CHECK_THAT(wire::decode_welcome(Payload{}.u64(~uint64_t{0}).str("").bytes).error(),
             Contains("WELCOME: last_seq"));
  CHECK(wire::decode_welcome(Payload{}.u64(0).str("").bytes));
  CHECK_THROWS_AS(wire::encode_payload(wire::Ack{0}), std::invalid_argument);
  CHECK_THROWS_AS(wire::encode_payload(wire::Batch{"s", kDb, 0, ""}), std::invalid_argument);
}

TEST_CASE("bytes after a message's last field are refused, except a BATCH's body", "[wire]") {
  auto all = one_of_each();
  CHECK_THAT(wire::decode_hello(wire::encode_payload(std::get<wire::Hello>(all[0])) + "x").error(),
             Contains("1 unexpected bytes after the end of HELLO"));
  CHECK_THAT(
      wire::decode_welcome(wire::encode_payload(std::get<wire::Welcome>(all[1])) + "x").error(),
      Contains("after the end of WELCOME"));
  CHECK_THAT(
      wire::decode_refuse(wire::encode_payload(std::get<wire::Refuse>(all[2])) + "x").error(),
      Contains("after the end of REFUSE"));
  CHECK_THAT(wire::decode_ack(wire::encode_payload(wire::Ack{1}) + "xy").error(),
             Contains("2 unexpected bytes after the end of ACK"));
  CHECK_THAT(
      wire::decode_error_reply(wire::encode_payload(std::get<wire::ErrorReply>(all[5])) + "x")
          .error(),
      Contains("after the end of ERROR"));
  auto batch = wire::decode_batch(wire::encode_payload(std::get<wire::Batch>(all[3])) + "x");
  REQUIRE(batch);
  CHECK(batch->body.size() == 9);
}

TEST_CASE("every message cut short at any byte is a truncation error", "[wire]") {
  std::vector<std::pair<std::string, Decoder>> cases = {
      {wire::encode_payload(wire::Hello{"s01", "UTC", kDb, "v1"}), error_of(wire::decode_hello)},
      {wire::encode_payload(wire::Welcome{3, "v"}), error_of(wire::decode_welcome)},
      {wire::encode_payload(wire::Refuse{wire::RefuseCode::overloaded, "busy"}),
       error_of(wire::decode_refuse)},
      {wire::encode_payload(wire::Batch{"s01", kDb, 9, ""}), error_of(wire::decode_batch)},
      {wire::encode_payload(wire::Ack{9}), error_of(wire::decode_ack)},
      {wire::encode_payload(wire::ErrorReply{wire::ErrorCode::internal, "oops"}),
       error_of(wire::decode_error_reply)},
  };
  for (const auto& [payload, error] : cases) {
    CHECK(error(payload).empty());
    for (size_t cut = 0; cut < payload.size(); ++cut) {
      INFO("cut at " << cut << " of " << hex(payload));
      CHECK_THAT(error(std::string_view(payload).substr(0, cut)), Contains("truncated"));
    }
  }
}

TEST_CASE("decode_message names the message type in its errors", "[wire]") {
  auto got = wire::decode_message(wire::FrameView{wire::MessageType::ack, "short"});
  REQUIRE_FALSE(got);
  CHECK_THAT(got.error(), Contains("ACK: truncated: seq needs 8 bytes at offset 0, 5 remain"));
  auto unknown = wire::decode_message(wire::FrameView{static_cast<wire::MessageType>(9), ""});
  CHECK_THAT(unknown.error(), Contains("unknown message type 9"));
}
