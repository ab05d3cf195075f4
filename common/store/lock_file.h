// teiten::store::LockFile — one process per database. An exclusive flock on
// "<database>.lock" held for the object's lifetime; the holder's pid is
// written into the file so the second process can say who has it. The
// kernel drops the lock when the process dies, even by kill -9.
#pragma once

#include <string>

namespace teiten::store {

class LockFile {
 public:
  /// Throws StoreError "database X is in use by another process (pid N)".
  explicit LockFile(const std::string& database_path);
  LockFile(LockFile&& o) noexcept;
  LockFile& operator=(LockFile&&) = delete;
  LockFile(const LockFile&) = delete;
  ~LockFile();

 private:
  int fd_ = -1;
};

}  // namespace teiten::store
