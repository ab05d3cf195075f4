// teiten::store::FlushRowsTable — one flush's sorted rows as an SQLite
// virtual table, so the sensor commits them with one
// `INSERT INTO tally SELECT ... FROM teiten_flush_rows ... ON CONFLICT`:
// SQLite's own bulk upsert path, the one scripts/bench measures as the
// small-sensor mix's limit, instead of binding five parameters per row
// into 128-row VALUES statements. (On a heavily loaded machine two bench
// runs each way showed 1.98x and 2.49x the limit before, 1.88x and 2.23x
// after: not yet distinguishable from noise; measure on a quiet one.)
//
// The table is eponymous and read-only; it yields the rows handed to
// scan() in the order given (the databases' primary-key order,
// tally/sorted_rows.h), IPv4 sources as integers and IPv6 as RFC 5952
// text, as the schemas store them. Not thread-safe: one per connection.
#pragma once

#include "common/store/database.h"
#include "common/tally/sorted_rows.h"

namespace teiten::store {

class FlushRowsTable {
 public:
  static constexpr const char* kName = "teiten_flush_rows";

  /// Registers the module on db (once per connection).
  explicit FlushRowsTable(Database& db);

  /// Rows the next scan of the table yields; they must outlive it.
  void scan(const tally::SortedRows* rows) { rows_ = rows; }
  const tally::SortedRows* rows() const { return rows_; }

 private:
  const tally::SortedRows* rows_ = nullptr;
};

}  // namespace teiten::store
