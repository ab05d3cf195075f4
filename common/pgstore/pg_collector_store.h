// teiten::pgstore::PgCollectorStore — the collector's storage on a
// PostgreSQL server (store::CollectorStorage), for fleets that run several
// collectors on one database.
//
// Exactly once across collectors: the (sensor, database id, last seq)
// record is a row of sensor_databases, locked with SELECT ... FOR UPDATE
// at the start of the batch's transaction and advanced in it. A second
// collector applying the same batch at the same moment waits on that row
// lock, then (READ COMMITTED reads the committed row after the wait) sees
// the new last_seq and writes nothing. Batches of different sensors lock
// different rows and never wait on each other. docs/postgresql.md says
// why this rather than SERIALIZABLE with retries.
//
// A batch's rows go by binary COPY into a per-session temporary table,
// then one INSERT ... ON CONFLICT merges them into tally (the same sums,
// minima and maxima as SQLite's upsert).
//
// The server may go away, or not be there yet when the collector starts:
// a call that finds no connection throws StoreError (the collector answers
// ERROR, the sensor keeps the batch and retries), and the next call, or
// reconnect(), which the collector calls every second, connects again, no
// sooner than a backoff that doubles per failed attempt (jittered, 0.5 s up
// to 10 s), so a fleet retrying does not hammer a recovering server. Every
// failure is retried — a refused password too, since the password file is
// read again at each connect — except a database this program can never
// use (newer schema, another fleet time zone: StoreIncompatible), which
// every later call throws again. Not thread-safe apart from
// backend_version(): the collector's store thread owns it.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <random>
#include <string>

#include "common/pgstore/pg_connection.h"
#include "common/pgstore/pg_schema.h"
#include "common/store/collector_storage.h"

namespace teiten::pgstore {

class PgCollectorStore final : public store::CollectorStorage {
 public:
  /// Connects and migrates, or, when the server cannot be reached (or
  /// refuses the login), remembers why and tries again later. Throws
  /// StoreIncompatible when the schema is newer than this program or the
  /// database counts days in another time zone.
  PgCollectorStore(PgSettings settings, std::string fleet_zone);
  ~PgCollectorStore() override;

  uint64_t last_seq(const std::string& sensor, const std::string& database_id) override;
  store::ApplyResult apply(const std::string& sensor, const std::string& database_id, uint64_t seq,
                           const std::vector<tally::Row>& rows,
                           const std::map<base::Day, tally::DayStats>& days, int64_t now) override;
  void touch_sensor(const std::string& sensor, int64_t now) override;
  std::vector<store::SensorRecord> sensors() override;
  std::map<std::string, Freshness> freshness(base::Day today) override;

  int64_t database_bytes() override;
  std::string backend_version() const override;
  std::optional<uint64_t> free_bytes() override { return std::nullopt; }
  Availability reconnect() override;

  /// Where the data goes, without secrets (for logs and status).
  const std::string& description() const { return description_; }

 private:
  /// The live connection, reconnecting when the backoff allows; throws
  /// StoreError saying why the server is unavailable.
  PgConnection& connection();
  /// The connection failed or was dropped: why, and since when.
  void unavailable(const std::string& why);
  void open_connection();
  /// Runs fn on the connection; a failure that broke the connection drops
  /// it (the next call reconnects) and rethrows.
  template <class F>
  auto with_connection(F&& fn) -> decltype(fn(std::declval<PgConnection&>()));
  void prepare_statements(PgConnection& c);
  int64_t sensor_number(PgConnection& c, const std::string& sensor, int64_t now);
  void ensure_partitions(PgConnection& c, const std::vector<tally::Row>& rows,
                         const std::map<base::Day, tally::DayStats>& days);
  void write_rows(PgConnection& c, int64_t sensor, const std::vector<tally::Row>& rows);
  void write_stats(PgConnection& c, int64_t sensor, base::Day day, const tally::DayStats& s);

  PgSettings settings_;
  std::string fleet_zone_;
  std::string description_;
  std::unique_ptr<PgConnection> conn_;
  Partitions partitions_;

  using Clock = std::chrono::steady_clock;
  Clock::time_point next_attempt_{};
  std::chrono::milliseconds backoff_;
  std::string last_failure_;
  std::optional<int64_t> unavailable_since_;  ///< Unix time
  std::string incompatible_;                  ///< set: never usable (StoreIncompatible)
  std::mt19937_64 rng_;

  mutable std::mutex version_mutex_;
  std::string version_;
};

}  // namespace teiten::pgstore
