#include "common/store/sqlite_report_source.h"

#include <map>
#include <set>

#include "common/store/database.h"
#include "common/store/row_writer.h"
#include "common/store/schema.h"
#include "common/tally/sorted_rows.h"

namespace teiten::store {
namespace {

std::optional<uint64_t> optional_column(const Statement& st, int col) {
  if (st.column_is_null(col)) return std::nullopt;
  return static_cast<uint64_t>(st.column_int64(col));
}

// Reads the tables behind the views where the volume is (tally: one integer
// key range per query, in primary-key order) and the views themselves where
// it is not (coverage, counters: a few rows per sensor and day).
class SqliteReportSource final : public ReportSource {
 public:
  explicit SqliteReportSource(const std::string& path) : db_(path, true) {
    // A deferred transaction takes its snapshot at the first read; reading
    // the schema here pins it for every later call.
    db_.exec("BEGIN");
    std::set<std::string> objects;
    auto st = db_.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')");
    while (st.step()) objects.insert(st.column_text(0));
    for (const char* needed : {"meta", "tally", "day_stats", "rollup", "coverage", "counters"})
      if (!objects.count(needed))
        throw StoreError(path + " is not a teiten database (it has no " + needed + ")", 0);
    collector_ = objects.count("sensors") > 0;
    vet(db_, collector_ ? collector_schema() : sensor_schema());
    if (collector_) {
      auto names = db_.prepare("SELECT id, name FROM sensors ORDER BY name");
      while (names.step()) {
        auto id = names.column_int64(0);
        if (id >= 0) {
          if (static_cast<size_t>(id) >= index_of_id_.size()) index_of_id_.resize(id + 1, 0);
          index_of_id_[static_cast<size_t>(id)] = static_cast<SensorIndex>(sensors_.size());
        }
        sensors_.push_back(names.column_text(1));
        index_of_name_[sensors_.back()] = static_cast<SensorIndex>(sensors_.size() - 1);
      }
    } else {
      auto id = db_.prepare("SELECT value FROM meta WHERE key = 'sensor_id'");
      if (!id.step()) throw StoreError(path + " is not a teiten database (no sensor id)", 0);
      sensors_.push_back(id.column_text(0));
      index_of_name_[sensors_.back()] = 0;
    }
  }

  ~SqliteReportSource() override {
    try {
      db_.exec("COMMIT");
    } catch (...) {  // closing drops the read transaction anyway
    }
  }

  std::string kind() const override { return collector_ ? "collector" : "sensor"; }
  const std::vector<std::string>& sensors() const override { return sensors_; }

  std::optional<DayRange> days() override {
    auto lo_k = db_.query_int("SELECT min(k) FROM tally");
    auto hi_k = db_.query_int("SELECT max(k) FROM tally");
    auto lo_s = db_.query_int("SELECT min(day) FROM day_stats");
    auto hi_s = db_.query_int("SELECT max(day) FROM day_stats");
    std::optional<DayRange> out;
    auto widen = [&out](int64_t first, int64_t last) {
      DayRange r{static_cast<base::Day>(first), static_cast<base::Day>(last)};
      if (!out) {
        out = r;
      } else {
        out->first = std::min(out->first, r.first);
        out->last = std::max(out->last, r.last);
      }
    };
    if (lo_k && hi_k) widen(tally::key_day(static_cast<uint64_t>(*lo_k)),
                            tally::key_day(static_cast<uint64_t>(*hi_k)));
    if (lo_s && hi_s) widen(*lo_s, *hi_s);
    return out;
  }

  std::vector<PortDayTotal> port_day_totals(DayRange range) override {
    // Grouped in primary-key order: SQLite streams the groups, no sorting.
    auto st = db_.prepare(collector_ ? "SELECT k, sensor, sum(accesses), count(*) FROM tally"
                                       " WHERE k >= ?1 AND k < ?2 GROUP BY k, sensor"
                                     : "SELECT k, 0, sum(accesses), count(*) FROM tally"
                                       " WHERE k >= ?1 AND k < ?2 GROUP BY k");
    bind_range(st, range);
    std::vector<PortDayTotal> out;
    while (st.step()) {
      auto k = static_cast<uint64_t>(st.column_int64(0));
      PortDayTotal t;
      t.day = tally::key_day(k);
      t.sensor = sensor_index(st.column_int64(1));
      t.proto = tally::key_proto(k);
      t.port = tally::key_port(k);
      t.kind = tally::key_kind(k);
      t.accesses = static_cast<uint64_t>(st.column_int64(2));
      t.sources = static_cast<uint64_t>(st.column_int64(3));
      out.push_back(t);
    }
    return out;
  }

  void for_each_row(DayRange range, packet::Kind kind,
                    const std::function<void(const SourceRow&)>& fn) override {
    auto st = db_.prepare(collector_ ? "SELECT k, sensor, src, accesses FROM tally"
                                       " WHERE k >= ?1 AND k < ?2 AND (k & 15) = ?3"
                                     : "SELECT k, 0, src, accesses FROM tally"
                                       " WHERE k >= ?1 AND k < ?2 AND (k & 15) = ?3");
    bind_range(st, range);
    st.bind(3, static_cast<int64_t>(kind));
    SourceRow r;
    while (st.step()) {
      auto k = static_cast<uint64_t>(st.column_int64(0));
      r.day = tally::key_day(k);
      r.sensor = sensor_index(st.column_int64(1));
      r.proto = tally::key_proto(k);
      r.port = tally::key_port(k);
      r.src = column_src(st, 2);
      r.accesses = static_cast<uint64_t>(st.column_int64(3));
      fn(r);
    }
  }

  std::vector<SensorDay> coverage(DayRange range) override {
    auto st = db_.prepare(
        "SELECT day, sensor, coverage_seconds, packets, kernel_drops, if_drops, malformed, non_ip,"
        " ignored FROM coverage WHERE day BETWEEN ?1 AND ?2");
    bind_text_range(st, range);
    std::vector<SensorDay> out;
    while (st.step()) {
      SensorDay d;
      d.day = parse_day_column(st, 0);
      d.sensor = index_of_name(st.column_text(1));
      d.coverage_seconds = st.column_int64(2);
      d.packets = static_cast<uint64_t>(st.column_int64(3));
      d.kernel_drops = optional_column(st, 4);
      d.if_drops = optional_column(st, 5);
      d.malformed = static_cast<uint64_t>(st.column_int64(6));
      d.non_ip = static_cast<uint64_t>(st.column_int64(7));
      d.ignored = static_cast<uint64_t>(st.column_int64(8));
      out.push_back(d);
    }
    return out;
  }

  std::vector<DayCounter> counters(DayRange range) override {
    auto st = db_.prepare(
        "SELECT day, sensor, name, value FROM counters WHERE day BETWEEN ?1 AND ?2");
    bind_text_range(st, range);
    std::vector<DayCounter> out;
    while (st.step())
      out.push_back({parse_day_column(st, 0), index_of_name(st.column_text(1)), st.column_text(2),
                     static_cast<uint64_t>(st.column_int64(3))});
    return out;
  }

 private:
  static void bind_range(Statement& st, DayRange range) {
    st.bind(1, static_cast<int64_t>(range.first) << 32);
    st.bind(2, static_cast<int64_t>(range.last + 1) << 32);
  }
  static void bind_text_range(Statement& st, DayRange range) {
    st.bind(1, base::format_day(range.first));
    st.bind(2, base::format_day(range.last));
  }
  static base::Day parse_day_column(const Statement& st, int col) {
    auto day = base::parse_day(st.column_text(col));
    if (!day) throw StoreError("bad day '" + st.column_text(col) + "' in database", 0);
    return *day;
  }
  SensorIndex sensor_index(int64_t id) const {
    if (!collector_) return 0;
    if (id < 0 || static_cast<size_t>(id) >= index_of_id_.size())
      throw StoreError("row of unknown sensor number " + std::to_string(id), 0);
    return index_of_id_[static_cast<size_t>(id)];
  }
  SensorIndex index_of_name(const std::string& name) const {
    auto it = index_of_name_.find(name);
    if (it == index_of_name_.end()) throw StoreError("unknown sensor '" + name + "'", 0);
    return it->second;
  }

  Database db_;
  bool collector_ = false;
  std::vector<std::string> sensors_;
  std::vector<SensorIndex> index_of_id_;
  std::map<std::string, SensorIndex> index_of_name_;
};

}  // namespace

std::unique_ptr<ReportSource> open_sqlite_report_source(const std::string& path) {
  return std::make_unique<SqliteReportSource>(path);
}

}  // namespace teiten::store
