// teiten::store::CollectorStore — the collector's database: every sensor's
// rows, coverage and counters, and for each sensor database the last batch
// sequence number applied. A batch and its number commit in one
// transaction, so a resent batch (seq <= last) is recognised and never
// applied twice, and a recreated sensor database (a new id) starts afresh.
// Not thread-safe: the collector's store thread owns it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/store/database.h"
#include "common/store/lock_file.h"
#include "common/tally/day_stats.h"
#include "common/tally/row.h"

namespace teiten::store {

struct ApplyResult {
  bool applied = false;   ///< false: a resend of an applied batch, nothing written
  bool gap = false;       ///< seq skipped numbers (the collector lost batches: restored?)
  uint64_t last_seq = 0;  ///< after this call
};

struct SensorRecord {
  std::string name;
  std::optional<int64_t> first_contact, last_contact, last_batch;
  uint64_t batches = 0;
  uint64_t rows = 0;  ///< rows received (deltas), all databases
  uint64_t databases = 0;
};

class CollectorStore {
 public:
  /// Throws StoreError: locked by another process, created for another
  /// fleet time zone, or newer than this program.
  CollectorStore(const std::string& path, const std::string& fleet_zone);

  const std::string& path() const { return db_.path(); }
  /// Highest seq applied for this sensor database (0: none).
  uint64_t last_seq(const std::string& sensor, const std::string& database_id);
  /// Applies a batch in one transaction, or recognises a resend.
  ApplyResult apply(const std::string& sensor, const std::string& database_id, uint64_t seq,
                    const std::vector<tally::Row>& rows,
                    const std::map<base::Day, tally::DayStats>& days, int64_t now);
  /// Notes a sensor's connection (for status), in its own transaction.
  void touch_sensor(const std::string& sensor, int64_t now);
  std::vector<SensorRecord> sensors();

  struct Freshness {
    std::optional<int64_t> last_packet;  ///< newest packet time the sensor reported
    int64_t coverage_today = 0;          ///< coverage seconds of `today`
    uint64_t packets_today = 0;
  };
  /// Per sensor name: how current its data is.
  std::map<std::string, Freshness> freshness(base::Day today);
  Database& database() { return db_; }

 private:
  int64_t sensor_number(const std::string& sensor, int64_t now);

  LockFile lock_;
  Database db_;
};

}  // namespace teiten::store
