#include "common/store/row_writer.h"

namespace teiten::store {
namespace {

std::string row_sql(bool s, size_t rows) {
  std::string one = s ? "(?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?)";
  std::string values;
  for (size_t i = 0; i < rows; ++i) values += (i ? ", " : "") + one;
  return tally_insert_sql(s) + " VALUES " + values + tally_upsert_sql(s);
}

std::string stats_sql(bool s) {
  std::string key = s ? "day, sensor" : "day";
  std::string params = s ? "?, ?, ?, ?, ?, ?, ?, ?" : "?, ?, ?, ?, ?, ?, ?";
  // NULL means "unknown": a span or drop count merges only with what is known.
  return "INSERT INTO day_stats(" + key +
         ", packets, first_packet, last_packet, capture_seconds, kernel_drops, if_drops)"
         " VALUES(" +
         params + ") ON CONFLICT(" + key +
         ") DO UPDATE SET packets = packets + excluded.packets,"
         " first_packet = min(coalesce(first_packet, excluded.first_packet),"
         "                    coalesce(excluded.first_packet, first_packet)),"
         " last_packet = max(coalesce(last_packet, excluded.last_packet),"
         "                   coalesce(excluded.last_packet, last_packet)),"
         " capture_seconds = capture_seconds + excluded.capture_seconds,"
         " kernel_drops = CASE WHEN excluded.kernel_drops IS NULL THEN kernel_drops"
         "   ELSE coalesce(kernel_drops, 0) + excluded.kernel_drops END,"
         " if_drops = CASE WHEN excluded.if_drops IS NULL THEN if_drops"
         "   ELSE coalesce(if_drops, 0) + excluded.if_drops END";
}

std::string counter_sql(bool s) {
  std::string key = s ? "day, sensor, name" : "day, name";
  std::string params = s ? "?, ?, ?, ?" : "?, ?, ?";
  return "INSERT INTO day_counters(" + key + ", value) VALUES(" + params + ") ON CONFLICT(" + key +
         ") DO UPDATE SET value = value + excluded.value";
}

void bind_optional(Statement& st, int i, const std::optional<uint64_t>& v) {
  if (v)
    st.bind(i, static_cast<int64_t>(*v));
  else
    st.bind_null(i);
}

}  // namespace

std::string tally_insert_sql(bool with_sensor) {
  return std::string("INSERT INTO tally(") + (with_sensor ? "k, sensor, src" : "k, src") +
         ", accesses, first_seen, last_seen)";
}

std::string tally_upsert_sql(bool with_sensor) {
  return std::string(" ON CONFLICT(") + (with_sensor ? "k, sensor, src" : "k, src") +
         ") DO UPDATE SET accesses = accesses + excluded.accesses,"
         " first_seen = min(first_seen, excluded.first_seen),"
         " last_seen = max(last_seen, excluded.last_seen)";
}

void bind_src(Statement& st, int index, const base::IpAddress& src) {
  if (src.is_v4())
    st.bind(index, static_cast<int64_t>(src.v4_value()));
  else
    st.bind(index, src.to_string());
}

base::IpAddress column_src(const Statement& st, int col) {
  if (st.column_type(col) == SQLITE_INTEGER)
    return base::IpAddress::v4(static_cast<uint32_t>(st.column_int64(col)));
  auto parsed = base::IpAddress::parse(st.column_text(col));
  if (!parsed) throw StoreError("bad source address '" + st.column_text(col) + "' in database", 0);
  return *parsed;
}

RowWriter::RowWriter(Database& db, bool with_sensor)
    : with_sensor_(with_sensor),
      per_row_(with_sensor ? 6 : 5),
      batch_(db.prepare(row_sql(with_sensor, kBatch))),
      single_(db.prepare(row_sql(with_sensor, 1))),
      stats_(db.prepare(stats_sql(with_sensor))),
      counter_(db.prepare(counter_sql(with_sensor))) {
  pending_.reserve(kBatch);
}

void RowWriter::write(const tally::Row& r, int64_t sensor) {
  if (r.day < 0 || r.day > tally::kMaxDay)
    throw StoreError("row day " + std::to_string(r.day) + " outside the storable range", 0);
  auto key = tally::order_key(static_cast<uint16_t>(r.day), tally::pack_proto_kind(r.proto, r.kind),
                              r.port);
  push({static_cast<int64_t>(key), sensor, r.src.is_v4() ? int64_t{r.src.v4_value()} : -1,
        r.src.is_v4() ? std::string() : r.src.to_string(), static_cast<int64_t>(r.accesses),
        r.first_seen, r.last_seen});
}

void RowWriter::write(const tally::SortedV4& r, int64_t sensor) {
  push({static_cast<int64_t>(r.key), sensor, int64_t{r.src}, std::string(),
        int64_t{r.counts.accesses}, int64_t{r.counts.first_seen}, int64_t{r.counts.last_seen}});
}

void RowWriter::write(const tally::SortedV6& r, int64_t sensor) {
  push({static_cast<int64_t>(r.key), sensor, -1, base::format_ipv6(r.src),
        int64_t{r.counts.accesses}, int64_t{r.counts.first_seen}, int64_t{r.counts.last_seen}});
}

void RowWriter::bind_row(Statement& st, int i, const Pending& p) {
  st.bind(i++, p.key);
  if (with_sensor_) st.bind(i++, p.sensor);
  if (p.src_v4 >= 0)
    st.bind(i++, p.src_v4);
  else
    st.bind(i++, p.src_v6);
  st.bind(i++, p.accesses);
  st.bind(i++, p.first_seen);
  st.bind(i++, p.last_seen);
}

void RowWriter::push(Pending p) {
  pending_.push_back(std::move(p));
  if (pending_.size() < kBatch) return;
  for (size_t k = 0; k < kBatch; ++k)
    bind_row(batch_, 1 + static_cast<int>(k) * per_row_, pending_[k]);
  batch_.run();
  pending_.clear();
}

void RowWriter::finish() {
  for (const auto& p : pending_) {
    bind_row(single_, 1, p);
    single_.run();
  }
  pending_.clear();
}

void RowWriter::write_stats(base::Day day, const tally::DayStats& s, int64_t sensor) {
  int i = 1;
  stats_.bind(i++, day);
  if (with_sensor_) stats_.bind(i++, sensor);
  stats_.bind(i++, static_cast<int64_t>(s.packets));
  if (s.has_packets()) {
    stats_.bind(i++, s.first_packet);
    stats_.bind(i++, s.last_packet);
  } else {
    stats_.bind_null(i++);
    stats_.bind_null(i++);
  }
  stats_.bind(i++, s.capture_seconds);
  bind_optional(stats_, i++, s.kernel_drops);
  bind_optional(stats_, i++, s.if_drops);
  stats_.run();

  for (const auto& c : tally::named_counters(s)) {
    int j = 1;
    counter_.bind(j++, day);
    if (with_sensor_) counter_.bind(j++, sensor);
    counter_.bind(j++, c.name);
    counter_.bind(j++, static_cast<int64_t>(c.value));
    counter_.run();
  }
}

}  // namespace teiten::store
