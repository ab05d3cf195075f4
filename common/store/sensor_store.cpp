#include "common/store/sensor_store.h"

#include <sys/random.h>

#include <chrono>
#include <cstdio>

#include "common/base/wall_clock.h"
#include "common/store/database.h"
#include "common/store/file_system.h"
#include "common/store/flush_rows_table.h"
#include "common/store/row_writer.h"
#include "common/store/schema.h"

namespace teiten::store {
namespace {

std::optional<std::string> meta_get(Database& db, const std::string& key) {
  auto st = db.prepare("SELECT value FROM meta WHERE key = ?");
  st.bind(1, key);
  if (!st.step()) return std::nullopt;
  return st.column_text(0);
}

void meta_set(Database& db, const std::string& key, const std::string& value) {
  auto st = db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
  st.bind(1, key).bind(2, value);
  st.run();
}

}  // namespace

std::string random_database_id() {
  unsigned char b[16];
  size_t got = 0;
  while (got < sizeof b) {
    ssize_t n = getrandom(b + got, sizeof b - got, 0);
    if (n <= 0) throw StoreError("getrandom failed", 0);
    got += static_cast<size_t>(n);
  }
  char hex[33];
  for (size_t i = 0; i < 16; ++i) std::snprintf(hex + 2 * i, 3, "%02x", b[i]);
  return std::string(hex, 32);
}

SensorStore::SensorStore(const std::string& path, const std::string& sensor_id,
                         const std::string& zone)
    : lock_(with_directory(path)),
      db_(open_store_database(path, sensor_schema())),
      flush_rows_(std::make_unique<FlushRowsTable>(*db_)) {
  // A big page cache keeps large flushes from re-reading the B-tree.
  db_->exec("PRAGMA cache_size=-16384");

  Transaction tx(*db_);
  auto id = meta_get(*db_, "database_id");
  if (!id) {
    database_id_ = random_database_id();
    meta_set(*db_, "database_id", database_id_);
    meta_set(*db_, "sensor_id", sensor_id);
    meta_set(*db_, "timezone", zone);
    meta_set(*db_, "created", std::to_string(base::unix_now()));
    meta_set(*db_, "next_seq", "1");
    meta_set(*db_, "last_acked_seq", "0");
  } else {
    database_id_ = *id;
    auto have_sensor = meta_get(*db_, "sensor_id").value_or("");
    if (have_sensor != sensor_id)
      throw StoreError(
          "database " + path + " belongs to sensor '" + have_sensor + "', not '" + sensor_id + "'",
          0);
    auto have_zone = meta_get(*db_, "timezone").value_or("");
    if (have_zone != zone)
      throw StoreError("database " + path + " counts days in time zone " + have_zone +
                           ", but the sensor is configured for " + zone +
                           " (days would not be comparable; use a new database)",
                       0);
  }
  tx.commit();
}

SensorStore::~SensorStore() = default;

const std::string& SensorStore::path() const {
  return db_->path();
}

int64_t SensorStore::database_bytes() {
  return db_->size_bytes();
}

std::string SensorStore::backend_version() {
  return Database::backend_version();
}

std::optional<uint64_t> SensorStore::free_bytes() {
  return free_bytes_near(db_->path());
}

void SensorStore::commit(const tally::TallyDelta& delta, std::vector<OutboxBatch> batches) {
  commit(tally::sort_rows(delta.rows), delta.days, std::move(batches));
}

void SensorStore::commit(const tally::SortedRows& rows,
                         const std::map<base::Day, tally::DayStats>& days,
                         std::vector<OutboxBatch> batches) {
  Transaction tx(*db_);
  RowWriter writer(*db_, false);
  if (!rows.empty()) {
    // One statement for every row: SQLite's own bulk upsert (flush_rows_table.h).
    flush_rows_->scan(&rows);
    auto insert = db_->prepare(tally_insert_sql(false) +
                               " SELECT k, src, accesses, first_seen, last_seen FROM " +
                               FlushRowsTable::kName + " WHERE true" + tally_upsert_sql(false));
    try {
      insert.run();
    } catch (...) {
      flush_rows_->scan(nullptr);
      throw;
    }
    flush_rows_->scan(nullptr);
  }
  for (const auto& [day, stats] : days) writer.write_stats(day, stats);
  if (!batches.empty()) {
    uint64_t seq = std::stoull(meta_get(*db_, "next_seq").value_or("1"));
    auto ins = db_->prepare(
        "INSERT INTO outbox(seq, created, rows, min_day, payload) VALUES(?, ?, ?, ?, ?)");
    for (auto& b : batches) {
      b.seq = seq++;
      ins.bind(1, static_cast<int64_t>(b.seq))
          .bind(2, b.created)
          .bind(3, static_cast<int64_t>(b.rows))
          .bind(4, b.min_day)
          .bind_blob(5, b.payload.data(), b.payload.size());
      ins.run();
    }
    meta_set(*db_, "next_seq", std::to_string(seq));
  }
  tx.commit();
}

std::optional<OutboxBatch> SensorStore::next_batch(uint64_t after) {
  auto st = db_->prepare(
      "SELECT seq, created, rows, min_day, payload FROM outbox WHERE seq > ? ORDER BY seq LIMIT 1");
  st.bind(1, static_cast<int64_t>(after));
  if (!st.step()) return std::nullopt;
  OutboxBatch b;
  b.seq = static_cast<uint64_t>(st.column_int64(0));
  b.created = st.column_int64(1);
  b.rows = static_cast<uint64_t>(st.column_int64(2));
  b.min_day = static_cast<base::Day>(st.column_int64(3));
  b.payload = st.column_blob(4);
  return b;
}

void SensorStore::acknowledge(uint64_t seq) {
  Transaction tx(*db_);
  auto del = db_->prepare("DELETE FROM outbox WHERE seq <= ?");
  del.bind(1, static_cast<int64_t>(seq));
  del.run();
  uint64_t last = std::stoull(meta_get(*db_, "last_acked_seq").value_or("0"));
  if (seq > last) meta_set(*db_, "last_acked_seq", std::to_string(seq));
  tx.commit();
}

OutboxState SensorStore::outbox_state() {
  OutboxState s;
  auto st = db_->prepare("SELECT count(*), coalesce(sum(rows), 0), min(created) FROM outbox");
  if (st.step()) {
    s.batches = static_cast<uint64_t>(st.column_int64(0));
    s.rows = static_cast<uint64_t>(st.column_int64(1));
    if (!st.column_is_null(2)) s.oldest_created = st.column_int64(2);
  }
  s.next_seq = std::stoull(meta_get(*db_, "next_seq").value_or("1"));
  s.last_acked_seq = std::stoull(meta_get(*db_, "last_acked_seq").value_or("0"));
  return s;
}

uint64_t SensorStore::prune(base::Day before) {
  // Never delete what the collector has not yet acknowledged.
  auto pending = db_->query_int("SELECT min(min_day) FROM outbox");
  base::Day cutoff = before;
  if (pending && *pending < cutoff) cutoff = static_cast<base::Day>(*pending);
  Transaction tx(*db_);
  auto rows = db_->prepare("DELETE FROM tally WHERE k < (?1 << 32)");
  rows.bind(1, cutoff);
  rows.run();
  auto deleted = static_cast<uint64_t>(sqlite3_changes(db_->handle()));
  for (const char* table : {"day_stats", "day_counters"}) {
    auto st = db_->prepare(std::string("DELETE FROM ") + table + " WHERE day < ?");
    st.bind(1, cutoff);
    st.run();
  }
  tx.commit();
  return deleted;
}

DaySummary SensorStore::day_summary(base::Day day) {
  DaySummary s;
  auto st = db_->prepare("SELECT k & 15, count(*), coalesce(sum(accesses), 0) FROM tally WHERE " +
                         day_key_range_sql("k") + " GROUP BY k & 15");
  st.bind(1, day);
  while (st.step()) {
    auto k = static_cast<size_t>(st.column_int64(0));
    if (k >= s.accesses.size()) continue;
    s.rows_by_kind[k] = static_cast<uint64_t>(st.column_int64(1));
    s.accesses[k] = static_cast<uint64_t>(st.column_int64(2));
    s.rows += s.rows_by_kind[k];
  }
  return s;
}

std::vector<PortTotal> SensorStore::top_ports(base::Day day, size_t limit, bool by_sources) {
  std::string order = by_sources ? "s DESC, a DESC" : "a DESC, s DESC";
  auto st = db_->prepare(
      "SELECT (k >> 24) & 255 AS proto, (k >> 8) & 65535 AS port, sum(accesses) AS a,"
      " count(*) AS s FROM tally WHERE " +
      day_key_range_sql("k") +
      " AND (k & 15) = 1"
      " GROUP BY k ORDER BY " +
      order + ", proto, port LIMIT ?2");
  st.bind(1, day).bind(2, static_cast<int64_t>(limit));
  std::vector<PortTotal> out;
  while (st.step())
    out.push_back(
        {static_cast<packet::Proto>(st.column_int64(0)), static_cast<uint16_t>(st.column_int64(1)),
         static_cast<uint64_t>(st.column_int64(2)), static_cast<uint64_t>(st.column_int64(3))});
  return out;
}

void SensorStore::for_each_row(const std::function<void(const tally::Row&)>& fn) {
  auto st = db_->prepare(
      "SELECT day, proto, port, kind, src, accesses, first_seen, last_seen FROM tally_rows"
      " ORDER BY day, proto, port, kind, src");
  while (st.step()) {
    tally::Row r;
    r.day = static_cast<base::Day>(st.column_int64(0));
    r.proto = static_cast<packet::Proto>(st.column_int64(1));
    r.port = static_cast<uint16_t>(st.column_int64(2));
    r.kind = static_cast<packet::Kind>(st.column_int64(3));
    r.src = column_src(st, 4);
    r.accesses = static_cast<uint64_t>(st.column_int64(5));
    r.first_seen = st.column_int64(6);
    r.last_seen = st.column_int64(7);
    fn(r);
  }
}

std::map<base::Day, tally::DayStats> SensorStore::all_day_stats() {
  std::map<base::Day, tally::DayStats> out;
  auto st = db_->prepare(
      "SELECT day, packets, first_packet, last_packet, capture_seconds, kernel_drops, if_drops"
      " FROM day_stats");
  while (st.step()) {
    auto& s = out[static_cast<base::Day>(st.column_int64(0))];
    s.packets = static_cast<uint64_t>(st.column_int64(1));
    if (!st.column_is_null(2)) s.first_packet = st.column_int64(2);
    if (!st.column_is_null(3)) s.last_packet = st.column_int64(3);
    s.capture_seconds = st.column_int64(4);
    if (!st.column_is_null(5)) s.kernel_drops = static_cast<uint64_t>(st.column_int64(5));
    if (!st.column_is_null(6)) s.if_drops = static_cast<uint64_t>(st.column_int64(6));
  }
  auto c = db_->prepare("SELECT day, name, value FROM day_counters");
  while (c.step())
    tally::add_named_counter(out[static_cast<base::Day>(c.column_int64(0))], c.column_text(1),
                             static_cast<uint64_t>(c.column_int64(2)));
  return out;
}

}  // namespace teiten::store
