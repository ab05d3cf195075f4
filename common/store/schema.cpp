#include "common/store/schema.h"

#include <algorithm>
#include <cstdio>

namespace teiten::store {

std::string key_columns_sql(const std::string& k) {
  return "(" + k + " >> 32) AS day, ((" + k + " >> 24) & 255) AS proto, ((" + k +
         " >> 8) & 65535) AS port, (" + k + " & 15) AS kind";
}

std::string day_key_range_sql(const std::string& k) {
  return k + " >= (?1 << 32) AND " + k + " < ((?1 + 1) << 32)";
}

std::string day_text_sql(const std::string& c) {
  return "date(" + c + " * 86400, 'unixepoch')";
}

std::string proto_text_sql(const std::string& c) {
  return "CASE " + c +
         " WHEN 1 THEN 'tcp' WHEN 2 THEN 'udp' WHEN 3 THEN 'icmp' WHEN 4 THEN 'icmpv6' ELSE 'ip' "
         "END";
}

std::string kind_text_sql(const std::string& c) {
  return "CASE " + c + " WHEN 1 THEN 'probe' WHEN 2 THEN 'backscatter' ELSE 'other' END";
}

// IPv4 sources are stored as integers (compact, fast to compare); the view
// turns them into dotted quads so plain sqlite3 shows canonical text.
std::string src_text_sql(const std::string& c) {
  return "CASE WHEN typeof(" + c + ") = 'integer' THEN ((" + c + " >> 24) & 255) || '.' || ((" + c +
         " >> 16) & 255) || '.' || ((" + c + " >> 8) & 255) || '.' || (" + c + " & 255) ELSE " + c +
         " END";
}

namespace {

// Columns shared by both schemas. Counters are named "malformed.<reason>",
// "ignored.<reason>", "non_ip.0x<type>".
std::string coverage_select(const std::string& stats, const std::string& counters,
                            const std::string& sensor_expr, const std::string& join,
                            const std::string& match) {
  auto sum_of = [&](const std::string& prefix) {
    return "(SELECT coalesce(sum(c.value), 0) FROM " + counters + " c WHERE c.day = s.day" + match +
           " AND c.name LIKE '" + prefix + ".%')";
  };
  return "SELECT " + day_text_sql("s.day") + " AS day, " + sensor_expr +
         " AS sensor, CASE WHEN s.capture_seconds > 0 THEN s.capture_seconds"
         " WHEN s.last_packet >= s.first_packet THEN s.last_packet - s.first_packet ELSE 0 END"
         " AS coverage_seconds, s.packets AS packets, s.kernel_drops AS kernel_drops,"
         " s.if_drops AS if_drops, " +
         sum_of("malformed") + " AS malformed, " + sum_of("non_ip") + " AS non_ip, " +
         sum_of("ignored") +
         " AS ignored, s.first_packet AS first_packet, s.last_packet AS"
         " last_packet, s.capture_seconds AS capture_seconds FROM " +
         stats + " s" + join;
}

std::vector<std::string> make_sensor_migrations() {
  std::string sensor = "(SELECT value FROM meta WHERE key = 'sensor_id')";
  std::string v1 =
      "CREATE TABLE meta(key TEXT PRIMARY KEY, value NOT NULL);"
      // k packs (day, proto, port, kind) as tally::order_key does (see
      // schema.h); one integer compares far faster than four columns.
      "CREATE TABLE tally(k INTEGER NOT NULL, src NOT NULL, accesses INTEGER NOT NULL,"
      " first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,"
      " PRIMARY KEY(k, src)) WITHOUT ROWID;"
      "CREATE VIEW tally_rows AS SELECT " +
      key_columns_sql("k") +
      ", src, accesses, first_seen,"
      " last_seen FROM tally;"
      "CREATE TABLE day_stats(day INTEGER PRIMARY KEY, packets INTEGER NOT NULL DEFAULT 0,"
      " first_packet INTEGER, last_packet INTEGER, capture_seconds INTEGER NOT NULL DEFAULT 0,"
      " kernel_drops INTEGER, if_drops INTEGER);"
      "CREATE TABLE day_counters(day INTEGER NOT NULL, name TEXT NOT NULL, value INTEGER NOT NULL,"
      " PRIMARY KEY(day, name)) WITHOUT ROWID;"
      // Batches frozen for the collector: sent in seq order, deleted once acknowledged.
      "CREATE TABLE outbox(seq INTEGER PRIMARY KEY, created INTEGER NOT NULL,"
      " rows INTEGER NOT NULL, min_day INTEGER, payload BLOB NOT NULL);"
      "CREATE VIEW rollup AS SELECT " +
      day_text_sql("t.day") + " AS day, " + sensor + " AS sensor, " + proto_text_sql("t.proto") +
      " AS proto, t.port AS port, " + src_text_sql("t.src") + " AS src, " +
      kind_text_sql("t.kind") +
      " AS kind, t.accesses AS accesses, t.first_seen AS first_seen, t.last_seen AS last_seen"
      " FROM tally_rows t;"
      "CREATE VIEW coverage AS " +
      coverage_select("day_stats", "day_counters", sensor, "", "") +
      ";"
      "CREATE VIEW counters AS SELECT " +
      day_text_sql("day") + " AS day, " + sensor + " AS sensor, name, value FROM day_counters;";
  return {v1};
}

std::vector<std::string> make_collector_migrations() {
  std::string v1 =
      "CREATE TABLE meta(key TEXT PRIMARY KEY, value NOT NULL);"
      "CREATE TABLE sensors(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
      " first_contact INTEGER, last_contact INTEGER);"
      // One row per sensor database ever seen: resends are recognised by
      // (database, seq); a recreated sensor database starts a new row.
      "CREATE TABLE sensor_databases(sensor INTEGER NOT NULL REFERENCES sensors(id),"
      " database_id TEXT NOT NULL, last_seq INTEGER NOT NULL, last_batch INTEGER,"
      " batches INTEGER NOT NULL DEFAULT 0, rows INTEGER NOT NULL DEFAULT 0,"
      " PRIMARY KEY(sensor, database_id)) WITHOUT ROWID;"
      "CREATE TABLE tally(k INTEGER NOT NULL, sensor INTEGER NOT NULL, src NOT NULL,"
      " accesses INTEGER NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,"
      " PRIMARY KEY(k, sensor, src)) WITHOUT ROWID;"
      "CREATE VIEW tally_rows AS SELECT " +
      key_columns_sql("k") +
      ", sensor, src, accesses,"
      " first_seen, last_seen FROM tally;"
      "CREATE TABLE day_stats(day INTEGER NOT NULL, sensor INTEGER NOT NULL,"
      " packets INTEGER NOT NULL DEFAULT 0, first_packet INTEGER, last_packet INTEGER,"
      " capture_seconds INTEGER NOT NULL DEFAULT 0, kernel_drops INTEGER, if_drops INTEGER,"
      " PRIMARY KEY(day, sensor)) WITHOUT ROWID;"
      "CREATE TABLE day_counters(day INTEGER NOT NULL, sensor INTEGER NOT NULL,"
      " name TEXT NOT NULL, value INTEGER NOT NULL, PRIMARY KEY(day, sensor, name)) WITHOUT ROWID;"
      "CREATE VIEW rollup AS SELECT " +
      day_text_sql("t.day") + " AS day, n.name AS sensor, " + proto_text_sql("t.proto") +
      " AS proto, t.port AS port, " + src_text_sql("t.src") + " AS src, " +
      kind_text_sql("t.kind") +
      " AS kind, t.accesses AS accesses, t.first_seen AS first_seen, t.last_seen AS last_seen"
      " FROM tally_rows t JOIN sensors n ON n.id = t.sensor;"
      "CREATE VIEW coverage AS " +
      coverage_select("day_stats", "day_counters", "n.name", " JOIN sensors n ON n.id = s.sensor",
                      " AND c.sensor = s.sensor") +
      ";"
      "CREATE VIEW counters AS SELECT " +
      day_text_sql("c.day") +
      " AS day, n.name AS sensor, c.name AS name, c.value AS value FROM day_counters c"
      " JOIN sensors n ON n.id = c.sensor;";
  return {v1};
}

std::string hex32(int32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", static_cast<uint32_t>(v));
  return buf;
}

std::vector<std::string> table_names(Database& db) {
  std::vector<std::string> out;
  auto st = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
  while (st.step()) out.push_back(st.column_text(0));
  return out;
}

bool holds(const std::vector<std::string>& tables, const std::string& name) {
  return std::find(tables.begin(), tables.end(), name) != tables.end();
}

// user_version is any 32-bit integer; only 0..known index the migrations.
void check_version(Database& db, const Schema& schema, int version) {
  int known = static_cast<int>(schema.migrations.size());
  if (version >= 0 && version <= known) return;
  throw StoreError(
      schema.what + " " + db.path() + " has schema version " + std::to_string(version) +
          "; this program knows 0.." + std::to_string(known) +
          (version > known ? " (made by a newer teiten?)" : " (teiten never writes one below 0)"),
      0);
}

}  // namespace

// Application ids spell "TTNS" and "TTNC" in ASCII.
const Schema& sensor_schema() {
  static const Schema s{"sensor database", 0x54544E53, "outbox", make_sensor_migrations()};
  return s;
}

const Schema& collector_schema() {
  static const Schema s{"collector database", 0x54544E43, "sensor_databases",
                        make_collector_migrations()};
  return s;
}

void vet(Database& db, const Schema& schema) {
  const int32_t id = db.application_id();
  if (id == schema.application_id) return check_version(db, schema, db.user_version());
  for (const Schema* other : {&sensor_schema(), &collector_schema()})
    if (id == other->application_id)
      throw StoreError(db.path() + " is a teiten " + other->what + ", not a " + schema.what, 0);
  if (id != 0)
    throw StoreError(db.path() + " belongs to another program (SQLite application id " + hex32(id) +
                         "; a teiten " + schema.what + " has " + hex32(schema.application_id) + ")",
                     0);
  // No id: a new file, or a teiten database made before ids were set.
  auto tables = table_names(db);
  if (tables.empty()) return check_version(db, schema, db.user_version());
  for (const Schema* kind : {&sensor_schema(), &collector_schema()}) {
    if (!holds(tables, "meta") || !holds(tables, kind->own_table)) continue;
    if (kind != &schema)
      throw StoreError(db.path() + " is a teiten " + kind->what + ", not a " + schema.what, 0);
    return check_version(db, schema, db.user_version());
  }
  std::string list;
  for (size_t i = 0; i < tables.size() && i < 5; ++i) list += (i ? ", " : "") + tables[i];
  if (tables.size() > 5) list += ", ...";
  throw StoreError(db.path() + " is not a teiten " + schema.what + " (it holds tables " + list +
                       " and no teiten application id); name a new file in storage.path",
                   0);
}

void migrate(Database& db, const Schema& schema) {
  Transaction tx(db);
  int have = db.user_version();
  check_version(db, schema, have);
  int want = static_cast<int>(schema.migrations.size());
  for (int v = have; v < want; ++v) db.exec(schema.migrations[static_cast<size_t>(v)]);
  if (have != want) db.set_user_version(want);
  if (db.application_id() != schema.application_id) db.set_application_id(schema.application_id);
  tx.commit();
}

std::unique_ptr<Database> open_store_database(const std::string& path, const Schema& schema) {
  auto db = std::make_unique<Database>(path, false, [&](Database& d) { vet(d, schema); });
  migrate(*db, schema);
  return db;
}

}  // namespace teiten::store
