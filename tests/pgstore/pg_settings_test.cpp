#include "common/pgstore/pg_settings.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "common/pgstore/pg_connection.h"
#include "pgstore/pg_test_server.h"
#include "support/temp_dir.h"

using namespace teiten;
using pgstore::conninfo_problem;
using teiten::test::TempDir;

TEST_CASE("a connection string or URI without a password is accepted", "[pgstore]") {
  CHECK(conninfo_problem("host=/run/postgresql dbname=teiten user=collector") == "");
  CHECK(conninfo_problem("postgresql://collector@db.example:5433/teiten?sslmode=verify-full") ==
        "");
  CHECK(conninfo_problem("service=teiten") == "");
}

TEST_CASE("a password in the connection string is refused without being repeated", "[pgstore]") {
  for (const char* text :
       {"host=db dbname=teiten password=hunter2", "postgresql://collector:hunter2@db/teiten",
        "postgresql://collector@db/teiten?password=hunter2", "host=db sslpassword=hunter2"}) {
    INFO(text);
    auto problem = conninfo_problem(text);
    CHECK_THAT(problem, Catch::Contains("password") && Catch::Contains("password_file"));
    CHECK_THAT(problem, !Catch::Contains("hunter2"));
    CHECK_THROWS_WITH(pgstore::PgConnection(pgstore::PgSettings(text)),
                      Catch::Contains("password") && !Catch::Contains("hunter2"));
  }
  CHECK_THAT(conninfo_problem(""), Catch::Contains("empty"));
  CHECK_THAT(conninfo_problem("host='unterminated"), Catch::Contains("not a libpq"));
  CHECK_THAT(conninfo_problem("no_such_keyword=1"), Catch::Contains("not a libpq"));
}

TEST_CASE("the description says where, never how to log in", "[pgstore]") {
  CHECK(pgstore::describe({"postgresql://collector@db.example:5433/teiten?connect_timeout=3"}) ==
        "postgresql host=db.example port=5433 dbname=teiten user=collector");
  CHECK(pgstore::describe({"host=/tmp dbname=x", "/etc/teiten/pg.pw"}) ==
        "postgresql host=/tmp dbname=x password_file=/etc/teiten/pg.pw");
}

TEST_CASE("teiten-report's --db tells a PostgreSQL location from a file", "[pgstore]") {
  CHECK(pgstore::is_postgres_location("postgresql://db/teiten"));
  CHECK(pgstore::is_postgres_location("postgres://db/teiten"));
  CHECK(pgstore::is_postgres_location("host=/tmp dbname=teiten"));
  CHECK_FALSE(pgstore::is_postgres_location("/var/lib/teiten-collector/collector.db"));
  CHECK_FALSE(pgstore::is_postgres_location("collector.db"));
}

TEST_CASE("the password file: first line, owner and group only", "[pgstore]") {
  TempDir dir;
  auto file = dir.write("pw", "s3cret-Pass\nignored\n");
  ::chmod(file.c_str(), 0640);
  CHECK(pgstore::read_password({"", file}) == "s3cret-Pass");
  CHECK(pgstore::read_password({"", ""}) == "");
  ::chmod(file.c_str(), 0644);
  CHECK_THROWS_WITH(pgstore::read_password({"", file}), Catch::Contains("open to everyone") &&
                                                            Catch::Contains("644") &&
                                                            !Catch::Contains("s3cret"));
  CHECK_THROWS_WITH(pgstore::read_password({"", dir.file("missing")}),
                    Catch::Contains("cannot read storage.password_file"));
  auto empty = test::write_password_file(dir, "empty", "\n");
  CHECK_THROWS_WITH(pgstore::read_password({"", empty}), Catch::Contains("is empty"));
}

TEST_CASE("a password file logs in over TCP; a wrong password fails without being shown",
          "[pgstore]") {
  test::PrivatePgServer server;
  auto tcp = server.add_login("collector", "Right-Pass-1", "fleet");
  TempDir dir;
  auto right = test::write_password_file(dir, "right", "Right-Pass-1\n");
  auto wrong = test::write_password_file(dir, "wrong", "Wrong-Pass-2\n");
  pgstore::PgConnection ok({tcp, right});
  CHECK(ok.query("SELECT current_user").text(0, 0) == "collector");
  CHECK_THROWS_WITH(
      pgstore::PgConnection({tcp, wrong}),
      Catch::Contains("password authentication failed") && !Catch::Contains("Wrong-Pass-2"));
  // Without any password, the server asks for one (libpq's ~/.pgpass aside).
  setenv("PGPASSFILE", dir.file("none").c_str(), 1);
  CHECK_THROWS_WITH(pgstore::PgConnection(tcp), Catch::Contains("password"));
  unsetenv("PGPASSFILE");
}
