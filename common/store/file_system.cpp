#include "common/store/file_system.h"

#include <sys/stat.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/store/store_error.h"

namespace teiten::store {

std::optional<uint64_t> free_bytes_near(const std::string& database_path) {
  // The directory, not the file: it exists before the database does, and
  // SQLite's journal and WAL files live there too.
  auto dir = std::filesystem::path(database_path).parent_path();
  struct statvfs st {};
  if (::statvfs(dir.empty() ? "." : dir.c_str(), &st) != 0) return std::nullopt;
  return static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
}

const std::string& with_directory(const std::string& database_path) {
  auto dir = std::filesystem::path(database_path).parent_path();
  if (dir.empty()) return database_path;
  // Only the last level: a missing parent is a configuration mistake that
  // `-t` reports, not something to paper over with mkdir -p.
  if (::mkdir(dir.c_str(), 0750) == 0) {
    ::chmod(dir.c_str(), 0750);  // exact, whatever the umask
  } else if (errno != EEXIST) {
    throw StoreError("cannot create directory " + dir.string() + " for database " + database_path +
                         ": " + std::strerror(errno),
                     0);
  }
  return database_path;
}

}  // namespace teiten::store
