#include "common/config/text_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace teiten::config::detail {
namespace {

std::string file_type(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a file";
}

}  // namespace

bool read_text_file(const std::string& path, std::string& out, std::string& reason) {
  out.clear();
  if (path.empty()) {
    reason = "no file name given";
    return false;
  }
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
  // writer forever (-t hung). Only regular files are read: a FIFO, device
  // or socket is a wrong path, not a configuration.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    reason = std::strerror(errno);
    return false;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    reason = S_ISDIR(st.st_mode) ? std::strerror(EISDIR)
                                 : "not a regular file (" + file_type(st.st_mode) + ")";
    ::close(fd);
    return false;
  }
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      reason = std::strerror(errno);
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
