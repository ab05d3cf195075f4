#include "pgstore/pg_test_server.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>

#include "common/pgstore/pg_connection.h"

namespace teiten::test {
namespace {

std::string read_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

int read_port(const std::string& dir) {
  auto text = read_line(dir + "/port");
  return text.empty() ? 0 : std::stoi(text);
}

[[noreturn]] void no_server(const std::string& why) {
  if (::geteuid() == 0) FAIL("PostgreSQL is required and must run here (CI): " << why);
  WARN("skipped: " << why);
  std::exit(77);
}

int run_helper(const std::string& verb, const std::string& state) {
  std::string cmd = std::string(TEITEN_PYTHON) + " " + TEITEN_PG_SERVER + " " + verb + " '" +
                    state + "' >>'" + state + ".log' 2>&1";
  return std::system(cmd.c_str());
}

std::string socket_conninfo(const std::string& dir, int port, const std::string& dbname) {
  return "host=" + dir + " port=" + std::to_string(port) + " dbname=" + dbname + " user=teiten";
}

}  // namespace

void pg_admin(const std::string& conninfo, const std::string& sql) {
  pgstore::PgConnection c({conninfo, "", "teiten-test"});
  c.exec(sql);
}

std::string fresh_pg_database() {
  static const std::string dir = read_line(TEITEN_PG_STATE);
  if (dir.empty())
    no_server(std::string("no server: the ctest fixture pg_server_start writes ") +
              TEITEN_PG_STATE + " (run through ctest, or scripts/test)");
  static const int port = read_port(dir);
  static std::atomic<int> n{0};
  std::string name = "t" + std::to_string(::getpid()) + "_" + std::to_string(n++);
  pg_admin(socket_conninfo(dir, port, "postgres"), "CREATE DATABASE " + name);
  return socket_conninfo(dir, port, name);
}

PrivatePgServer::PrivatePgServer() {
  char tmpl[] = "/tmp/teiten-pgstate-XXXXXX";
  int fd = ::mkstemp(tmpl);
  if (fd < 0) FAIL("mkstemp failed");
  ::close(fd);
  state_ = tmpl;
  if (int rc = run_helper("start", state_); rc != 0) {
    auto log = read_line(state_ + ".log");
    bool missing = WEXITSTATUS(rc) == 77;
    ::unlink(state_.c_str());
    no_server(missing ? "PostgreSQL is not installed" : "cannot start PostgreSQL: " + log);
  }
  dir_ = read_line(state_);
  port_ = read_port(dir_);
}

PrivatePgServer::~PrivatePgServer() {
  run_helper("stop", state_);
  ::unlink((state_ + ".log").c_str());
}

std::string PrivatePgServer::conninfo(const std::string& dbname) const {
  return socket_conninfo(dir_, port_, dbname);
}

std::string PrivatePgServer::tcp_conninfo(const std::string& dbname,
                                          const std::string& user) const {
  return "host=127.0.0.1 port=" + std::to_string(port_) + " dbname=" + dbname + " user=" + user;
}

std::string write_password_file(const TempDir& dir, const std::string& name,
                                const std::string& text) {
  auto path = dir.write(name, text);
  REQUIRE(::chmod(path.c_str(), 0600) == 0);
  return path;
}

std::string PrivatePgServer::add_login(const std::string& user, const std::string& password,
                                       const std::string& dbname) {
  pg_admin(conninfo(), "CREATE ROLE " + user + " LOGIN PASSWORD '" + password + "'");
  pg_admin(conninfo(), "CREATE DATABASE " + dbname + " OWNER " + user);
  return tcp_conninfo(dbname, user);
}

void PrivatePgServer::pause() {
  REQUIRE(run_helper("pause", state_) == 0);
}

void PrivatePgServer::resume() {
  REQUIRE(run_helper("resume", state_) == 0);
}

}  // namespace teiten::test
