// teiten::process privileges — a daemon started as root by hand gives up
// root right after the step that needs it (opening the capture), keeping
// only the capabilities named (CAP_NET_RAW for the sensor, so it can
// reopen the capture after a link flap), before it opens its database or
// sockets. Under systemd the unit's User= and AmbientCapabilities= do this
// instead and the process is not root, so nothing happens.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace teiten::process {

class PrivilegeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct DropResult {
  bool dropped = false;  ///< false: not root, nothing to do
  unsigned uid = 0, gid = 0;
};

/// When the process runs as root and `user` is set: switch to user/group
/// (group defaults to the user's primary group) and keep exactly `keep`
/// (e.g. {"cap_net_raw"}) as permitted and effective capabilities. Throws
/// PrivilegeError naming what failed. Not root, or no user: nothing changes.
DropResult drop_privileges(const std::string& user, const std::string& group,
                           const std::vector<std::string>& keep);

}  // namespace teiten::process
