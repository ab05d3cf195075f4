// drop_privileges in forked children, checked against /proc/self/status
// (what the kernel says the process is), not against libcap's view.
#include "common/process/privileges.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <sstream>

#include "child_process.h"

using namespace teiten::process;
using test::in_child;

namespace {

// The Uid, Gid, Groups and Cap* lines of /proc/self/status, tabs as spaces.
std::string proc_status() {
  std::ifstream in("/proc/self/status");
  std::string line, out;
  while (std::getline(in, line)) {
    auto key = line.substr(0, line.find(':'));
    if (key == "Uid" || key == "Gid" || key == "Groups" || key.rfind("Cap", 0) == 0) {
      for (auto& ch : line)
        if (ch == '\t') ch = ' ';
      out += line + "\n";
    }
  }
  return out;
}

std::map<std::string, std::string> fields(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    auto value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    value.erase(value.find_last_not_of(' ') + 1);
    out[line.substr(0, colon)] = value;
  }
  return out;
}

std::string ids(unsigned id) {
  auto s = std::to_string(id);
  return s + " " + s + " " + s + " " + s;
}

const passwd& nobody() {
  const passwd* pw = getpwnam("nobody");
  REQUIRE(pw);  // every Debian system has it
  return *pw;
}

}  // namespace

TEST_CASE("a process that is not root keeps its identity and capabilities", "[process]") {
  const passwd& pw = nobody();
  auto r = in_child([&pw] {
    // Root first becomes someone else, so the case runs as any user.
    if (geteuid() == 0 && setresuid(pw.pw_uid, pw.pw_uid, pw.pw_uid) != 0)
      return std::string("setup");
    std::string before = proc_status();
    auto dropped = drop_privileges("root", "root", {"cap_net_raw"});
    return std::string(dropped.dropped ? "dropped" : "kept") + "\n" +
           (before == proc_status() ? "unchanged" : "changed");
  });
  CHECK(r.status == 0);
  CHECK(r.output == "kept\nunchanged");
}

TEST_CASE("no user configured: root stays root", "[process]") {
  auto r = in_child([] {
    std::string before = proc_status();
    auto dropped = drop_privileges("", "", {});
    return std::string(dropped.dropped ? "dropped" : "kept") +
           (before == proc_status() ? " unchanged" : " changed");
  });
  CHECK(r.output == "kept unchanged");
}

TEST_CASE("root switches to the user and keeps exactly the capabilities named",
          "[.root][process]") {
  REQUIRE(geteuid() == 0);
  const passwd& pw = nobody();
  auto r = in_child([] {
    auto dropped = drop_privileges("nobody", "", {"cap_net_raw"});
    bool regained = setuid(0) == 0;
    return "dropped=" + std::to_string(dropped.dropped) + " uid=" + std::to_string(dropped.uid) +
           " regained=" + std::to_string(regained) + "\n" + proc_status();
  });
  REQUIRE(r.status == 0);
  INFO(r.output);
  auto f = fields(r.output.substr(r.output.find('\n') + 1));
  CHECK(r.output.rfind("dropped=1 uid=" + std::to_string(pw.pw_uid) + " regained=0", 0) == 0);
  CHECK(f["Uid"] == ids(pw.pw_uid));
  CHECK(f["Gid"] == ids(pw.pw_gid));
  CHECK(f["Groups"] == std::to_string(pw.pw_gid));
  // CAP_NET_RAW is capability 13: bit 0x2000, and nothing else.
  CHECK(f["CapPrm"] == "0000000000002000");
  CHECK(f["CapEff"] == "0000000000002000");
}

TEST_CASE("root keeping no capability ends with none; process.group picks the group",
          "[.root][process]") {
  REQUIRE(geteuid() == 0);
  const passwd& pw = nobody();
  const group* daemon_group = getgrnam("daemon");
  REQUIRE(daemon_group);
  gid_t gid = daemon_group->gr_gid;
  auto r = in_child([] {
    drop_privileges("nobody", "daemon", {});
    return proc_status();
  });
  REQUIRE(r.status == 0);
  INFO(r.output);
  auto f = fields(r.output);
  CHECK(f["Uid"] == ids(pw.pw_uid));
  CHECK(f["Gid"] == ids(gid));
  CHECK(f["Groups"] == std::to_string(gid));
  CHECK(f["CapPrm"] == "0000000000000000");
  CHECK(f["CapEff"] == "0000000000000000");
}

TEST_CASE("an unknown user or group is refused before anything changes", "[.root][process]") {
  REQUIRE(geteuid() == 0);
  auto r = in_child([] {
    std::string before = proc_status(), what;
    try {
      drop_privileges("no-such-user-teiten", "", {});
    } catch (const PrivilegeError& e) {
      what = e.what();
    }
    try {
      drop_privileges("nobody", "no-such-group-teiten", {});
    } catch (const PrivilegeError& e) {
      what += std::string("\n") + e.what();
    }
    return what + (before == proc_status() ? "\nunchanged" : "\nchanged");
  });
  CHECK(r.output ==
        "process.user: no such user 'no-such-user-teiten'\n"
        "process.group: no such group 'no-such-group-teiten'\nunchanged");
}
