// Runs a function in a forked child and brings back what it returned, for
// tests of calls that change the whole process (its user, capabilities).
// The child must not use Catch2: it reports through its return value.
#pragma once

#include <functional>
#include <string>

namespace teiten::process::test {

struct ChildResult {
  int status = -1;     ///< exit status (0 when fn returned), or -1
  std::string output;  ///< what fn returned
};

/// Forks, runs fn in the child, sends its text back through a pipe. An
/// exception in the child becomes "exception: WHAT" with status 2.
ChildResult in_child(const std::function<std::string()>& fn);

}  // namespace teiten::process::test
