#include "common/config/text_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace teiten::config::detail {

bool read_text_file(const std::string& path, std::string& out, std::string& reason) {
  out.clear();
  if (path.empty()) {
    reason = "no file name given";
    return false;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    reason = std::strerror(errno);
    return false;
  }
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      reason = std::strerror(errno);  // EISDIR for a directory
      ::close(fd);
      return false;
    }
    if (out.size() + static_cast<size_t>(n) > max_text_file) {
      reason = "larger than " + std::to_string(max_text_file >> 20) + " MiB";
      ::close(fd);
      return false;
    }
    out.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return true;
}

}  // namespace teiten::config::detail
