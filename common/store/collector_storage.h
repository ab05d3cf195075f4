// teiten::store::CollectorStorage — what the collector needs of its
// database, whatever holds it: the ingest path applies batches exactly
// once, the control commands and status read sensors, freshness and size.
// CollectorStore (collector_store.h) is the SQLite implementation; a
// server-backed one (PostgreSQL) implements the same calls. Nothing here
// names SQL, a handle or a file format, so nothing above the store needs
// to know which backend runs.
//
// Contract for every implementation: apply() commits the rows, the day
// stats and the new sequence number in one transaction, or throws
// StoreError and changes nothing; a batch with seq <= the last applied for
// its (sensor, database id) is a resend and writes nothing but the contact
// time. Calls come from one thread at a time (the collector's store
// thread), except backend_version(), which is safe from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/store/store_error.h"
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

class CollectorStorage {
 public:
  virtual ~CollectorStorage() = default;

  /// Highest seq applied for this sensor database (0: none).
  virtual uint64_t last_seq(const std::string& sensor, const std::string& database_id) = 0;
  /// Applies a batch in one transaction, or recognises a resend.
  virtual ApplyResult apply(const std::string& sensor, const std::string& database_id, uint64_t seq,
                            const std::vector<tally::Row>& rows,
                            const std::map<base::Day, tally::DayStats>& days, int64_t now) = 0;
  /// Notes a sensor's connection (for status), in its own transaction.
  virtual void touch_sensor(const std::string& sensor, int64_t now) = 0;
  virtual std::vector<SensorRecord> sensors() = 0;

  struct Freshness {
    std::optional<int64_t> last_packet;  ///< newest packet time the sensor reported
    int64_t coverage_today = 0;          ///< coverage seconds of `today`
    uint64_t packets_today = 0;
  };
  /// Per sensor name: how current its data is.
  virtual std::map<std::string, Freshness> freshness(base::Day today) = 0;

  /// Bytes the database occupies.
  virtual int64_t database_bytes() = 0;
  /// The backend and its version, e.g. "SQLite 3.40.1". Any thread.
  virtual std::string backend_version() const = 0;
  /// Free space of the file system holding the database; nullopt when the
  /// database is not a local file or the space cannot be read.
  virtual std::optional<uint64_t> free_bytes() = 0;

  /// Whether the database can be reached now (a local file always can).
  struct Availability {
    bool available = true;
    std::string error;                       ///< why not: the last connection failure
    std::optional<int64_t> since;            ///< Unix time it became unreachable
    std::optional<int64_t> next_attempt_ms;  ///< when the next connection is tried, from now
  };
  /// A backend on a server connects here when it is not connected and its
  /// backoff allows (creating or migrating the schema), so it is ready
  /// before the first batch; then says whether it can be reached. Throws
  /// StoreIncompatible when the database can never be used.
  virtual Availability reconnect() { return {}; }
};

}  // namespace teiten::store
