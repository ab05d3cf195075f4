#include "common/pgstore/pg_copy.h"

#include <catch2/catch.hpp>

#include "common/pgstore/pg_connection.h"
#include "pgstore/pg_test_server.h"
#include "support/rows.h"

using namespace teiten;

TEST_CASE("rows written by binary COPY read back through the server unchanged", "[pgstore]") {
  pgstore::PgConnection c(test::fresh_pg_database());
  c.exec(std::string("CREATE TABLE staged (") + pgstore::kStagingColumns + ")");
  std::vector<tally::Row> rows = {
      test::make_row(0, packet::Proto::ip, 0, packet::Kind::other, "0.0.0.0", 1, 0, 0),
      test::make_row(14791, packet::Proto::tcp, 445, packet::Kind::probe, "192.0.2.1", 3,
                     1277942400, 1277942460),
      test::make_row(65535, packet::Proto::udp, 65535, packet::Kind::backscatter,
                     "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", uint64_t{1} << 40, -5,
                     int64_t{1} << 40),
      test::make_row(14791, packet::Proto::icmpv6, 128, packet::Kind::probe, "::ffff:10.1.2.3", 1,
                     1, 2),
  };
  pgstore::CopyWriter w;
  for (const auto& r : rows) w.row(r);
  CHECK(w.rows() == rows.size());
  c.copy_in("COPY staged FROM STDIN (FORMAT binary)", w.finish());

  // The server's own reading of the bytes, as text: an oracle apart from CopyReader.
  auto text = c.query(
      "SELECT day::text, proto, port, kind, host(src), accesses, first_seen, last_seen"
      " FROM staged ORDER BY day, proto");
  REQUIRE(text.rows() == 4);
  CHECK(text.text(0, 0) == "1970-01-01");
  CHECK(text.text(1, 0) == "2010-07-01");
  CHECK(text.text(1, 4) == "192.0.2.1");
  CHECK(text.text(3, 0) == "2149-06-06");
  CHECK(text.text(3, 4) == "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff");
  CHECK(text.text(3, 5) == "1099511627776");
  CHECK(text.text(3, 6) == "-5");
  CHECK(text.text(2, 4) == "::ffff:10.1.2.3");

  std::vector<tally::Row> back;
  pgstore::CopyReader reader;
  c.copy_out(
      "COPY (SELECT day, proto, port, kind, src, accesses, first_seen, last_seen FROM staged)"
      " TO STDOUT (FORMAT binary)",
      [&](std::string_view chunk) {
        if (!reader.feed(chunk)) return;
        REQUIRE(reader.fields() == 8);
        tally::Row r;
        r.day = reader.date(0);
        r.proto = static_cast<packet::Proto>(reader.int16(1));
        r.port = static_cast<uint16_t>(reader.int32(2));
        r.kind = static_cast<packet::Kind>(reader.int16(3));
        r.src = reader.inet(4);
        r.accesses = static_cast<uint64_t>(reader.int64(5));
        r.first_seen = reader.int64(6);
        r.last_seen = reader.int64(7);
        back.push_back(r);
      });
  CHECK(back == rows);
}

TEST_CASE("a cut or malformed COPY stream is an error, never a read past it", "[pgstore]") {
  pgstore::CopyReader r;
  CHECK_THROWS_WITH(r.feed("PGCOPY"), Catch::Contains("no PGCOPY header"));
  std::string header("PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0", 19);
  pgstore::CopyReader cut;
  CHECK_FALSE(cut.feed(header));
  CHECK_THROWS_WITH(cut.feed(std::string("\0\1\0\0\0\x08\1\2", 8)),
                    Catch::Contains("field past the chunk"));
  pgstore::CopyReader many;
  CHECK_FALSE(many.feed(header));
  CHECK_THROWS_WITH(many.feed(std::string("\0\x40", 2)), Catch::Contains("field count"));
  pgstore::CopyReader ok;
  CHECK_FALSE(ok.feed(header));
  REQUIRE(ok.feed(std::string("\0\1\xff\xff\xff\xff", 6)));
  CHECK(ok.is_null(0));
  CHECK_THROWS_WITH(ok.int32(0), Catch::Contains("NULL"));
  CHECK_THROWS_WITH(ok.int32(1), Catch::Contains("no field 1"));
  CHECK_FALSE(ok.feed(std::string("\xff\xff", 2)));  // trailer
}
