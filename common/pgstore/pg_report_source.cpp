#include "common/pgstore/pg_report_source.h"

#include <map>

#include "common/pgstore/pg_connection.h"
#include "common/pgstore/pg_copy.h"
#include "common/pgstore/pg_schema.h"

namespace teiten::pgstore {
namespace {

// Day numbers to and from dates inside the SQL text: they are integers
// this program computed, so writing them into the text is safe, and COPY
// takes no parameters.
std::string date_sql(base::Day day) {
  return "(date '1970-01-01' + " + std::to_string(day) + ")";
}
std::string range_sql(const std::string& column, store::DayRange r) {
  return column + " BETWEEN " + date_sql(r.first) + " AND " + date_sql(r.last);
}
constexpr const char* kDayNumber = " - date '1970-01-01'";
constexpr int64_t kMaxSensorId = 1 << 24;
constexpr auto kNoSensor = static_cast<store::SensorIndex>(-1);

class PgReportSource final : public store::ReportSource {
 public:
  explicit PgReportSource(const PgSettings& settings) : c_(settings) {
    int version = schema_version(c_);
    if (version == 0)
      throw store::StoreError(c_.description() + " holds no teiten database (no schema_version)",
                              0);
    if (auto problem = schema_version_problem(version); !problem.empty())
      throw store::StoreError(c_.description() + " " + problem, 0);
    c_.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    // Byte order of names, as SQLite's ORDER BY gives them, whatever the
    // database's collation.
    auto r = c_.query("SELECT id, name FROM sensors ORDER BY name COLLATE \"C\"");
    for (int i = 0; i < r.rows(); ++i) {
      auto index = static_cast<store::SensorIndex>(i);
      auto id = r.int64(i, 0);
      if (id < 0 || id > kMaxSensorId)
        throw store::StoreError("sensor number " + std::to_string(id) + " out of range", 0);
      if (static_cast<size_t>(id) >= index_of_id_.size())
        index_of_id_.resize(static_cast<size_t>(id) + 1, kNoSensor);
      index_of_id_[static_cast<size_t>(id)] = index;
      index_of_name_[r.text(i, 1)] = index;
      sensors_.push_back(r.text(i, 1));
    }
  }

  ~PgReportSource() override {
    try {
      if (!c_.broken()) c_.exec("COMMIT");
    } catch (const std::exception&) {  // the session's end ends it too
    }
  }

  std::string kind() const override { return "collector"; }
  const std::vector<std::string>& sensors() const override { return sensors_; }

  std::optional<store::DayRange> days() override {
    auto r = c_.query(std::string("SELECT least(t.lo, s.lo)") + kDayNumber +
                      ", greatest(t.hi, s.hi)" + kDayNumber +
                      " FROM (SELECT min(day) AS lo, max(day) AS hi FROM tally) t,"
                      " (SELECT min(day) AS lo, max(day) AS hi FROM day_stats) s");
    if (r.is_null(0, 0)) return std::nullopt;
    return store::DayRange{static_cast<base::Day>(r.int64(0, 0)),
                           static_cast<base::Day>(r.int64(0, 1))};
  }

  std::vector<store::PortDayTotal> port_day_totals(store::DayRange range) override {
    // Groups are almost as many as rows (a sensor sees most port types of
    // a day from a few sources), far more than the planner estimates: it
    // would hash them and spill to disk. Read in primary-key order the
    // groups stream out one after another, as SQLite's do; about five
    // times faster here. Only this query is steered. Binary COPY, not a
    // result set: libpq would hold a month's million groups as text.
    c_.exec("SET enable_hashagg = off");
    std::vector<store::PortDayTotal> out;
    CopyReader reader;
    c_.copy_out(
        "COPY (SELECT day, sensor, proto, port, kind, sum(accesses)::bigint, count(*)"
        " FROM tally WHERE " +
            range_sql("day", range) +
            " GROUP BY day, proto, port, kind, sensor"
            " ORDER BY day, proto, port, kind, sensor) TO STDOUT (FORMAT binary)",
        [&](std::string_view chunk) {
          if (!reader.feed(chunk)) return;
          store::PortDayTotal t;
          t.day = reader.date(0);
          t.sensor = sensor_index(reader.int32(1));
          t.proto = static_cast<packet::Proto>(reader.int16(2));
          t.port = static_cast<uint16_t>(reader.int32(3));
          t.kind = static_cast<packet::Kind>(reader.int16(4));
          t.accesses = static_cast<uint64_t>(reader.int64(5));
          t.sources = static_cast<uint64_t>(reader.int64(6));
          out.push_back(t);
        });
    c_.exec("RESET enable_hashagg");
    return out;
  }

  void for_each_row(store::DayRange range, packet::Kind kind,
                    const std::function<void(const store::SourceRow&)>& fn) override {
    CopyReader reader;
    store::SourceRow row;
    c_.copy_out("COPY (SELECT day, sensor, proto, port, src, accesses FROM tally WHERE " +
                    range_sql("day", range) + " AND kind = " +
                    std::to_string(static_cast<int>(kind)) + ") TO STDOUT (FORMAT binary)",
                [&](std::string_view chunk) {
                  if (!reader.feed(chunk)) return;
                  row.day = reader.date(0);
                  row.sensor = sensor_index(reader.int32(1));
                  row.proto = static_cast<packet::Proto>(reader.int16(2));
                  row.port = static_cast<uint16_t>(reader.int32(3));
                  row.src = reader.inet(4);
                  row.accesses = static_cast<uint64_t>(reader.int64(5));
                  fn(row);
                });
  }

  std::vector<store::SensorDay> coverage(store::DayRange range) override {
    // The coverage view, so its rule is written once (in the schema); its
    // day is 'YYYY-MM-DD' text, which orders like the dates.
    auto r = c_.query(
        "SELECT day, sensor, coverage_seconds, packets, kernel_drops, if_drops, malformed,"
        " non_ip, ignored FROM coverage WHERE day BETWEEN $1 AND $2",
        {base::format_day(range.first), base::format_day(range.last)});
    std::vector<store::SensorDay> out;
    for (int i = 0; i < r.rows(); ++i) {
      store::SensorDay d;
      d.day = parse_day(r.text(i, 0));
      d.sensor = index_of_name(r.text(i, 1));
      d.coverage_seconds = r.int64(i, 2);
      d.packets = static_cast<uint64_t>(r.int64(i, 3));
      if (auto v = r.optional_int64(i, 4)) d.kernel_drops = static_cast<uint64_t>(*v);
      if (auto v = r.optional_int64(i, 5)) d.if_drops = static_cast<uint64_t>(*v);
      d.malformed = static_cast<uint64_t>(r.int64(i, 6));
      d.non_ip = static_cast<uint64_t>(r.int64(i, 7));
      d.ignored = static_cast<uint64_t>(r.int64(i, 8));
      out.push_back(d);
    }
    return out;
  }

  std::vector<store::DayCounter> counters(store::DayRange range) override {
    // The table, searched by its key: the view's text day cannot be.
    auto r = c_.query(std::string("SELECT day") + kDayNumber +
                      ", sensor, name, value FROM day_counters WHERE " + range_sql("day", range));
    std::vector<store::DayCounter> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back({static_cast<base::Day>(r.int64(i, 0)), sensor_index(r.int64(i, 1)),
                     r.text(i, 2), static_cast<uint64_t>(r.int64(i, 3))});
    return out;
  }

 private:
  store::SensorIndex sensor_index(int64_t id) const {
    if (id < 0 || static_cast<size_t>(id) >= index_of_id_.size() ||
        index_of_id_[static_cast<size_t>(id)] == kNoSensor)
      throw store::StoreError("row of unknown sensor number " + std::to_string(id), 0);
    return index_of_id_[static_cast<size_t>(id)];
  }
  store::SensorIndex index_of_name(const std::string& name) const {
    auto it = index_of_name_.find(name);
    if (it == index_of_name_.end()) throw store::StoreError("unknown sensor '" + name + "'", 0);
    return it->second;
  }
  static base::Day parse_day(const std::string& text) {
    auto day = base::parse_day(text);
    if (!day) throw store::StoreError("bad day '" + text + "' in database", 0);
    return *day;
  }

  PgConnection c_;
  std::vector<std::string> sensors_;
  // By sensor number (dense, from an identity column): every row looks one up.
  std::vector<store::SensorIndex> index_of_id_;
  std::map<std::string, store::SensorIndex> index_of_name_;
};

}  // namespace

std::unique_ptr<store::ReportSource> open_pg_report_source(const PgSettings& settings) {
  return std::make_unique<PgReportSource>(settings);
}

}  // namespace teiten::pgstore
