// teiten::store file system facts about a database file, for status: how
// much room is left where it lives. Never throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace teiten::store {

/// Bytes an unprivileged writer may still use on the file system holding
/// `database_path` (its directory's), or nullopt when that cannot be read.
std::optional<uint64_t> free_bytes_near(const std::string& database_path);

}  // namespace teiten::store
