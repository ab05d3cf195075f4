#include "common/pgstore/pg_connection.h"

#include <libpq-fe.h>

#include <algorithm>

namespace teiten::pgstore {
namespace {

std::string trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

struct ParamArrays {
  std::vector<const char*> values;
  explicit ParamArrays(const std::vector<Param>& params) {
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  }
};

}  // namespace

PgResult::PgResult(pg_result* r) : r_(r, &PQclear) {}

std::string PgResult::command() const {
  return PQcmdStatus(r_.get());
}

int PgResult::rows() const {
  return PQntuples(r_.get());
}

int PgResult::columns() const {
  return PQnfields(r_.get());
}

bool PgResult::is_null(int row, int col) const {
  return PQgetisnull(r_.get(), row, col) != 0;
}

std::string PgResult::text(int row, int col) const {
  return std::string(PQgetvalue(r_.get(), row, col),
                     static_cast<size_t>(PQgetlength(r_.get(), row, col)));
}

int64_t PgResult::int64(int row, int col) const {
  if (is_null(row, col)) throw store::StoreError("PostgreSQL returned NULL for a number", 0);
  return std::stoll(text(row, col));
}

std::optional<int64_t> PgResult::optional_int64(int row, int col) const {
  if (is_null(row, col)) return std::nullopt;
  return int64(row, col);
}

PgConnection::PgConnection(const PgSettings& settings) : description_(describe(settings)) {
  if (auto problem = conninfo_problem(settings.conninfo); !problem.empty())
    throw store::StoreError("PostgreSQL connection string " + problem, 0);
  std::string password = read_password(settings);
  // Later keywords win: the defaults come before the conninfo (expanded
  // from "dbname"), so what the operator wrote overrides them; the
  // password file comes after, and the conninfo holds none.
  std::vector<const char*> keys = {"connect_timeout",           "keepalives_idle",
                                   "keepalives_interval",       "keepalives_count",
                                   "fallback_application_name", "dbname"};
  std::vector<const char*> values = {
      "10", "30", "10", "3", settings.application_name.c_str(), settings.conninfo.c_str()};
  if (!password.empty()) {
    keys.push_back("password");
    values.push_back(password.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  conn_ = PQconnectdbParams(keys.data(), values.data(), 1);
  if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
    std::string why = conn_ ? trimmed(PQerrorMessage(conn_)) : "out of memory";
    PQfinish(conn_);
    conn_ = nullptr;
    throw store::StoreError("cannot connect to " + description_ + ": " + why, 0);
  }
  // Diagnostics and text forms must not depend on the server's or the
  // role's settings.
  exec("SET client_min_messages = warning; SET DateStyle = ISO; SET TimeZone = UTC");
}

PgConnection::~PgConnection() {
  PQfinish(conn_);
}

bool PgConnection::broken() const {
  return !conn_ || PQstatus(conn_) != CONNECTION_OK;
}

bool PgConnection::idle() const {
  return !broken() && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

std::string PgConnection::server_version() const {
  const char* v = PQparameterStatus(conn_, "server_version");
  return std::string("PostgreSQL ") + (v ? v : "?");
}

void PgConnection::fail(const std::string& what, pg_result* r) const {
  std::string message;
  std::string state;
  if (r) {
    message = trimmed(PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY));
    if (const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE)) state = s;
    PQclear(r);
  }
  if (message.empty()) message = trimmed(PQerrorMessage(conn_));
  std::string text = "PostgreSQL " + what + ": " + message;
  if (!state.empty()) text += " (SQLSTATE " + state + ")";
  if (broken()) text += " [connection lost]";
  throw store::StoreError(text, 0);
}

PgResult PgConnection::check(pg_result* r, const std::string& what) const {
  auto status = PQresultStatus(r);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(what, r);
  return PgResult(r);
}

std::string PgConnection::exec(const std::string& sql) {
  return check(PQexec(conn_, sql.c_str()), "statement failed").command();
}

PgResult PgConnection::query(const std::string& sql, const std::vector<Param>& params) {
  ParamArrays p(params);
  return check(PQexecParams(conn_, sql.c_str(), static_cast<int>(params.size()), nullptr,
                            p.values.data(), nullptr, nullptr, 0),
               "query failed");
}

void PgConnection::prepare(const std::string& name, const std::string& sql) {
  check(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr), "prepare " + name + " failed");
}

PgResult PgConnection::run_prepared(const std::string& name, const std::vector<Param>& params) {
  ParamArrays p(params);
  return check(PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()), p.values.data(),
                              nullptr, nullptr, 0),
               name + " failed");
}

void PgConnection::copy_in(const std::string& copy_sql, std::string_view data) {
  auto* r = PQexec(conn_, copy_sql.c_str());
  if (PQresultStatus(r) != PGRES_COPY_IN) fail("COPY failed", r);
  PQclear(r);
  // libpq buffers; hand it the stream in slices it copies without resizing much.
  constexpr size_t kSlice = 1 << 20;
  for (size_t at = 0; at < data.size(); at += kSlice) {
    size_t n = std::min(kSlice, data.size() - at);
    if (PQputCopyData(conn_, data.data() + at, static_cast<int>(n)) != 1) {
      // Leave COPY mode if the connection still can, so it is not wedged.
      PQputCopyEnd(conn_, "send failed");
      while (auto* rest = PQgetResult(conn_)) PQclear(rest);
      fail("COPY send failed");
    }
  }
  if (PQputCopyEnd(conn_, nullptr) != 1) fail("COPY end failed");
  check(PQgetResult(conn_), "COPY failed");
  while (auto* rest = PQgetResult(conn_)) PQclear(rest);
}

void PgConnection::copy_out(const std::string& copy_sql,
                            const std::function<void(std::string_view)>& chunk) {
  auto* r = PQexec(conn_, copy_sql.c_str());
  if (PQresultStatus(r) != PGRES_COPY_OUT) fail("COPY failed", r);
  PQclear(r);
  for (;;) {
    char* buf = nullptr;
    int n = PQgetCopyData(conn_, &buf, 0);
    if (n == -1) break;
    if (n < 0) fail("COPY receive failed");
    std::unique_ptr<char, decltype(&PQfreemem)> owned(buf, &PQfreemem);
    chunk(std::string_view(buf, static_cast<size_t>(n)));
  }
  check(PQgetResult(conn_), "COPY failed");
  while (auto* rest = PQgetResult(conn_)) PQclear(rest);
}

PgTransaction::PgTransaction(PgConnection& c, const std::string& begin) : c_(c) {
  c_.exec(begin);
}

PgTransaction::~PgTransaction() {
  if (done_ || c_.broken()) return;
  try {
    c_.exec("ROLLBACK");
  } catch (const std::exception&) {  // the session's end rolls back as well
  }
}

void PgTransaction::commit() {
  done_ = true;
  // A transaction that failed earlier answers COMMIT with ROLLBACK, not an error.
  if (auto tag = c_.exec("COMMIT"); tag != "COMMIT")
    throw store::StoreError("PostgreSQL rolled the transaction back (" + tag + ")", 0);
}

std::string quote_literal(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

}  // namespace teiten::pgstore
