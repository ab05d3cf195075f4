#include "common/base/byte_reader.h"

#include <catch2/catch.hpp>

using teiten::base::ByteReader;

TEST_CASE("the byte reader never reads past its end", "[base]") {
  const uint8_t data[] = {0x12, 0x34, 0x56, 0x78, 0x9a};
  ByteReader r(data, sizeof data);
  uint32_t v32 = 0;
  uint16_t v16 = 0;
  uint8_t v8 = 0;
  REQUIRE(r.read_u32(v32));
  CHECK(v32 == 0x12345678u);
  CHECK_FALSE(r.read_u16(v16));
  CHECK(r.position() == 4);
  REQUIRE(r.read_u8(v8));
  CHECK(v8 == 0x9a);
  CHECK_FALSE(r.read_u8(v8));
  CHECK_FALSE(r.skip(1));
  CHECK(r.remaining() == 0);

  ByteReader s(data, sizeof data);
  CHECK_FALSE(s.skip(SIZE_MAX));
  CHECK(s.peek_u16(3, v16));
  CHECK(v16 == 0x789a);
  CHECK_FALSE(s.peek_u16(4, v16));
  CHECK_FALSE(s.peek_u16(SIZE_MAX, v16));
  CHECK_FALSE(s.peek_u8(5, v8));
  auto sub = s.sub(2);
  CHECK(sub.remaining() == 2);
  s.limit(3);
  CHECK(s.remaining() == 3);
  CHECK(s.sub(100).remaining() == 3);
}
