// Test doubles for the report library: an in-memory ReportSource built
// from rows, and a Locator that answers by the first octet.
#pragma once

#include <algorithm>
#include <map>

#include "common/geo/locator.h"
#include "common/store/report_source.h"

namespace teiten::test {

struct FakeRow {
  base::Day day;
  store::SensorIndex sensor;
  packet::Proto proto;
  uint16_t port;
  packet::Kind kind;
  std::string src;
  uint64_t accesses;
};

class FakeSource final : public store::ReportSource {
 public:
  std::vector<std::string> names;
  std::vector<FakeRow> rows;
  std::vector<store::SensorDay> days_covered;
  std::vector<store::DayCounter> counter_rows;

  /// Full coverage of [first, last] for every sensor but those listed as missing.
  void cover(base::Day first, base::Day last,
             const std::vector<std::pair<base::Day, store::SensorIndex>>& missing = {}) {
    for (base::Day d = first; d <= last; ++d)
      for (store::SensorIndex s = 0; s < names.size(); ++s)
        if (std::find(missing.begin(), missing.end(), std::make_pair(d, s)) == missing.end())
          days_covered.push_back({d, s, 86400, 10, 0, std::nullopt, 0, 0, 0});
  }

  std::string kind() const override { return "collector"; }
  const std::vector<std::string>& sensors() const override { return names; }
  std::optional<store::DayRange> days() override {
    std::optional<store::DayRange> r;
    auto widen = [&r](base::Day d) {
      if (!r) r = store::DayRange{d, d};
      r->first = std::min(r->first, d);
      r->last = std::max(r->last, d);
    };
    for (const auto& x : rows) widen(x.day);
    for (const auto& x : days_covered) widen(x.day);
    return r;
  }
  std::vector<store::PortDayTotal> port_day_totals(store::DayRange range) override {
    std::map<std::tuple<base::Day, store::SensorIndex, packet::Proto, uint16_t, packet::Kind>,
             store::PortDayTotal>
        m;
    for (const auto& x : rows) {
      if (x.day < range.first || x.day > range.last) continue;
      auto& t = m[{x.day, x.sensor, x.proto, x.port, x.kind}];
      t = {x.day, x.sensor, x.proto, x.port, x.kind, t.accesses + x.accesses, t.sources + 1};
    }
    std::vector<store::PortDayTotal> out;
    for (auto& [k, v] : m) out.push_back(v);
    return out;
  }
  void for_each_row(store::DayRange range, packet::Kind kind,
                    const std::function<void(const store::SourceRow&)>& fn) override {
    for (const auto& x : rows)
      if (x.day >= range.first && x.day <= range.last && x.kind == kind)
        fn({x.day, x.sensor, x.proto, x.port, *base::IpAddress::parse(x.src), x.accesses});
  }
  std::vector<store::SensorDay> coverage(store::DayRange range) override {
    std::vector<store::SensorDay> out;
    for (const auto& d : days_covered)
      if (d.day >= range.first && d.day <= range.last) out.push_back(d);
    return out;
  }
  std::vector<store::DayCounter> counters(store::DayRange range) override {
    std::vector<store::DayCounter> out;
    for (const auto& c : counter_rows)
      if (c.day >= range.first && c.day <= range.last) out.push_back(c);
    return out;
  }
};

/// 1.x.x.x is JP (AS 1), 2.x.x.x CN (AS 2), anything else ZZ (AS 0).
class FakeLocator final : public geo::Locator {
 public:
  geo::Location lookup(const base::IpAddress& a) const override {
    ++lookups;
    if (a.is_v4() && a.bytes[0] == 1) return {"JP", 1, "ONE"};
    if (a.is_v4() && a.bytes[0] == 2) return {"CN", 2, "TWO"};
    return {"ZZ", 0, ""};
  }
  std::string source() const override { return "fake"; }
  mutable int lookups = 0;
};

}  // namespace teiten::test
