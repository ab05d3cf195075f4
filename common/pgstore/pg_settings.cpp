#include "common/pgstore/pg_settings.h"

#include <libpq-fe.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>

#include "common/store/store_error.h"

namespace teiten::pgstore {
namespace {

using Options = std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)>;

// Parses without connecting; `error` gets libpq's message on failure.
Options parse(const std::string& conninfo, std::string& error) {
  char* err = nullptr;
  Options opts(PQconninfoParse(conninfo.c_str(), &err), &PQconninfoFree);
  if (!opts) {
    error = err ? err : "out of memory";
    while (!error.empty() && (error.back() == '\n' || error.back() == ' ')) error.pop_back();
    PQfreemem(err);
  }
  return opts;
}

bool is_secret(std::string_view keyword) {
  return keyword == "password" || keyword == "sslpassword";
}

}  // namespace

std::string conninfo_problem(const std::string& conninfo) {
  if (conninfo.empty()) return "is empty (expected a libpq connection string or postgresql:// URI)";
  std::string error;
  auto opts = parse(conninfo, error);
  if (!opts) {
    // libpq quotes the offending text, which may be a password: say less.
    return "is not a libpq connection string or URI (" +
           std::string(error.find("password") == std::string::npos ? error : "malformed") + ")";
  }
  for (auto* o = opts.get(); o->keyword; ++o)
    if (is_secret(o->keyword) && o->val && *o->val)
      return std::string("holds a ") + o->keyword +
             "; passwords do not belong in the configuration or on command lines: use "
             "storage.password_file, PGPASSFILE or ~/.pgpass";
  return "";
}

std::string describe(const PgSettings& settings) {
  std::string error;
  auto opts = parse(settings.conninfo, error);
  if (!opts) return "postgresql (unparsable connection string)";
  std::string out = "postgresql";
  for (std::string_view k : {"host", "hostaddr", "port", "dbname", "user", "options", "service"})
    for (auto* o = opts.get(); o->keyword; ++o)
      if (o->keyword == k && o->val && *o->val) out += " " + std::string(k) + "=" + o->val;
  if (!settings.password_file.empty()) out += " password_file=" + settings.password_file;
  return out;
}

bool is_postgres_location(std::string_view db) {
  return db.starts_with("postgresql://") || db.starts_with("postgres://") ||
         db.find('=') != std::string_view::npos;
}

std::string read_password(const PgSettings& settings) {
  const auto& path = settings.password_file;
  if (path.empty()) return "";
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw store::StoreError(
        "cannot read storage.password_file " + path + ": " + std::strerror(errno), 0);
  if (st.st_mode & S_IRWXO) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%03o", static_cast<unsigned>(st.st_mode & 0777));
    throw store::StoreError("storage.password_file " + path + " is open to everyone (mode " + mode +
                                "): allow only its owner and group (chmod o-rwx)",
                            0);
  }
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line))
    throw store::StoreError("cannot read storage.password_file " + path, 0);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) throw store::StoreError("storage.password_file " + path + " is empty", 0);
  return line;
}

}  // namespace teiten::pgstore
