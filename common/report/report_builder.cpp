#include "common/report/report_builder.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/packet/port_label.h"
#include "common/report/data_quality.h"
#include "common/report/figures.h"
#include "common/report/findings.h"
#include "common/report/region_tally.h"

namespace teiten::report {
namespace {

using store::SensorIndex;

// The days a report reads: [lo, hi], every index below is day - lo.
struct Span {
  base::Day lo = 0, hi = 0;
  size_t size() const { return static_cast<size_t>(hi - lo + 1); }
  size_t at(base::Day d) const { return static_cast<size_t>(d - lo); }
  bool holds(base::Day d) const { return d >= lo && d <= hi; }
};

// Which sensors observed which days: coverage, or rows where a database
// lacks coverage for a day.
class ObservedDays {
 public:
  ObservedDays(Span span, size_t sensors) : span_(span), sensors_(sensors) {
    seen_.assign(span.size() * sensors, false);
  }
  void mark(base::Day d, SensorIndex s) {
    if (span_.holds(d)) seen_[span_.at(d) * sensors_ + s] = true;
  }
  bool seen(base::Day d, SensorIndex s) const {
    return span_.holds(d) && seen_[span_.at(d) * sensors_ + s];
  }
  uint32_t sensors_on(base::Day d) const {
    uint32_t n = 0;
    for (SensorIndex s = 0; s < sensors_; ++s) n += seen(d, s);
    return n;
  }

 private:
  Span span_;
  size_t sensors_;
  std::vector<bool> seen_;
};

std::string label_of(const PortType& p) {
  return packet::port_label(p.proto, p.port);
}

MonthFigures month_figures(Month m, base::Day db_first, base::Day db_last,
                           const ObservedDays& observed, size_t sensors,
                           const std::vector<store::PortDayTotal>& totals) {
  MonthFigures f;
  f.month = m;
  base::Day first = std::max(m.first_day(), db_first), last = std::min(m.last_day(), db_last);
  f.days = std::max(0, last - first + 1);
  std::vector<bool> present(sensors, false);
  for (base::Day d = first; d <= last; ++d)
    for (SensorIndex s = 0; s < sensors; ++s)
      if (observed.seen(d, s)) {
        present[s] = true;
        ++f.sensor_days_observed;
      }
  f.sensors = static_cast<uint32_t>(std::count(present.begin(), present.end(), true));
  f.sensor_days_possible = uint64_t{f.sensors} * static_cast<uint64_t>(f.days);
  for (const auto& t : totals)
    if (t.kind == packet::Kind::probe && t.day >= first && t.day <= last)
      f.probe += {t.accesses, t.sources};
  if (f.sensor_days_observed) {
    auto n = static_cast<double>(f.sensor_days_observed);
    f.per_sensor_day_accesses = static_cast<double>(f.probe.accesses) / n;
    f.per_sensor_day_sources = static_cast<double>(f.probe.sources) / n;
  }
  return f;
}

KindSummary kind_summary(const std::vector<store::PortDayTotal>& totals, packet::Kind kind,
                         base::Day first, base::Day last, int top) {
  KindSummary k;
  k.daily.assign(static_cast<size_t>(last - first + 1), 0);
  KeyTotals by_label;
  std::map<std::string, PortType> types;
  for (const auto& t : totals) {
    if (t.kind != kind || t.day < first || t.day > last) continue;
    PortType p{t.proto, t.port};
    auto label = label_of(p);
    types.emplace(label, p);
    by_label[label] += {t.accesses, t.sources};
    k.counts += {t.accesses, t.sources};
    k.daily[static_cast<size_t>(t.day - first)] += t.accesses;
  }
  int rank = 0;
  for (const auto& label : top_keys(by_label, false, top)) {
    PortRank r;
    r.type = types.at(label);
    r.label = label;
    r.counts = by_label.at(label);
    r.rank = ++rank;
    k.top.push_back(r);
  }
  return k;
}

// A finding's port type: daily sources at each sensor that saw it, the
// busiest first.
DaySeries sensor_chart(const std::vector<store::PortDayTotal>& totals, const PortType& port,
                       const Report& rep, const std::vector<std::string>& sensors) {
  KeyTotals by_sensor;
  KeyDays per_day;
  std::vector<base::Day> days;
  for (base::Day d = rep.first_day; d <= rep.last_day; ++d) days.push_back(d);
  for (const auto& t : totals) {
    if (t.kind != packet::Kind::probe || t.proto != port.proto || t.port != port.port ||
        t.day < rep.first_day || t.day > rep.last_day)
      continue;
    const auto& name = sensors[t.sensor];
    by_sensor[name] += {t.accesses, t.sources};
    auto& row = per_day[name];
    if (row.empty()) row.assign(days.size(), Counts{});
    row[static_cast<size_t>(t.day - rep.first_day)] += {t.accesses, t.sources};
  }
  return stacked_series(per_day, days, top_keys(by_sensor, true, rep.rules.top), true);
}

}  // namespace

Report build_report(store::ReportSource& source, const geo::Locator& locator, Month month,
                    const Rules& rules) {
  Report rep;
  rep.month = month;
  rep.rules = rules;
  rep.database_kind = source.kind();
  rep.geo_source = locator.source();
  auto range = source.days();
  if (!range || month.last_day() < range->first || month.first_day() > range->last)
    throw NoData("no data for " + month.to_string() +
                 (range ? ": the database holds " + base::format_day(range->first) + " .. " +
                              base::format_day(range->last)
                        : ": the database is empty"));
  rep.db_first = range->first;
  rep.db_last = range->last;
  const Month oldest = month.plus(-5);
  Span span{std::max(range->first,
                     std::min(oldest.first_day(), month.first_day() - rules.surge_window)),
            std::min(range->last, month.last_day())};
  const auto& sensors = source.sensors();
  const size_t n_sensors = sensors.size();

  auto totals = source.port_day_totals({span.lo, span.hi});
  auto coverage = source.coverage({span.lo, span.hi});
  ObservedDays observed(span, n_sensors);
  for (const auto& c : coverage)
    if (c.coverage_seconds > 0 || c.packets > 0) observed.mark(c.day, c.sensor);
  for (const auto& t : totals) observed.mark(t.day, t.sensor);

  // The six months, this one last; months without data are left out.
  for (Month m = oldest; m <= month; m = m.plus(1)) {
    auto f = month_figures(m, range->first, range->last, observed, n_sensors, totals);
    if (f.sensor_days_observed) rep.months.push_back(f);
  }
  if (rep.months.empty() || rep.months.back().month != month)
    throw NoData("no data for " + month.to_string() + ": no sensor observed any of its days");
  const MonthFigures& now = rep.months.back();
  for (const auto& f : rep.months)
    if (f.month == month.plus(-1)) rep.previous = f;

  rep.first_day = std::max(month.first_day(), range->first);
  rep.last_day = std::min(month.last_day(), range->last);
  rep.days = now.days;
  rep.sensor_days_observed = now.sensor_days_observed;
  rep.sensor_days_possible = now.sensor_days_possible;
  rep.per_sensor_day_accesses = now.per_sensor_day_accesses;
  rep.per_sensor_day_sources = now.per_sensor_day_sources;
  if (now.sensor_days_possible) {
    auto n = static_cast<double>(now.sensor_days_possible);
    rep.nominal_accesses = static_cast<double>(now.probe.accesses) / n;
    rep.nominal_sources = static_cast<double>(now.probe.sources) / n;
  }
  std::vector<bool> in_month(n_sensors, false);
  for (base::Day d = rep.first_day; d <= rep.last_day; ++d)
    for (SensorIndex s = 0; s < n_sensors; ++s) in_month[s] = in_month[s] || observed.seen(d, s);
  for (SensorIndex s = 0; s < n_sensors; ++s)
    if (in_month[s]) rep.sensor_names.push_back(sensors[s]);

  // Port types: this month's totals per day, last month's, and what the
  // findings need over the whole span.
  std::vector<base::Day> days;
  for (base::Day d = rep.first_day; d <= rep.last_day; ++d) days.push_back(d);
  const auto month_index = [&](base::Day d) { return static_cast<size_t>(d - rep.first_day); };
  std::map<std::string, PortType> types;
  KeyTotals port_now, port_prev;
  KeyDays port_days;
  std::vector<KeyTotals> port_months(rep.months.size());
  std::map<std::string, PortHistory> history;
  rep.daily.resize(days.size());
  for (size_t i = 0; i < days.size(); ++i) {
    rep.daily[i].day = days[i];
    rep.daily[i].sensors_observed = observed.sensors_on(days[i]);
  }
  for (const auto& t : totals) {
    bool this_month = t.day >= rep.first_day && t.day <= rep.last_day;
    if (this_month) {
      auto& d = rep.daily[month_index(t.day)];
      Counts c{t.accesses, t.sources};
      (t.kind == packet::Kind::probe ? d.probe
       : t.kind == packet::Kind::backscatter ? d.backscatter
                                             : d.other) += c;
    }
    if (t.kind != packet::Kind::probe) continue;
    PortType p{t.proto, t.port};
    auto label = label_of(p);
    types.emplace(label, p);
    Counts c{t.accesses, t.sources};
    Month m = Month::of_day(t.day);
    for (size_t i = 0; i < rep.months.size(); ++i)
      if (rep.months[i].month == m) port_months[i][label] += c;
    if (m == month.plus(-1)) port_prev[label] += c;
    auto& h = history[label];
    if (h.sources.empty()) {
      h.sources.assign(span.size(), 0);
      h.sensors.assign(span.size(), 0);
      h.sensor_accesses.assign(n_sensors, 0);
    }
    h.sources[span.at(t.day)] += t.sources;
    ++h.sensors[span.at(t.day)];  // one total per (day, sensor, port type, kind)
    if (this_month) {
      port_now[label] += c;
      auto& per_day = port_days[label];
      if (per_day.empty()) per_day.assign(days.size(), Counts{});
      per_day[month_index(t.day)] += c;
      h.sensor_accesses[t.sensor] += t.accesses;
    }
  }
  for (auto& d : rep.daily) {
    rep.probe += d.probe;
    rep.backscatter += d.backscatter;
    rep.other += d.other;
  }

  auto rank_now = rank_of(port_now, false), rank_now_s = rank_of(port_now, true);
  auto rank_prev = rank_of(port_prev, false), rank_prev_s = rank_of(port_prev, true);
  for (const auto& label : rank_keys(port_now, false)) {
    PortRank r;
    r.type = types.at(label);
    r.label = label;
    r.counts = port_now.at(label);
    if (auto it = port_prev.find(label); it != port_prev.end()) r.previous = it->second;
    r.rank = rank_now.at(label);
    r.rank_by_sources = rank_now_s.at(label);
    if (auto it = rank_prev.find(label); it != rank_prev.end()) r.prev_rank = it->second;
    if (auto it = rank_prev_s.find(label); it != rank_prev_s.end())
      r.prev_rank_by_sources = it->second;
    rep.ports.push_back(r);
  }
  auto top_a = top_keys(port_now, false, rules.top), top_s = top_keys(port_now, true, rules.top);
  rep.port_accesses = stacked_series(port_days, days, top_a, false);
  rep.port_sources = stacked_series(port_days, days, top_s, true);
  rep.port_access_shares = shares(port_now, top_a, false);
  rep.port_source_shares = shares(port_now, top_s, true);
  std::vector<Month> months;
  for (const auto& f : rep.months) months.push_back(f.month);
  rep.port_access_trend = trend(months, port_months, top_a, false);
  rep.port_source_trend = trend(months, port_months, top_s, true);

  // Findings need the span's observed days as surge baselines.
  FindingInputs in;
  in.rules = rules;
  in.span_first = span.lo;
  in.counted.resize(span.size());
  for (base::Day d = span.lo; d <= span.hi; ++d)
    in.counted[span.at(d)] = observed.sensors_on(d) > 0;
  in.month_first = rep.first_day;
  in.month_last = rep.last_day;
  in.history = std::move(history);
  in.types = types;
  in.sensor_names = sensors;
  in.sensors_in_month = rep.sensor_names.size();
  in.has_previous = rep.previous.has_value();
  in.now = port_now;
  in.previous = port_prev;
  rep.findings = find_findings(in);
  for (const auto& f : rep.findings) {
    bool charted = false;
    for (const auto& c : rep.finding_charts) charted = charted || c.port == f.port;
    if (!charted)
      rep.finding_charts.push_back({f.port, f.label, {}, sensor_chart(totals, f.port, rep, sensors)});
  }

  // Every probe row of the six months, once: countries and ASNs.
  RegionTally regions(locator, months, rep.first_day, rep.last_day, rep.finding_charts);
  source.for_each_row({std::max(span.lo, oldest.first_day()), span.hi}, packet::Kind::probe,
                      [&regions](const store::SourceRow& r) { regions.add(r); });
  regions.finish(rep);

  rep.backscatter_summary =
      kind_summary(totals, packet::Kind::backscatter, rep.first_day, rep.last_day, rules.top);
  rep.other_summary =
      kind_summary(totals, packet::Kind::other, rep.first_day, rep.last_day, rules.top);

  QualityInputs q;
  q.sensors = &sensors;
  q.observed = [&observed](base::Day d, SensorIndex s) { return observed.seen(d, s); };
  q.coverage = std::move(coverage);
  q.counters = source.counters({rep.first_day, rep.last_day});
  q.in_previous_month.assign(n_sensors, false);
  q.probe.assign(n_sensors, Counts{});
  if (rep.previous)
    for (base::Day d = rep.previous->month.first_day(); d <= rep.previous->month.last_day(); ++d)
      for (SensorIndex s = 0; s < n_sensors; ++s)
        q.in_previous_month[s] = q.in_previous_month[s] || observed.seen(d, s);
  for (const auto& t : totals)
    if (t.kind == packet::Kind::probe && t.day >= rep.first_day && t.day <= rep.last_day)
      q.probe[t.sensor] += {t.accesses, t.sources};
  rep.quality = data_quality(rep, q);
  return rep;
}

}  // namespace teiten::report
