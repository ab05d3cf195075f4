// Test support: PostgreSQL servers for the pgstore tests, started by
// tests/support/pg_server.py (initdb + pg_ctl in a temporary directory,
// as `nobody` when root).
//
// The shared server is the ctest fixture `teiten_pg` (pg_server_start ...
// pg_server_stop); each test takes a fresh database on it. A test that
// stops its server runs its own PrivatePgServer. Without a server the test
// fails when run as root (CI must not pass without PostgreSQL) and exits
// 77 (ctest: skipped) otherwise.
#pragma once

#include <string>

#include "support/temp_dir.h"

namespace teiten::test {

/// conninfo of a new, empty database on the shared server.
std::string fresh_pg_database();

/// A server of its own, removed with the object.
class PrivatePgServer {
 public:
  PrivatePgServer();
  ~PrivatePgServer();
  PrivatePgServer(const PrivatePgServer&) = delete;
  PrivatePgServer& operator=(const PrivatePgServer&) = delete;

  /// Unix-socket conninfo for `dbname` (superuser, trusted).
  std::string conninfo(const std::string& dbname = "postgres") const;
  /// Loopback TCP conninfo (needs a password).
  std::string tcp_conninfo(const std::string& dbname, const std::string& user) const;
  /// Creates role `user`, logging in with `password`, as the owner of a new
  /// database `dbname`; returns their tcp_conninfo (the password is not in it).
  std::string add_login(const std::string& user, const std::string& password,
                        const std::string& dbname);
  void pause();   ///< stops the server, keeping its data
  void resume();  ///< starts it again on the same port

 private:
  std::string state_;
  std::string dir_;
  int port_ = 0;
};

/// Runs SQL as the superuser on a conninfo (administration in tests).
void pg_admin(const std::string& conninfo, const std::string& sql);

/// Writes `text` to NAME in `dir` readable by its owner only (0600), as
/// storage.password_file must be; returns its path.
std::string write_password_file(const TempDir& dir, const std::string& name,
                                const std::string& text);

}  // namespace teiten::test
