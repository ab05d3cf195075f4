#include "common/store/lock_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "common/store/database.h"

namespace teiten::store {

LockFile::LockFile(const std::string& database_path) {
  std::string path = database_path + ".lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
  if (fd_ < 0) throw StoreError("cannot create lock file " + path + ": " + std::strerror(errno), 0);
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    char buf[32] = {};
    ssize_t n = ::pread(fd_, buf, sizeof buf - 1, 0);
    std::string holder = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
    ::close(fd_);
    fd_ = -1;
    if (err == EWOULDBLOCK)
      throw StoreError("database " + database_path + " is in use by another process" +
                           (holder.empty() ? "" : " (pid " + holder + ")"),
                       0);
    throw StoreError("cannot lock " + path + ": " + std::strerror(err), 0);
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) == 0) {
    [[maybe_unused]] auto w = ::pwrite(fd_, pid.data(), pid.size(), 0);
  }
}

LockFile::LockFile(LockFile&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}

LockFile::~LockFile() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace teiten::store
