// teiten::store schema — the tables and the views other programs rely on
// (README.md, "The database"): `rollup`, `coverage` and `counters`, identical in
// sensor and collector databases. Sensor databases hold one sensor (its id
// in meta); collector databases key every table by a sensor number.
// A teiten database says whose it is with SQLite's application id; before
// anything is written, a file of another program, of the other daemon or
// of an unknown schema version is refused (README.md, "The database").
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/store/database.h"

namespace teiten::store {

/// One kind of teiten database.
struct Schema {
  std::string what;        ///< "sensor database", for messages
  int32_t application_id;  ///< PRAGMA application_id of this kind
  /// A table only this kind has: recognises its databases made before
  /// application ids were set.
  std::string own_table;
  /// Statements of each schema version, in order; version N is index N-1.
  std::vector<std::string> migrations;
};

const Schema& sensor_schema();
const Schema& collector_schema();

/// Throws StoreError unless `db` is empty or this kind's at a schema
/// version from 0 to the newest known. Reads only (a Database vet).
void vet(Database& db, const Schema& schema);

/// Applies the migrations the database has not seen and sets the
/// application id, in one transaction. Call after vet().
void migrate(Database& db, const Schema& schema);

/// A daemon's database for writing: vetted before anything is written,
/// refused when it cannot be written, then migrated. Throws StoreError.
std::unique_ptr<Database> open_store_database(const std::string& path, const Schema& schema);

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
