#include "common/store/database.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

namespace teiten::store {

bool StoreError::disk_full() const {
  return (code_ & 0xFF) == SQLITE_FULL;
}

void check(sqlite3* db, int rc, std::string_view context) {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
  std::string what(context);
  what += ": ";
  what += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (db) {
    const char* file = sqlite3_db_filename(db, "main");
    if (file && *file) what += std::string(" (") + file + ")";
  }
  throw StoreError(what, db ? sqlite3_extended_errcode(db) : rc);
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  check(db,
        sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &stmt_, nullptr),
        "prepare");
}

Statement::Statement(Statement&& o) noexcept : stmt_(std::exchange(o.stmt_, nullptr)), db_(o.db_) {}

Statement& Statement::operator=(Statement&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(o.stmt_, nullptr);
    db_ = o.db_;
  }
  return *this;
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int index, int64_t value) {
  check(db_, sqlite3_bind_int64(stmt_, index, value), "bind");
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  check(
      db_,
      sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT),
      "bind");
  return *this;
}

Statement& Statement::bind_blob(int index, const void* data, size_t size) {
  check(db_, sqlite3_bind_blob64(stmt_, index, data, size, SQLITE_TRANSIENT), "bind");
  return *this;
}

Statement& Statement::bind_null(int index) {
  check(db_, sqlite3_bind_null(stmt_, index), "bind");
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3_reset(stmt_);
  check(db_, rc, "step");
  return false;
}

void Statement::run() {
  step();
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Statement::column_int64(int col) const {
  return sqlite3_column_int64(stmt_, col);
}

std::string Statement::column_text(int col) const {
  auto* p = sqlite3_column_text(stmt_, col);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
           : std::string();
}

std::string Statement::column_blob(int col) const {
  auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
  return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
}

bool Statement::column_is_null(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

int Statement::column_type(int col) const {
  return sqlite3_column_type(stmt_, col);
}

int Statement::column_count() const {
  return sqlite3_column_count(stmt_);
}

Database::Database(const std::string& path, bool read_only,
                   const std::function<void(Database&)>& vet)
    : path_(path) {
  int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string what =
        "cannot open database " + path + ": " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
    int code = db_ ? sqlite3_extended_errcode(db_) : rc;
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError(what, code);
  }
  try {
    configure(read_only, vet);
  } catch (...) {
    sqlite3_close_v2(std::exchange(db_, nullptr));
    throw;
  }
}

void Database::configure(bool read_only, const std::function<void(Database&)>& vet) {
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, 5000);
  if (vet) vet(*this);
  if (!read_only) {
    require_writable();
    // WAL lets operators read with the sqlite3 shell while the daemon writes;
    // FULL makes a commit durable before anything is acknowledged.
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=FULL");
  }
  exec("PRAGMA foreign_keys=ON");
}

// SQLite opens a file it may not write read-only without a word and fails
// only at the first write: for a sensor, after a whole input was counted.
// access() names the reason (EACCES for mode 0444, EPERM for chattr +i,
// EROFS), for root too; the directory must take the -wal and -shm files.
void Database::require_writable() {
  auto refuse = [this](const std::string& what, const std::string& reason) {
    throw StoreError("database " + path_ + " cannot be written: " + what + reason, SQLITE_READONLY);
  };
  if (::access(path_.c_str(), W_OK) != 0 && errno != ENOENT) refuse("", std::strerror(errno));
  auto dir = std::filesystem::path(path_).parent_path();
  if (dir.empty()) dir = ".";
  if (::access(dir.c_str(), W_OK) != 0)
    refuse("its directory " + dir.string() + " (SQLite keeps its -wal and -shm files there): ",
           std::strerror(errno));
  if (sqlite3_db_readonly(db_, "main") == 1) refuse("", "SQLite opened it read-only");
}

Database::Database(Database&& o) noexcept
    : db_(std::exchange(o.db_, nullptr)), path_(std::move(o.path_)) {}

Database& Database::operator=(Database&& o) noexcept {
  if (this != &o) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(o.db_, nullptr);
    path_ = std::move(o.path_);
  }
  return *this;
}

Database::~Database() {
  sqlite3_close_v2(db_);
}

void Database::exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string what =
        std::string("exec: ") + (err ? err : sqlite3_errstr(rc)) + " (" + path_ + ")";
    sqlite3_free(err);
    throw StoreError(what, sqlite3_extended_errcode(db_));
  }
}

std::optional<int64_t> Database::query_int(std::string_view sql) {
  Statement st = prepare(sql);
  if (!st.step() || st.column_is_null(0)) return std::nullopt;
  return st.column_int64(0);
}

int Database::user_version() {
  return static_cast<int>(query_int("PRAGMA user_version").value_or(0));
}

void Database::set_user_version(int v) {
  exec("PRAGMA user_version=" + std::to_string(v));
}

int32_t Database::application_id() {
  return static_cast<int32_t>(query_int("PRAGMA application_id").value_or(0));
}

void Database::set_application_id(int32_t id) {
  exec("PRAGMA application_id=" + std::to_string(id));
}

int64_t Database::size_bytes() {
  return query_int("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
      .value_or(0);
}

std::string Database::backend_version() {
  return std::string("SQLite ") + sqlite3_libversion();
}

Transaction::Transaction(Database& db) : db_(db) {
  db_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
  if (!done_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace teiten::store
