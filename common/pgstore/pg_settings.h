// teiten::pgstore settings — where a PostgreSQL database is and how to log
// in, as the collector's `storage.postgres` / `storage.password_file` keys
// and teiten-report's `--db postgresql://...` give them.
//
// Passwords never travel in the connection string: a conninfo or URI that
// carries one (password=, postgresql://user:secret@..., sslpassword=) is
// refused, because the configuration file, the command line, the logs and
// the status replies all show it. A password comes from password_file
// (read at each connect, so a rotated one is picked up), or libpq's own
// PGPASSFILE / ~/.pgpass / PGPASSWORD. description() is what logs and
// status may print.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace teiten::pgstore {

struct PgSettings {
  PgSettings(std::string conninfo_, std::string password_file_ = "",  // NOLINT: implicit
             std::string application_name_ = "teiten")
      : conninfo(std::move(conninfo_)),
        password_file(std::move(password_file_)),
        application_name(std::move(application_name_)) {}

  std::string conninfo;       ///< libpq "key=value ..." or a postgresql:// URI, no password
  std::string password_file;  ///< optional: its first line is the password
  std::string application_name;
};

/// Why a conninfo cannot be used (does not parse, or holds a password),
/// checked without connecting; empty when it is fine. Never quotes a password.
std::string conninfo_problem(const std::string& conninfo);

/// "postgresql host=... port=... dbname=... user=..." — only the
/// parameters that say where, never a secret.
std::string describe(const PgSettings& settings);

/// True for what teiten-report's --db means as PostgreSQL rather than a
/// file: a postgres:// or postgresql:// URI, or a key=value conninfo.
bool is_postgres_location(std::string_view db);

/// The password from settings.password_file (first line, without its line
/// end); empty when no file is set. Throws store::StoreError naming the
/// file (never its content) when it cannot be read or others may read it.
std::string read_password(const PgSettings& settings);

}  // namespace teiten::pgstore
