// teiten::pgstore PostgreSQL report source: the store::ReportSource of a
// collector database on a PostgreSQL server (teiten-report --db
// postgresql://...). It answers from one snapshot: a REPEATABLE READ, READ
// ONLY transaction opened with it and held for its lifetime, so a report
// made while collectors write never mixes two states, and it takes no lock
// a collector waits for. It needs only SELECT on teiten's tables (the
// teiten_report role of docs/postgresql.md).
//
// The volume (a month of rollup rows) comes by binary COPY of the tally
// partitions the month's days select; sums per port type and day are
// computed by the server. Sensors are indexed in byte order of their
// names, as the SQLite source does.
#pragma once

#include <memory>

#include "common/pgstore/pg_settings.h"
#include "common/store/report_source.h"

namespace teiten::pgstore {

/// Throws store::StoreError: the server cannot be reached, the database
/// holds no teiten schema, or one newer than this program.
std::unique_ptr<store::ReportSource> open_pg_report_source(const PgSettings& settings);

}  // namespace teiten::pgstore
