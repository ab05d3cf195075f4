// teiten::store::RowWriter — the merge-upserts shared by sensor and
// collector databases: rows add accesses and widen first/last seen; day
// stats add counters and widen the packet span. Applying the same deltas
// in any grouping gives the same tables, which is what makes restarts and
// batching exact. Must run inside the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>

#include "common/store/database.h"
#include "common/tally/day_stats.h"
#include "common/tally/row.h"

namespace teiten::store {

class RowWriter {
 public:
  /// with_sensor: tables carry a `sensor` column (collector databases).
  RowWriter(Database& db, bool with_sensor);

  void write(const tally::Row& row, int64_t sensor = 0);
  void write_stats(base::Day day, const tally::DayStats& stats, int64_t sensor = 0);

 private:
  bool with_sensor_;
  Statement row_;
  Statement stats_;
  Statement counter_;
};

/// Binds a source as the schemas store it: IPv4 as integer, IPv6 as text.
void bind_src(Statement& st, int index, const base::IpAddress& src);
/// Reads a source column written by bind_src.
base::IpAddress column_src(const Statement& st, int col);

}  // namespace teiten::store
