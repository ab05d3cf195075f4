// teiten::pgstore — teiten's databases on a PostgreSQL server: the
// collector's storage (PgCollectorStore) and the report's read-only view,
// over libpq. Linked only by teiten-collector and teiten-report, never by
// the sensor.
//
// This header: a thin RAII layer over libpq. PgConnection owns one
// PGconn; statements run with text parameters (the few per batch) and bulk
// rows move by binary COPY (pg_copy.h). Every failure throws
// store::StoreError with the server's message and SQLSTATE, never the
// password. After a failure broken() tells a lost connection (reconnect)
// from a refused statement. Not thread-safe: one thread uses a connection.
//
// libpq rather than libpqxx: binary COPY in and out needs libpq's
// PQputCopyData/PQgetCopyData anyway (libpqxx 6.4's stream classes speak
// text), and the layer teiten needs is this small.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/pgstore/pg_settings.h"
#include "common/store/store_error.h"

struct pg_conn;
struct pg_result;

namespace teiten::pgstore {

/// One text parameter; nullopt is SQL NULL.
using Param = std::optional<std::string>;

class PgResult {
 public:
  explicit PgResult(pg_result* r);
  /// The command tag ("INSERT 0 5", "COMMIT", "ROLLBACK").
  std::string command() const;
  int rows() const;
  int columns() const;
  bool is_null(int row, int col) const;
  std::string text(int row, int col) const;
  int64_t int64(int row, int col) const;
  std::optional<int64_t> optional_int64(int row, int col) const;

 private:
  std::shared_ptr<pg_result> r_;
};

class PgConnection {
 public:
  /// Connects; throws StoreError saying why (server down, auth, ...).
  explicit PgConnection(const PgSettings& settings);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  /// Runs one or more statements without parameters; returns the last's command tag.
  std::string exec(const std::string& sql);
  /// Runs one statement with $1.. text parameters.
  PgResult query(const std::string& sql, const std::vector<Param>& params = {});
  /// Prepares a named statement on this connection, once.
  void prepare(const std::string& name, const std::string& sql);
  PgResult run_prepared(const std::string& name, const std::vector<Param>& params);

  /// COPY ... FROM STDIN with `data` as the whole stream.
  void copy_in(const std::string& copy_sql, std::string_view data);
  /// COPY ... TO STDOUT; each chunk libpq returns (one row in binary format).
  void copy_out(const std::string& copy_sql, const std::function<void(std::string_view)>& chunk);

  /// The connection is gone (server restart, network); make a new one.
  bool broken() const;
  /// Connected, outside any transaction, no command in progress: ready for
  /// the next call. False after a failure that left it half-way (a COPY cut
  /// short): such a connection is dropped rather than reused.
  bool idle() const;
  /// "PostgreSQL 15.18 (Debian 15.18-0+deb12u1)".
  std::string server_version() const;
  /// Where this connection goes, without secrets (settings' description).
  const std::string& description() const { return description_; }

 private:
  [[noreturn]] void fail(const std::string& what, pg_result* r = nullptr) const;
  PgResult check(pg_result* r, const std::string& what) const;

  pg_conn* conn_ = nullptr;
  std::string description_;
};

/// BEGIN on construction (READ COMMITTED unless `begin` says otherwise);
/// ROLLBACK unless commit() was called (errors while rolling back a broken
/// connection are ignored: the server rolls back when the session ends).
class PgTransaction {
 public:
  explicit PgTransaction(PgConnection& c, const std::string& begin = "BEGIN");
  ~PgTransaction();
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;
  void commit();

 private:
  PgConnection& c_;
  bool done_ = false;
};

/// "'text'" with quotes doubled, for the rare statement that cannot take a
/// parameter (DDL); never used for data.
std::string quote_literal(std::string_view text);

}  // namespace teiten::pgstore
