#include "common/store/collector_store.h"

#include "common/store/database.h"
#include "common/store/file_system.h"
#include "common/store/row_writer.h"
#include "common/store/schema.h"

namespace teiten::store {

CollectorStore::CollectorStore(const std::string& path, const std::string& fleet_zone)
    : lock_(with_directory(path)), db_(open_store_database(path, collector_schema())) {
  db_->exec("PRAGMA cache_size=-65536");
  Transaction tx(*db_);
  auto st = db_->prepare("SELECT value FROM meta WHERE key = 'timezone'");
  if (st.step()) {
    auto have = st.column_text(0);
    if (have != fleet_zone)
      throw StoreError("collector database " + path + " counts days in time zone " + have +
                           ", but fleet.timezone is " + fleet_zone,
                       0);
  } else {
    auto ins = db_->prepare("INSERT INTO meta(key, value) VALUES('timezone', ?)");
    ins.bind(1, fleet_zone);
    ins.run();
  }
  tx.commit();
}

CollectorStore::~CollectorStore() = default;

const std::string& CollectorStore::path() const {
  return db_->path();
}

int64_t CollectorStore::database_bytes() {
  return db_->size_bytes();
}

std::string CollectorStore::backend_version() const {
  return Database::backend_version();
}

std::optional<uint64_t> CollectorStore::free_bytes() {
  return free_bytes_near(db_->path());
}

int64_t CollectorStore::sensor_number(const std::string& sensor, int64_t now) {
  auto ins = db_->prepare(
      "INSERT INTO sensors(name, first_contact, last_contact) VALUES(?, ?, ?)"
      " ON CONFLICT(name) DO UPDATE SET last_contact = excluded.last_contact");
  ins.bind(1, sensor).bind(2, now).bind(3, now);
  ins.run();
  auto st = db_->prepare("SELECT id FROM sensors WHERE name = ?");
  st.bind(1, sensor);
  st.step();
  return st.column_int64(0);
}

void CollectorStore::touch_sensor(const std::string& sensor, int64_t now) {
  Transaction tx(*db_);
  sensor_number(sensor, now);
  tx.commit();
}

uint64_t CollectorStore::last_seq(const std::string& sensor, const std::string& database_id) {
  auto st = db_->prepare(
      "SELECT d.last_seq FROM sensor_databases d JOIN sensors s ON s.id = d.sensor"
      " WHERE s.name = ? AND d.database_id = ?");
  st.bind(1, sensor).bind(2, database_id);
  return st.step() ? static_cast<uint64_t>(st.column_int64(0)) : 0;
}

ApplyResult CollectorStore::apply(const std::string& sensor, const std::string& database_id,
                                  uint64_t seq, const std::vector<tally::Row>& rows,
                                  const std::map<base::Day, tally::DayStats>& days, int64_t now) {
  ApplyResult result;
  Transaction tx(*db_);
  int64_t number = sensor_number(sensor, now);
  auto st =
      db_->prepare("SELECT last_seq FROM sensor_databases WHERE sensor = ? AND database_id = ?");
  st.bind(1, number).bind(2, database_id);
  uint64_t last = st.step() ? static_cast<uint64_t>(st.column_int64(0)) : 0;
  if (seq <= last) {
    result.last_seq = last;
    tx.commit();  // only the contact time changed
    return result;
  }
  result.gap = seq != last + 1;
  RowWriter writer(*db_, true);
  for (const auto& r : rows) writer.write(r, number);
  writer.finish();
  for (const auto& [day, stats] : days) writer.write_stats(day, stats, number);
  auto up = db_->prepare(
      "INSERT INTO sensor_databases(sensor, database_id, last_seq, last_batch, batches, rows)"
      " VALUES(?, ?, ?, ?, 1, ?) ON CONFLICT(sensor, database_id) DO UPDATE SET"
      " last_seq = excluded.last_seq, last_batch = excluded.last_batch,"
      " batches = batches + 1, rows = rows + excluded.rows");
  up.bind(1, number)
      .bind(2, database_id)
      .bind(3, static_cast<int64_t>(seq))
      .bind(4, now)
      .bind(5, static_cast<int64_t>(rows.size()));
  up.run();
  tx.commit();
  result.applied = true;
  result.last_seq = seq;
  return result;
}

std::vector<SensorRecord> CollectorStore::sensors() {
  std::vector<SensorRecord> out;
  auto st = db_->prepare(
      "SELECT s.name, s.first_contact, s.last_contact, max(d.last_batch),"
      " coalesce(sum(d.batches), 0), coalesce(sum(d.rows), 0), count(d.database_id)"
      " FROM sensors s LEFT JOIN sensor_databases d ON d.sensor = s.id GROUP BY s.id ORDER BY "
      "s.name");
  auto opt = [&st](int col) -> std::optional<int64_t> {
    if (st.column_is_null(col)) return std::nullopt;
    return st.column_int64(col);
  };
  while (st.step()) {
    SensorRecord r;
    r.name = st.column_text(0);
    r.first_contact = opt(1);
    r.last_contact = opt(2);
    r.last_batch = opt(3);
    r.batches = static_cast<uint64_t>(st.column_int64(4));
    r.rows = static_cast<uint64_t>(st.column_int64(5));
    r.databases = static_cast<uint64_t>(st.column_int64(6));
    out.push_back(r);
  }
  return out;
}

}  // namespace teiten::store

namespace teiten::store {

std::map<std::string, CollectorStore::Freshness> CollectorStore::freshness(base::Day today) {
  std::map<std::string, Freshness> out;
  auto st = db_->prepare(
      "SELECT n.name, max(s.last_packet) FROM day_stats s JOIN sensors n ON n.id = s.sensor"
      " GROUP BY n.name");
  while (st.step())
    if (!st.column_is_null(1)) out[st.column_text(0)].last_packet = st.column_int64(1);
  auto cov = db_->prepare("SELECT sensor, coverage_seconds, packets FROM coverage WHERE day = ?");
  cov.bind(1, base::format_day(today));
  while (cov.step()) {
    auto& f = out[cov.column_text(0)];
    f.coverage_today = cov.column_int64(1);
    f.packets_today = static_cast<uint64_t>(cov.column_int64(2));
  }
  return out;
}

}  // namespace teiten::store
