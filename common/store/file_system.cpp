#include "common/store/file_system.h"

#include <sys/statvfs.h>

#include <filesystem>

namespace teiten::store {

std::optional<uint64_t> free_bytes_near(const std::string& database_path) {
  // The directory, not the file: it exists before the database does, and
  // SQLite's journal and WAL files live there too.
  auto dir = std::filesystem::path(database_path).parent_path();
  struct statvfs st {};
  if (::statvfs(dir.empty() ? "." : dir.c_str(), &st) != 0) return std::nullopt;
  return static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
}

}  // namespace teiten::store
