// teiten::store::StoreError — every failure of the store library: SQLite's,
// the lock file's, and a database that belongs elsewhere. It carries
// SQLite's extended result code so callers can tell a full disk from
// corruption without including sqlite3.h (nothing above the store does).
#pragma once

#include <stdexcept>
#include <string>

namespace teiten::store {

class StoreError : public std::runtime_error {
 public:
  StoreError(const std::string& what, int code) : std::runtime_error(what), code_(code) {}
  /// SQLite extended result code, or 0 for errors that are not SQLite's.
  int code() const { return code_; }
  /// The file system (or the database's size limit) is full.
  bool disk_full() const;

 private:
  int code_;
};

/// The database can never be used by this program as configured: its
/// schema is newer than the program, or it counts days in another fleet
/// time zone. Unlike a server that is down, retrying cannot help; the
/// collector stops.
class StoreIncompatible : public StoreError {
 public:
  explicit StoreIncompatible(const std::string& what) : StoreError(what, 0) {}
};

}  // namespace teiten::store
