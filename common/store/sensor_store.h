// teiten::store::SensorStore — a sensor's local database: its rollup rows,
// per-day coverage and counters, and the outbox of batches frozen for the
// collector. Opening takes the database's lock (one process at a time),
// creates or migrates the schema, and checks the database belongs to this
// sensor and time zone. Not thread-safe: the sensor's store thread owns it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/store/lock_file.h"
#include "common/store/store_error.h"
#include "common/tally/sorted_rows.h"
#include "common/tally/tally_delta.h"

namespace teiten::store {

class Database;
class FlushRowsTable;

/// A batch as frozen in the outbox: its payload is sent byte for byte,
/// however many times it takes.
struct OutboxBatch {
  uint64_t seq = 0;
  int64_t created = 0;  ///< Unix seconds
  uint64_t rows = 0;
  base::Day min_day = 0;
  std::string payload;
};

struct OutboxState {
  uint64_t batches = 0;
  uint64_t rows = 0;
  std::optional<int64_t> oldest_created;  ///< Unix seconds of the oldest unacknowledged batch
  uint64_t next_seq = 1;
  uint64_t last_acked_seq = 0;
};

struct DaySummary {
  uint64_t rows = 0;
  std::array<uint64_t, 4> accesses{};  ///< by Kind
  std::array<uint64_t, 4> rows_by_kind{};
};

struct PortTotal {
  packet::Proto proto;
  uint16_t port;
  uint64_t accesses;
  uint64_t sources;
};

class SensorStore {
 public:
  /// Throws StoreError: database locked by another process, unreadable,
  /// created for another sensor id or time zone, or newer than this program.
  SensorStore(const std::string& path, const std::string& sensor_id, const std::string& zone);
  ~SensorStore();
  SensorStore(const SensorStore&) = delete;
  SensorStore& operator=(const SensorStore&) = delete;

  const std::string& path() const;
  /// 32 hex digits, random, made when the database was created.
  const std::string& database_id() const { return database_id_; }

  /// Commits a flush — its rows, in key order, and its day stats — and the
  /// batches frozen from it in one transaction; each batch gets the next
  /// sequence number. All or nothing.
  void commit(const tally::SortedRows& rows, const std::map<base::Day, tally::DayStats>& days,
              std::vector<OutboxBatch> batches = {});
  /// The same for a delta not yet sorted (tests, tools).
  void commit(const tally::TallyDelta& delta, std::vector<OutboxBatch> batches = {});

  /// The first unacknowledged batch with seq > after, or nullopt.
  std::optional<OutboxBatch> next_batch(uint64_t after);
  /// Deletes every batch with seq <= seq (the collector has committed them).
  void acknowledge(uint64_t seq);
  OutboxState outbox_state();

  /// Deletes days before `before` unless an unacknowledged batch still
  /// carries them. Returns the number of rows deleted.
  uint64_t prune(base::Day before);

  DaySummary day_summary(base::Day day);
  /// Probe port types of a day by accesses (or sources), largest first.
  std::vector<PortTotal> top_ports(base::Day day, size_t limit, bool by_sources);
  /// Every row in primary-key order (tests, tools).
  void for_each_row(const std::function<void(const tally::Row&)>& fn);
  /// Stats of every day (tests, tools).
  std::map<base::Day, tally::DayStats> all_day_stats();

  /// Bytes the database file occupies.
  int64_t database_bytes();
  /// "SQLite 3.40.1". Thread-safe (it reads no database).
  static std::string backend_version();
  /// Free space of the file system holding the database, or nullopt.
  std::optional<uint64_t> free_bytes();

 private:
  LockFile lock_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<FlushRowsTable> flush_rows_;  // registered on db_
  std::string database_id_;
};

/// 16 random bytes as 32 lowercase hex digits.
std::string random_database_id();

}  // namespace teiten::store
