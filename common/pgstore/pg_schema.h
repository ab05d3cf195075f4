// teiten::pgstore schema — the collector's tables in PostgreSQL, their
// versions, and the monthly partitions of the rollup table.
//
// The logical schema is the SQLite collector database's (common/store/
// schema.h): sensors, sensor_databases (the exactly-once record), tally,
// day_stats, day_counters, meta, and the `rollup`, `coverage` and
// `counters` views with the same columns and text forms (docs/
// postgresql.md). What differs is PostgreSQL's: sources are `inet`, days
// are `date`, and tally is partitioned by month on its day.
//
// migrate() creates and upgrades the schema in one transaction under an
// advisory lock, so collectors starting together on an empty database take
// turns; the `schema_version` table has one row per version applied.
// Partitions are created ahead (this month and the next) and on demand for
// any month a batch needs, 2010 included, each in its own short transaction
// and by ATTACH PARTITION, which locks the parent only against other DDL
// (SHARE UPDATE EXCLUSIVE), not against inserts or reports.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "common/base/day_clock.h"
#include "common/pgstore/pg_connection.h"

namespace teiten::pgstore {

/// Statements of each schema version; version N is index N-1.
const std::vector<std::string>& pg_migrations();

/// The database's schema version: 0 when it has no teiten schema yet.
int schema_version(PgConnection& c);

/// Problem with the database's version for this program (newer than it
/// knows), or empty.
std::string schema_version_problem(int version);

/// Creates or upgrades the schema, then checks the fleet time zone (the
/// first collector records it; another zone is refused). Throws
/// StoreIncompatible for a newer schema or another zone, StoreError else.
void migrate(PgConnection& c, const std::string& fleet_zone, const std::string& software);

/// A calendar month as year * 12 + (month - 1).
using Month = int;
Month month_of(base::Day day);
/// "tally_2010_07"
std::string partition_name(Month m);

/// The months that have a partition, as this process last saw them.
class Partitions {
 public:
  /// Reads the existing partitions from the catalog.
  void load(PgConnection& c);
  /// Makes sure each month has a partition (creating the missing ones).
  void ensure(PgConnection& c, const std::set<Month>& months);
  /// Forgets what was seen (after a reconnect: another server, a restore).
  void clear() { known_.clear(); }
  const std::set<Month>& known() const { return known_; }

 private:
  std::set<Month> known_;
};

}  // namespace teiten::pgstore
