// teiten-load-rows: writes rows given as text into a real collector or
// sensor database through CollectorStore / SensorStore, so tests and the
// report benchmark get databases of exactly known content in the real
// schema (no second copy of the schema in Python).
//
//   teiten-load-rows collector DB [ZONE] < lines    (DB: a file, or postgresql://...)
//   teiten-load-rows sensor DB SENSOR_ID [ZONE] < lines
// Lines (tab- or space-separated; "-" for a missing optional value):
//   row SENSOR DAY PROTO PORT KIND SRC ACCESSES FIRST_SEEN LAST_SEEN
//   day SENSOR DAY CAPTURE_SECONDS PACKETS KERNEL_DROPS IF_DROPS FIRST_PACKET LAST_PACKET
//   counter SENSOR DAY NAME VALUE            (malformed.snaplen, ignored.outgoing, ...)
// DAY is YYYY-MM-DD. In sensor mode SENSOR must be SENSOR_ID. Rows of one
// sensor are applied in batches of 200,000, each sorted into key order.
#include <algorithm>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include "common/pgstore/pg_collector_store.h"
#include "common/store/collector_store.h"
#include "common/store/sensor_store.h"

using namespace teiten;

namespace {

struct Pending {
  std::vector<tally::Row> rows;
  std::map<base::Day, tally::DayStats> days;
  uint64_t seq = 0;
};

[[noreturn]] void fail(size_t line, const std::string& what) {
  std::cerr << "teiten-load-rows: line " << line << ": " << what << '\n';
  std::exit(2);
}

std::optional<uint64_t> optional_number(const std::string& s) {
  if (s == "-") return std::nullopt;
  return std::stoull(s);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || (std::string(argv[1]) != "collector" && std::string(argv[1]) != "sensor") ||
      (std::string(argv[1]) == "sensor" && argc < 4)) {
    std::cerr << "usage: teiten-load-rows collector DB [ZONE] | sensor DB SENSOR_ID [ZONE]\n";
    return 2;
  }
  bool collector = std::string(argv[1]) == "collector";
  std::string path = argv[2];
  std::string sensor_id = collector ? "" : argv[3];
  std::string zone = argc > (collector ? 3 : 4) ? argv[collector ? 3 : 4] : "UTC";
  try {
    std::unique_ptr<store::CollectorStorage> cs;
    std::optional<store::SensorStore> ss;
    if (collector && pgstore::is_postgres_location(path))
      cs = std::make_unique<pgstore::PgCollectorStore>(pgstore::PgSettings{path}, zone);
    else if (collector)
      cs = std::make_unique<store::CollectorStore>(path, zone);
    else
      ss.emplace(path, sensor_id, zone);
    std::map<std::string, Pending> pending;
    const std::string database_id(32, 'f');
    auto flush = [&](const std::string& sensor, Pending& p) {
      std::sort(p.rows.begin(), p.rows.end(), [](const tally::Row& a, const tally::Row& b) {
        return a.store_order() < b.store_order();
      });
      if (collector) {
        cs->apply(sensor, database_id, ++p.seq, p.rows, p.days, 0);
      } else {
        tally::TallyDelta d;
        for (const auto& r : p.rows) {
          auto pk = tally::pack_proto_kind(r.proto, r.kind);
          tally::Counts c{static_cast<uint32_t>(r.accesses), static_cast<uint32_t>(r.first_seen),
                          static_cast<uint32_t>(r.last_seen)};
          if (r.src.is_v4()) {
            d.rows.merge_row(
                tally::Key4{r.src.v4_value(), r.port, static_cast<uint16_t>(r.day), pk}, c);
          } else {
            tally::Key6 k{};
            std::copy(r.src.bytes.begin(), r.src.bytes.end(), k.src);
            k.port = r.port;
            k.day = static_cast<uint16_t>(r.day);
            k.proto_kind = pk;
            d.rows.merge_row(k, c);
          }
        }
        d.days = p.days;
        ss->commit(d);
      }
      p.rows.clear();
      p.days.clear();
    };
    std::string text;
    size_t line = 0;
    while (std::getline(std::cin, text)) {
      ++line;
      std::istringstream in(text);
      std::string what, sensor, day_text;
      if (!(in >> what) || what[0] == '#') continue;
      in >> sensor >> day_text;
      if (!collector && sensor != sensor_id)
        fail(line, "sensor " + sensor + " in a sensor database");
      auto day = base::parse_day(day_text);
      if (!day) fail(line, "bad day '" + day_text + "'");
      auto& p = pending[sensor];
      if (what == "row") {
        std::string proto, kind, src;
        uint64_t port = 0, accesses = 0;
        int64_t first = 0, last = 0;
        if (!(in >> proto >> port >> kind >> src >> accesses >> first >> last))
          fail(line, "row needs SENSOR DAY PROTO PORT KIND SRC ACCESSES FIRST LAST");
        tally::Row r;
        r.day = *day;
        auto pr = packet::parse_proto(proto);
        auto k = packet::parse_kind(kind);
        auto a = base::IpAddress::parse(src);
        if (!pr || !k || !a || port > 65535) fail(line, "bad proto, kind, port or source");
        r.proto = *pr;
        r.kind = *k;
        r.port = static_cast<uint16_t>(port);
        r.src = *a;
        r.accesses = accesses;
        r.first_seen = first;
        r.last_seen = last;
        p.rows.push_back(r);
        if (p.rows.size() >= 200000) flush(sensor, p);
      } else if (what == "day") {
        std::string capture, packets, kd, id, fp, lp;
        if (!(in >> capture >> packets >> kd >> id >> fp >> lp))
          fail(line, "day needs SENSOR DAY CAPTURE PACKETS KDROPS IFDROPS FIRST LAST");
        tally::DayStats s;
        s.capture_seconds = std::stoll(capture);
        s.packets = std::stoull(packets);
        s.kernel_drops = optional_number(kd);
        s.if_drops = optional_number(id);
        if (fp != "-") s.first_packet = std::stoll(fp);
        if (lp != "-") s.last_packet = std::stoll(lp);
        p.days[*day].merge(s);
      } else if (what == "counter") {
        std::string name;
        uint64_t value = 0;
        if (!(in >> name >> value)) fail(line, "counter needs SENSOR DAY NAME VALUE");
        if (!tally::add_named_counter(p.days[*day], name, value))
          fail(line, "unknown counter " + name);
      } else {
        fail(line, "unknown line type '" + what + "'");
      }
    }
    for (auto& [sensor, p] : pending) flush(sensor, p);
  } catch (const std::exception& e) {
    std::cerr << "teiten-load-rows: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
