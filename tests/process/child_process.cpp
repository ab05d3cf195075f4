#include "child_process.h"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <exception>

namespace teiten::process::test {

ChildResult in_child(const std::function<std::string()>& fn) {
  ChildResult r;
  int fds[2];
  if (::pipe(fds) != 0) return r;
  pid_t pid = ::fork();
  if (pid < 0) return r;
  if (pid == 0) {
    ::close(fds[0]);
    std::string out;
    int status = 0;
    try {
      out = fn();
    } catch (const std::exception& e) {
      out = std::string("exception: ") + e.what();
      status = 2;
    }
    for (size_t at = 0; at < out.size();) {
      ssize_t n = ::write(fds[1], out.data() + at, out.size() - at);
      if (n <= 0) break;
      at += static_cast<size_t>(n);
    }
    ::_exit(status);  // no atexit handlers, no Catch2 teardown in the child
  }
  ::close(fds[1]);
  std::array<char, 4096> buf;
  for (ssize_t n; (n = ::read(fds[0], buf.data(), buf.size())) > 0;)
    r.output.append(buf.data(), static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  if (::waitpid(pid, &status, 0) == pid && WIFEXITED(status)) r.status = WEXITSTATUS(status);
  return r;
}

}  // namespace teiten::process::test
