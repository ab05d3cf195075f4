#include "common/pgstore/pg_collector_store.h"

#include <algorithm>

#include "common/base/wall_clock.h"
#include "common/pgstore/pg_copy.h"

namespace teiten::pgstore {
namespace {

constexpr std::chrono::milliseconds kBackoffInitial{500};
constexpr std::chrono::milliseconds kBackoffMax{10'000};

std::string day_param(base::Day day) {
  return std::to_string(day);
}
// A day number as a date, in statements that take it as $n.
std::string day_sql(int n) {
  return "(date '1970-01-01' + $" + std::to_string(n) + "::integer)";
}

// Each statement is prepared once per connection, by this name.
struct Prepared {
  const char* name;
  std::string sql;
};

const std::vector<Prepared>& statements() {
  static const std::vector<Prepared> all = {
      {"sensor_number",
       "INSERT INTO sensors(name, first_contact, last_contact) VALUES($1, $2, $2)"
       " ON CONFLICT(name) DO UPDATE SET last_contact ="
       " greatest(sensors.last_contact, excluded.last_contact) RETURNING id"},
      {"last_seq",
       "SELECT d.last_seq FROM sensor_databases d JOIN sensors s ON s.id = d.sensor"
       " WHERE s.name = $1 AND d.database_id = $2"},
      // The exactly-once record: created if new, then locked for this
      // transaction; a concurrent apply of the same sensor database waits here.
      {"seq_create",
       "INSERT INTO sensor_databases(sensor, database_id, last_seq) VALUES($1, $2, 0)"
       " ON CONFLICT DO NOTHING"},
      {"seq_lock",
       "SELECT last_seq FROM sensor_databases WHERE sensor = $1 AND database_id = $2 FOR UPDATE"},
      {"seq_advance",
       "UPDATE sensor_databases SET last_seq = $3, last_batch = $4, batches = batches + 1,"
       " rows = rows + $5 WHERE sensor = $1 AND database_id = $2"},
      {"merge_rows",
       "INSERT INTO tally(day, proto, port, kind, sensor, src, accesses, first_seen, last_seen)"
       " SELECT day, proto, port, kind, $1, src, accesses, first_seen, last_seen"
       " FROM teiten_staging ON CONFLICT (day, proto, port, kind, sensor, src) DO UPDATE SET"
       " accesses = tally.accesses + excluded.accesses,"
       " first_seen = least(tally.first_seen, excluded.first_seen),"
       " last_seen = greatest(tally.last_seen, excluded.last_seen)"},
      // NULL means unknown, as in SQLite's day_stats: least/greatest skip
      // NULLs, and a drop count adds only to what is known.
      {"merge_stats",
       "INSERT INTO day_stats(day, sensor, packets, first_packet, last_packet, capture_seconds,"
       " kernel_drops, if_drops) VALUES(" +
           day_sql(1) +
           ", $2, $3, $4, $5, $6, $7, $8) ON CONFLICT(day, sensor) DO UPDATE SET"
           " packets = day_stats.packets + excluded.packets,"
           " first_packet = least(day_stats.first_packet, excluded.first_packet),"
           " last_packet = greatest(day_stats.last_packet, excluded.last_packet),"
           " capture_seconds = day_stats.capture_seconds + excluded.capture_seconds,"
           " kernel_drops = CASE WHEN excluded.kernel_drops IS NULL THEN day_stats.kernel_drops"
           "   ELSE coalesce(day_stats.kernel_drops, 0) + excluded.kernel_drops END,"
           " if_drops = CASE WHEN excluded.if_drops IS NULL THEN day_stats.if_drops"
           "   ELSE coalesce(day_stats.if_drops, 0) + excluded.if_drops END"},
      {"merge_counter", "INSERT INTO day_counters(day, sensor, name, value) VALUES(" + day_sql(1) +
                            ", $2, $3, $4) ON CONFLICT(day, sensor, name) DO UPDATE SET"
                            " value = day_counters.value + excluded.value"},
  };
  return all;
}

Param optional_param(const std::optional<uint64_t>& v) {
  if (!v) return std::nullopt;
  return std::to_string(*v);
}

// Rows in the order and uniqueness INSERT ... ON CONFLICT needs: one
// statement may not update a row twice. Batches arrive sorted and unique
// (the wire decoder refuses repeats), so this is one pass that copies
// nothing; other input is sorted and merged.
const std::vector<tally::Row>& unique_rows(const std::vector<tally::Row>& rows,
                                           std::vector<tally::Row>& merged) {
  bool sorted = true;
  for (size_t i = 1; i < rows.size() && sorted; ++i)
    sorted = rows[i - 1].store_order() < rows[i].store_order();
  if (sorted) return rows;
  merged = rows;
  std::sort(merged.begin(), merged.end(),
            [](const auto& a, const auto& b) { return a.store_order() < b.store_order(); });
  size_t out = 0;
  for (size_t i = 0; i < merged.size(); ++i) {
    if (out > 0 && merged[out - 1].key() == merged[i].key()) {
      auto& m = merged[out - 1];
      m.accesses += merged[i].accesses;
      m.first_seen = std::min(m.first_seen, merged[i].first_seen);
      m.last_seen = std::max(m.last_seen, merged[i].last_seen);
    } else {
      merged[out++] = merged[i];
    }
  }
  merged.resize(out);
  return merged;
}

}  // namespace

PgCollectorStore::PgCollectorStore(PgSettings settings, std::string fleet_zone)
    : settings_(std::move(settings)),
      fleet_zone_(std::move(fleet_zone)),
      description_(describe(settings_)),
      backoff_(kBackoffInitial),
      rng_(std::random_device{}()) {
  try {
    connection();
  } catch (const store::StoreIncompatible&) {
    throw;
  } catch (const store::StoreError&) {
    // Down or refusing: the collector starts anyway and reconnect() retries.
  }
}

PgCollectorStore::~PgCollectorStore() = default;

void PgCollectorStore::open_connection() {
  auto c = std::make_unique<PgConnection>(settings_);
  migrate(*c, fleet_zone_, settings_.application_name);
  // Session-local staging for a batch's rows: not WAL-logged, emptied at
  // every commit.
  c->exec(std::string("CREATE TEMP TABLE teiten_staging (") + kStagingColumns +
          ") ON COMMIT DELETE ROWS");
  prepare_statements(*c);
  partitions_.clear();
  partitions_.load(*c);
  // Ahead: this month and the next, so the first batch of a month finds
  // its partition (batches for other months create theirs on demand).
  base::Day today = static_cast<base::Day>(base::unix_now() / 86400);
  partitions_.ensure(*c, {month_of(today), month_of(today) + 1});
  {
    std::lock_guard lock(version_mutex_);
    version_ = c->server_version();
  }
  conn_ = std::move(c);
}

void PgCollectorStore::prepare_statements(PgConnection& c) {
  for (const auto& p : statements()) c.prepare(p.name, p.sql);
}

void PgCollectorStore::unavailable(const std::string& why) {
  last_failure_ = why;
  if (!unavailable_since_) unavailable_since_ = base::unix_now();
}

PgConnection& PgCollectorStore::connection() {
  if (!incompatible_.empty()) throw store::StoreIncompatible(incompatible_);
  if (conn_ && !conn_->broken()) return *conn_;
  if (conn_) unavailable("connection to " + description_ + " lost");
  conn_.reset();
  auto now = Clock::now();
  if (now < next_attempt_) {
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_attempt_ - now);
    throw store::StoreError("PostgreSQL unavailable (" + last_failure_ + "); next attempt in " +
                                std::to_string(wait.count()) + " ms",
                            0);
  }
  try {
    open_connection();
    backoff_ = kBackoffInitial;
    last_failure_.clear();
    unavailable_since_.reset();
    return *conn_;
  } catch (const store::StoreIncompatible& e) {
    conn_.reset();
    incompatible_ = e.what();
    throw;
  } catch (const store::StoreError& e) {
    conn_.reset();
    unavailable(e.what());
    // Jitter in [50%, 100%] keeps collectors from reconnecting in lockstep.
    std::uniform_real_distribution<double> jitter(0.5, 1.0);
    next_attempt_ = now + std::chrono::milliseconds(static_cast<int64_t>(
                              static_cast<double>(backoff_.count()) * jitter(rng_)));
    backoff_ = std::min(backoff_ * 2, kBackoffMax);
    throw;
  }
}

template <class F>
auto PgCollectorStore::with_connection(F&& fn) -> decltype(fn(std::declval<PgConnection&>())) {
  auto& c = connection();
  try {
    return fn(c);
  } catch (const store::StoreError& e) {
    // A partition dropped by an operator, or a restored database: look again.
    partitions_.clear();
    // The transaction rolled back on the way here; a connection still busy
    // or in a transaction is not trusted with the next call.
    if (!c.idle()) {
      unavailable(e.what());
      conn_.reset();
      next_attempt_ = Clock::now();  // the first reconnect is immediate
    }
    throw;
  }
}

store::CollectorStorage::Availability PgCollectorStore::reconnect() {
  try {
    connection();
  } catch (const store::StoreIncompatible&) {
    throw;
  } catch (const store::StoreError&) {
    // Said below; the callers that need the database say it again.
  }
  Availability a;
  if (conn_) return a;
  a.available = false;
  a.error = last_failure_;
  a.since = unavailable_since_;
  a.next_attempt_ms = std::max<int64_t>(
      0,
      std::chrono::duration_cast<std::chrono::milliseconds>(next_attempt_ - Clock::now()).count());
  return a;
}

std::string PgCollectorStore::backend_version() const {
  std::lock_guard lock(version_mutex_);
  return version_;
}

int64_t PgCollectorStore::sensor_number(PgConnection& c, const std::string& sensor, int64_t now) {
  return c.run_prepared("sensor_number", {sensor, std::to_string(now)}).int64(0, 0);
}

void PgCollectorStore::touch_sensor(const std::string& sensor, int64_t now) {
  with_connection([&](PgConnection& c) { sensor_number(c, sensor, now); });
}

uint64_t PgCollectorStore::last_seq(const std::string& sensor, const std::string& database_id) {
  return with_connection([&](PgConnection& c) -> uint64_t {
    auto r = c.run_prepared("last_seq", {sensor, database_id});
    return r.rows() ? static_cast<uint64_t>(r.int64(0, 0)) : 0;
  });
}

void PgCollectorStore::ensure_partitions(PgConnection& c, const std::vector<tally::Row>& rows,
                                         const std::map<base::Day, tally::DayStats>& days) {
  (void)days;  // day_stats is not partitioned
  std::set<Month> months;
  Month last = -1;
  for (const auto& r : rows) {
    if (r.day < 0 || r.day > tally::kMaxDay)
      throw store::StoreError("row day " + std::to_string(r.day) + " outside the storable range",
                              0);
    // Rows are sorted by day: look a month up once per run of days.
    Month m = month_of(r.day);
    if (m != last) months.insert(last = m);
  }
  partitions_.ensure(c, months);
}

void PgCollectorStore::write_rows(PgConnection& c, int64_t sensor,
                                  const std::vector<tally::Row>& rows) {
  if (rows.empty()) return;
  std::vector<tally::Row> merged;
  CopyWriter copy;
  for (const auto& r : unique_rows(rows, merged)) copy.row(r);
  c.copy_in("COPY teiten_staging FROM STDIN (FORMAT binary)", copy.finish());
  c.run_prepared("merge_rows", {std::to_string(sensor)});
}

void PgCollectorStore::write_stats(PgConnection& c, int64_t sensor, base::Day day,
                                   const tally::DayStats& s) {
  auto id = std::to_string(sensor);
  Param first, last;
  if (s.has_packets()) {
    first = std::to_string(s.first_packet);
    last = std::to_string(s.last_packet);
  }
  c.run_prepared("merge_stats", {day_param(day), id, std::to_string(s.packets), first, last,
                                 std::to_string(s.capture_seconds), optional_param(s.kernel_drops),
                                 optional_param(s.if_drops)});
  for (const auto& counter : tally::named_counters(s))
    c.run_prepared("merge_counter",
                   {day_param(day), id, counter.name, std::to_string(counter.value)});
}

store::ApplyResult PgCollectorStore::apply(const std::string& sensor,
                                           const std::string& database_id, uint64_t seq,
                                           const std::vector<tally::Row>& rows,
                                           const std::map<base::Day, tally::DayStats>& days,
                                           int64_t now) {
  return with_connection([&](PgConnection& c) {
    store::ApplyResult result;
    // Before the transaction: creating a partition takes a lock of its own
    // and must not be held for the whole batch.
    ensure_partitions(c, rows, days);
    PgTransaction tx(c);
    int64_t number = sensor_number(c, sensor, now);
    auto id = std::to_string(number);
    c.run_prepared("seq_create", {id, database_id});
    auto last = static_cast<uint64_t>(c.run_prepared("seq_lock", {id, database_id}).int64(0, 0));
    if (seq <= last) {
      result.last_seq = last;
      tx.commit();  // only the contact time changed
      return result;
    }
    result.gap = seq != last + 1;
    write_rows(c, number, rows);
    for (const auto& [day, stats] : days) write_stats(c, number, day, stats);
    c.run_prepared("seq_advance", {id, database_id, std::to_string(seq), std::to_string(now),
                                   std::to_string(rows.size())});
    tx.commit();
    result.applied = true;
    result.last_seq = seq;
    return result;
  });
}

std::vector<store::SensorRecord> PgCollectorStore::sensors() {
  return with_connection([&](PgConnection& c) {
    // Byte order of names (COLLATE "C"), as SQLite's ORDER BY gives them.
    auto r = c.query(
        "SELECT s.name, s.first_contact, s.last_contact, max(d.last_batch),"
        " coalesce(sum(d.batches), 0)::bigint, coalesce(sum(d.rows), 0)::bigint,"
        " count(d.database_id) FROM sensors s LEFT JOIN sensor_databases d ON d.sensor = s.id"
        " GROUP BY s.id ORDER BY s.name COLLATE \"C\"");
    std::vector<store::SensorRecord> out;
    for (int i = 0; i < r.rows(); ++i) {
      store::SensorRecord s;
      s.name = r.text(i, 0);
      s.first_contact = r.optional_int64(i, 1);
      s.last_contact = r.optional_int64(i, 2);
      s.last_batch = r.optional_int64(i, 3);
      s.batches = static_cast<uint64_t>(r.int64(i, 4));
      s.rows = static_cast<uint64_t>(r.int64(i, 5));
      s.databases = static_cast<uint64_t>(r.int64(i, 6));
      out.push_back(std::move(s));
    }
    return out;
  });
}

std::map<std::string, store::CollectorStorage::Freshness> PgCollectorStore::freshness(
    base::Day today) {
  return with_connection([&](PgConnection& c) {
    std::map<std::string, Freshness> out;
    auto newest = c.query(
        "SELECT n.name, max(s.last_packet) FROM day_stats s JOIN sensors n ON n.id = s.sensor"
        " GROUP BY n.name");
    for (int i = 0; i < newest.rows(); ++i)
      if (!newest.is_null(i, 1)) out[newest.text(i, 0)].last_packet = newest.int64(i, 1);
    // The tables rather than the coverage view: its day is text, which
    // the day_stats key cannot be searched by.
    auto cov = c.query(
        "SELECT n.name, teiten_coverage_seconds(s.capture_seconds, s.first_packet,"
        " s.last_packet), s.packets FROM day_stats s JOIN sensors n ON n.id = s.sensor"
        " WHERE s.day = " +
            day_sql(1),
        {day_param(today)});
    for (int i = 0; i < cov.rows(); ++i) {
      auto& f = out[cov.text(i, 0)];
      f.coverage_today = cov.int64(i, 1);
      f.packets_today = static_cast<uint64_t>(cov.int64(i, 2));
    }
    return out;
  });
}

int64_t PgCollectorStore::database_bytes() {
  return with_connection([&](PgConnection& c) {
    return c
        .query(
            "SELECT (SELECT coalesce(sum(pg_total_relation_size(relid)), 0)"
            " FROM pg_partition_tree('tally')) + (SELECT coalesce(sum(pg_total_relation_size("
            "to_regclass(t))), 0) FROM unnest(ARRAY['schema_version', 'meta', 'sensors',"
            " 'sensor_databases', 'day_stats', 'day_counters']) t)")
        .int64(0, 0);
  });
}

}  // namespace teiten::pgstore
