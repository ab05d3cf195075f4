#include "common/process/privileges.h"

#include <grp.h>
#include <pwd.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace teiten::process {
namespace {

std::string os_error(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

void set_capabilities(const std::vector<std::string>& keep) {
  std::string text = "=";  // all cleared
  if (!keep.empty()) {
    text.clear();
    for (const auto& c : keep) text += (text.empty() ? "" : ",") + c;
    text += "=ep";
  }
  cap_t caps = cap_from_text(text.c_str());
  if (!caps) throw PrivilegeError("invalid capability list '" + text + "'");
  int rc = cap_set_proc(caps);
  cap_free(caps);
  if (rc != 0) throw PrivilegeError(os_error("cannot set capabilities " + text));
}

}  // namespace

DropResult drop_privileges(const std::string& user, const std::string& group,
                           const std::vector<std::string>& keep) {
  DropResult r;
  if (geteuid() != 0) return r;
  if (user.empty()) return r;
  errno = 0;
  const passwd* pw = getpwnam(user.c_str());
  if (!pw) throw PrivilegeError("process.user: no such user '" + user + "'");
  uid_t uid = pw->pw_uid;
  gid_t gid = pw->pw_gid;
  if (!group.empty()) {
    const ::group* gr = getgrnam(group.c_str());
    if (!gr) throw PrivilegeError("process.group: no such group '" + group + "'");
    gid = gr->gr_gid;
  }
  // Capabilities survive setuid only with KEEPCAPS; they are then trimmed
  // to `keep` so nothing else of root remains.
  if (prctl(PR_SET_KEEPCAPS, 1L, 0L, 0L, 0L) != 0)
    throw PrivilegeError(os_error("PR_SET_KEEPCAPS"));
  if (setgroups(1, &gid) != 0) throw PrivilegeError(os_error("setgroups"));
  if (setresgid(gid, gid, gid) != 0) throw PrivilegeError(os_error("setresgid"));
  if (setresuid(uid, uid, uid) != 0) throw PrivilegeError(os_error("setresuid"));
  set_capabilities(keep);
  if (prctl(PR_SET_KEEPCAPS, 0L, 0L, 0L, 0L) != 0)
    throw PrivilegeError(os_error("PR_SET_KEEPCAPS"));
  if (setuid(0) == 0) throw PrivilegeError("regained root after dropping privileges");
  r.dropped = true;
  r.uid = uid;
  r.gid = gid;
  return r;
}

}  // namespace teiten::process
