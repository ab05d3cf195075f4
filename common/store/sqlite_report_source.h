// teiten::store SQLite report source: the ReportSource of a collector or
// sensor SQLite database, opened read-only (never created, never locked)
// with one read transaction held for the object's lifetime: every answer
// comes from the snapshot the database had when it was opened, while a
// daemon goes on writing through WAL.
#pragma once

#include <memory>
#include <string>

#include "common/store/report_source.h"
#include "common/store/store_error.h"

namespace teiten::store {

/// Throws StoreError: file missing or unreadable, not an SQLite database,
/// not a teiten database, or a schema newer than this program.
std::unique_ptr<ReportSource> open_sqlite_report_source(const std::string& path);

}  // namespace teiten::store
