// teiten::store schema — the tables and the views other programs rely on
// (README.md, "The database"): `rollup`, `coverage` and `counters`, identical in
// sensor and collector databases. Sensor databases hold one sensor (its id
// in meta); collector databases key every table by a sensor number.
#pragma once

#include <string>
#include <vector>

#include "common/store/database.h"

namespace teiten::store {

/// Statements of each schema version, in order; version N is index N-1.
const std::vector<std::string>& sensor_migrations();
const std::vector<std::string>& collector_migrations();

/// Applies the migrations the database has not seen, in one transaction.
/// Throws when the database is newer than this program.
void migrate(Database& db, const std::vector<std::string>& migrations, const std::string& what);

/// The tally tables key rows by k = day << 32 | proto << 24 | port << 8 |
/// kind (tally::order_key) and the source. The view tally_rows shows the
/// four as columns; these give the same expressions for other queries.
std::string key_columns_sql(const std::string& k);
/// "k in day ?1" as a key range, so SQLite searches instead of scanning.
std::string day_key_range_sql(const std::string& k);

/// SQL expressions shared by both schemas' views.
std::string day_text_sql(const std::string& column);    ///< day number -> 'YYYY-MM-DD'
std::string proto_text_sql(const std::string& column);  ///< 1..5 -> 'tcp'..'ip'
std::string kind_text_sql(const std::string& column);   ///< 1..3 -> 'probe'..'other'
std::string src_text_sql(const std::string& column);    ///< IPv4 integer or IPv6 text

}  // namespace teiten::store
