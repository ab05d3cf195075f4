// teiten::store::CollectorStore — the collector's database in SQLite (the
// embedded default CollectorStorage): every sensor's rows, coverage and
// counters, and for each sensor database the last batch sequence number
// applied. A batch and its number commit in one transaction, so a resent
// batch (seq <= last) is recognised and never applied twice, and a
// recreated sensor database (a new id) starts afresh.
// Not thread-safe: the collector's store thread owns it.
#pragma once

#include <memory>

#include "common/store/collector_storage.h"
#include "common/store/lock_file.h"

namespace teiten::store {

class Database;

class CollectorStore final : public CollectorStorage {
 public:
  /// Throws StoreError: locked by another process, created for another
  /// fleet time zone, or newer than this program.
  CollectorStore(const std::string& path, const std::string& fleet_zone);
  ~CollectorStore() override;

  const std::string& path() const;

  uint64_t last_seq(const std::string& sensor, const std::string& database_id) override;
  ApplyResult apply(const std::string& sensor, const std::string& database_id, uint64_t seq,
                    const std::vector<tally::Row>& rows,
                    const std::map<base::Day, tally::DayStats>& days, int64_t now) override;
  void touch_sensor(const std::string& sensor, int64_t now) override;
  std::vector<SensorRecord> sensors() override;
  std::map<std::string, Freshness> freshness(base::Day today) override;

  int64_t database_bytes() override;
  std::string backend_version() const override;
  std::optional<uint64_t> free_bytes() override;

 private:
  int64_t sensor_number(const std::string& sensor, int64_t now);

  LockFile lock_;
  std::unique_ptr<Database> db_;
};

}  // namespace teiten::store
