// teiten::store — a thin RAII layer over SQLite: Database, Statement,
// Transaction. Every failure throws StoreError carrying SQLite's extended
// result code (so callers can tell SQLITE_FULL from corruption) and the
// database path. Objects are not thread-safe: one thread owns a Database.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/store/store_error.h"

namespace teiten::store {

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, std::string_view sql);
  Statement(Statement&& o) noexcept;
  Statement& operator=(Statement&& o) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  /// Parameters are 1-based like SQLite's.
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, std::string_view text);
  Statement& bind_blob(int index, const void* data, size_t size);
  Statement& bind_null(int index);
  /// True while a row is available; false when done. Throws on error.
  bool step();
  /// Runs a statement that returns no rows, then resets it.
  void run();
  void reset();

  int64_t column_int64(int col) const;
  std::string column_text(int col) const;
  std::string column_blob(int col) const;
  bool column_is_null(int col) const;
  int column_type(int col) const;
  int column_count() const;

 private:
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_ = nullptr;
};

class Database {
 public:
  Database() = default;
  /// Opens (creating unless read_only). `vet` runs on the new connection
  /// before anything could write the file; what it throws leaves the file
  /// as it was. A writable open then refuses a file it cannot write (found
  /// now, not at the first commit) and sets WAL and FULL sync.
  Database(const std::string& path, bool read_only = false,
           const std::function<void(Database&)>& vet = {});
  Database(Database&& o) noexcept;
  Database& operator=(Database&& o) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  void exec(std::string_view sql);
  Statement prepare(std::string_view sql) { return Statement(db_, sql); }
  /// First column of the first row as an integer; nullopt without a row.
  std::optional<int64_t> query_int(std::string_view sql);
  int user_version();
  void set_user_version(int v);
  /// PRAGMA application_id: which program's file this is (0: none said).
  int32_t application_id();
  void set_application_id(int32_t id);
  /// Size of the main database file as SQLite sees it (pages x page size).
  int64_t size_bytes();
  /// "SQLite 3.40.1": the library this program runs with. Thread-safe.
  static std::string backend_version();
  const std::string& path() const { return path_; }
  sqlite3* handle() { return db_; }

 private:
  void configure(bool read_only, const std::function<void(Database&)>& vet);
  void require_writable();

  sqlite3* db_ = nullptr;
  std::string path_;
};

/// BEGIN IMMEDIATE on construction; ROLLBACK unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Database& db);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

/// Throws StoreError with SQLite's message for a non-OK result code.
void check(sqlite3* db, int rc, std::string_view context);

}  // namespace teiten::store
