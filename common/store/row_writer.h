// teiten::store::RowWriter — the merge-upserts shared by sensor and
// collector databases: rows add accesses and widen first/last seen; day
// stats add counters and widen the packet span. Applying the same deltas
// in any grouping gives the same tables, which is what makes restarts and
// batching exact. Must run inside the caller's transaction.
//
// Rows are written kBatch at a time through one multi-row INSERT: SQLite
// spends most of a single-row statement's time outside the B-tree (bind,
// step, reset), and batching cut the cost per row about threefold here.
// Call finish() before committing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/store/database.h"
#include "common/tally/day_stats.h"
#include "common/tally/row.h"
#include "common/tally/sorted_rows.h"

namespace teiten::store {

class RowWriter {
 public:
  static constexpr size_t kBatch = 128;

  /// with_sensor: tables carry a `sensor` column (collector databases).
  RowWriter(Database& db, bool with_sensor);

  void write(const tally::Row& row, int64_t sensor = 0);
  void write(const tally::SortedV4& row, int64_t sensor = 0);
  void write(const tally::SortedV6& row, int64_t sensor = 0);
  /// Writes every row still buffered.
  void finish();
  void write_stats(base::Day day, const tally::DayStats& stats, int64_t sensor = 0);

 private:
  struct Pending {
    int64_t key, sensor;  ///< key: tally::order_key
    int64_t src_v4;       ///< -1 for IPv6
    std::string src_v6;   ///< RFC 5952 text, IPv6 only
    int64_t accesses, first_seen, last_seen;
  };
  void push(Pending p);
  void bind_row(Statement& st, int first_param, const Pending& p);

  bool with_sensor_;
  int per_row_;  // parameters per row
  Statement batch_;
  Statement single_;
  Statement stats_;
  Statement counter_;
  std::vector<Pending> pending_;
};

/// `INSERT INTO tally(<key columns>, accesses, first_seen, last_seen)`, and
/// the ON CONFLICT clause that merges a row into one with the same key:
/// the merge-upsert every write of rows uses.
std::string tally_insert_sql(bool with_sensor);
std::string tally_upsert_sql(bool with_sensor);

/// Binds a source as the schemas store it: IPv4 as integer, IPv6 as text.
void bind_src(Statement& st, int index, const base::IpAddress& src);
/// Reads a source column written by bind_src.
base::IpAddress column_src(const Statement& st, int col);

}  // namespace teiten::store
