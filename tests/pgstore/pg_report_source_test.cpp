// The PostgreSQL report source beyond the shared contract
// (tests/store/report_source_contract_test.cpp): what it refuses, and the
// read-only role docs/postgresql.md sets up.
#include "common/pgstore/pg_report_source.h"

#include <catch2/catch.hpp>

#include "common/pgstore/pg_collector_store.h"
#include "pgstore/pg_test_server.h"
#include "support/rows.h"

using namespace teiten;

TEST_CASE("a PostgreSQL database without teiten's schema, or a newer one, is refused",
          "[pgstore][report]") {
  auto db = test::fresh_pg_database();
  CHECK_THROWS_WITH(pgstore::open_pg_report_source({db}),
                    Catch::Contains("holds no teiten database"));
  { pgstore::PgCollectorStore s({db}, "UTC"); }
  CHECK(pgstore::open_pg_report_source({db})->sensors().empty());
  CHECK_FALSE(pgstore::open_pg_report_source({db})->days());
  test::pg_admin(db, "INSERT INTO schema_version(version, software) VALUES(99, 'future')");
  CHECK_THROWS_WITH(pgstore::open_pg_report_source({db}), Catch::Contains("newer"));
  CHECK_THROWS_WITH(pgstore::open_pg_report_source({"host=/nonexistent-dir dbname=x"}),
                    Catch::Contains("cannot connect"));
}

TEST_CASE("the report role of docs/postgresql.md reads everything and can change nothing",
          "[pgstore][report]") {
  auto admin = test::fresh_pg_database();
  auto dbname = admin.substr(admin.find("dbname=") + 7);
  dbname = dbname.substr(0, dbname.find(' '));
  auto as = [&](const std::string& role) {
    auto c = admin;
    return c.replace(c.find("user=teiten"), 11, "user=" + role);
  };
  // The setup of docs/postgresql.md, on this test's database.
  for (const char* sql : {"CREATE ROLE teiten_collector LOGIN", "CREATE ROLE teiten_report LOGIN"})
    try {
      test::pg_admin(admin, sql);
    } catch (const store::StoreError&) {  // roles are cluster-wide: another test made them
    }
  test::pg_admin(admin, "ALTER DATABASE " + dbname + " OWNER TO teiten_collector");
  test::pg_admin(admin, "ALTER SCHEMA public OWNER TO teiten_collector");
  test::pg_admin(as("teiten_collector"),
                 "ALTER DEFAULT PRIVILEGES FOR ROLE teiten_collector GRANT SELECT ON TABLES TO "
                 "teiten_report");
  {
    pgstore::PgCollectorStore s({as("teiten_collector")}, "UTC");
    auto r = test::tcp_probe_row(14791, 445, 0x0A000001, 2, 0);
    s.apply("s01", std::string(32, 'a'), 1, {r}, {}, 1);
    r.day = 14791 + 40;  // a partition created after the grants
    s.apply("s01", std::string(32, 'a'), 2, {r}, {}, 2);
  }
  auto src = pgstore::open_pg_report_source({as("teiten_report")});
  CHECK(src->sensors() == std::vector<std::string>{"s01"});
  CHECK(src->port_day_totals({14791, 14791 + 40}).size() == 2);
  size_t rows = 0;
  src->for_each_row({14791, 14791 + 40}, packet::Kind::probe, [&](const auto&) { ++rows; });
  CHECK(rows == 2);
  CHECK_THROWS_WITH(test::pg_admin(as("teiten_report"), "DELETE FROM sensor_databases"),
                    Catch::Contains("permission denied"));
}
