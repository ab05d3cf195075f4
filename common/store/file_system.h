// teiten::store file system facts about a database file: its directory,
// made when missing, and for status how much room is left where it lives.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace teiten::store {

/// Bytes an unprivileged writer may still use on the file system holding
/// `database_path` (its directory's), or nullopt when that cannot be read.
/// Never throws.
std::optional<uint64_t> free_bytes_near(const std::string& database_path);

/// Makes the database's directory, mode 0750, when it is missing and its
/// parent exists (what storage.path promises; `-t` checks the parent).
/// Returns `database_path`. Throws StoreError when mkdir fails.
const std::string& with_directory(const std::string& database_path);

}  // namespace teiten::store
