#include "daemon/synth/month_report.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include "daemon/synth/local_calendar.h"

namespace teiten::synth {
namespace {

using json = nlohmann::ordered_json;

constexpr int kTop = 10;

uint64_t pick(const ReportTruth::Counts& c, bool sources) {
  return sources ? c.sources : c.accesses;
}

int32_t month_before(int32_t first) {
  return month_first_day(first - 1);
}

json nullable(const std::optional<int>& v) {
  return v ? json(*v) : json(nullptr);
}

std::map<std::string, int> ranks(const MonthReport::Totals& totals, bool by_sources) {
  std::map<std::string, int> out;
  int r = 0;
  for (const auto& key : ranked(totals, by_sources)) out[key] = ++r;
  return out;
}

template <class Map>
std::optional<int> find_rank(const Map& m, const std::string& key) {
  const auto it = m.find(key);
  return it == m.end() ? std::nullopt : std::optional<int>(it->second);
}

json shares_of(const MonthReport::Totals& totals, bool sources) {
  uint64_t total = 0, listed = 0;
  for (const auto& [key, c] : totals) total += pick(c, sources);
  auto share = [&](uint64_t v) {
    return total ? static_cast<double>(v) / static_cast<double>(total) : 0.0;
  };
  json out = json::array();
  for (const auto& key : top(totals, sources)) {
    const uint64_t v = pick(totals.at(key), sources);
    listed += v;
    out.push_back({{"key", key}, {"value", v}, {"share", share(v)}});
  }
  if (total > listed)
    out.push_back({{"key", "other"}, {"value", total - listed}, {"share", share(total - listed)}});
  return out;
}

json trend_of(const std::vector<int32_t>& months, const std::vector<MonthReport::Totals>& per_month,
              const std::vector<std::string>& keys, bool sources) {
  json names = json::array(), series = json::array();
  std::vector<uint64_t> totals(months.size(), 0);
  for (size_t m = 0; m < months.size(); ++m) {
    names.push_back(month_text(months[m]));
    for (const auto& [key, c] : per_month[m]) totals[m] += pick(c, sources);
  }
  std::vector<uint64_t> rest = totals;
  auto row = [&](const std::string& key, const std::vector<uint64_t>& values) {
    json shares = json::array();
    for (size_t m = 0; m < months.size(); ++m)
      shares.push_back(totals[m] ? static_cast<double>(values[m]) / static_cast<double>(totals[m])
                                 : 0.0);
    series.push_back({{"key", key}, {"values", values}, {"shares", shares}});
  };
  for (const auto& key : keys) {
    std::vector<uint64_t> values(months.size(), 0);
    for (size_t m = 0; m < months.size(); ++m) {
      if (auto it = per_month[m].find(key); it != per_month[m].end())
        values[m] = pick(it->second, sources);
      rest[m] -= values[m];
    }
    row(key, values);
  }
  if (std::any_of(rest.begin(), rest.end(), [](uint64_t v) { return v > 0; })) row("other", rest);
  return {{"months", names}, {"series", series}};
}

// Linear interpolation between order statistics (numpy's default).
double quantile(const std::vector<double>& sorted, double p) {
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const auto lo = static_cast<size_t>(h);
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

std::vector<std::string> ranked(const MonthReport::Totals& totals, bool by_sources) {
  std::vector<std::pair<std::string, ReportTruth::Counts>> v(totals.begin(), totals.end());
  std::sort(v.begin(), v.end(), [by_sources](const auto& a, const auto& b) {
    const uint64_t ka = pick(a.second, by_sources), kb = pick(b.second, by_sources);
    if (ka != kb) return ka > kb;
    const uint64_t ta = pick(a.second, !by_sources), tb = pick(b.second, !by_sources);
    if (ta != tb) return ta > tb;
    return a.first < b.first;
  });
  std::vector<std::string> out;
  for (auto& [key, c] : v) out.push_back(key);
  return out;
}

std::vector<std::string> top(const MonthReport::Totals& totals, bool by_sources) {
  auto keys = ranked(totals, by_sources);
  if (keys.size() > static_cast<size_t>(kTop)) keys.resize(kTop);
  return keys;
}

MonthReport::MonthReport(const ReportTruth& truth, int32_t month) : t_(truth), month_(month) {
  db_first_ = INT32_MAX, db_last_ = INT32_MIN;
  for (const auto& days : t_.days_)
    if (!days.empty()) {
      db_first_ = std::min(db_first_, days.begin()->first);
      db_last_ = std::max(db_last_, days.rbegin()->first);
    }
  first_ = std::max(month, db_first_);
  last_ = std::min(next_month(month) - 1, db_last_);
  int32_t m = month;
  for (int i = 0; i < 5; ++i) m = month_before(m);
  for (; m <= month; m = next_month(m)) {
    const MonthFigures f = figures(m);
    if (f.observed > 0) months_.push_back(f);
    if (f.observed > 0 && m == month_before(month)) previous_ = f;
  }
  for (size_t s = 0; s < t_.names_.size(); ++s)
    for (int32_t d = first_; d <= last_; ++d)
      if (observed(s, d)) {
        sensor_names_.push_back(t_.names_[s]);
        break;
      }
  for (const auto& [key, c] : t_.totals_) {
    const PortKey& p = std::get<2>(key);
    types_.emplace(report_label(p.proto, p.port), p);
  }
}

bool MonthReport::observed(size_t sensor, int32_t day) const {
  return t_.days_[sensor].contains(day);
}

uint32_t MonthReport::sensors_on(int32_t day) const {
  uint32_t n = 0;
  for (size_t s = 0; s < t_.names_.size(); ++s) n += observed(s, day);
  return n;
}

MonthReport::MonthFigures MonthReport::figures(int32_t month) const {
  MonthFigures f;
  f.month = month;
  const int32_t first = std::max(month, db_first_),
                last = std::min(next_month(month) - 1, db_last_);
  f.days = std::max(0, last - first + 1);
  for (size_t s = 0; s < t_.names_.size(); ++s) {
    uint64_t seen = 0;
    for (int32_t d = first; d <= last; ++d) seen += observed(s, d);
    f.observed += seen;
    f.sensors += seen > 0;
  }
  f.possible = uint64_t{f.sensors} * static_cast<uint64_t>(f.days);
  each_total(first, last, [&](const auto& key, const Counts& c) {
    if (std::get<3>(key) == Kind::probe) f.probe += c;
  });
  if (f.observed) {
    f.per_day_accesses = static_cast<double>(f.probe.accesses) / static_cast<double>(f.observed);
    f.per_day_sources = static_cast<double>(f.probe.sources) / static_cast<double>(f.observed);
  }
  return f;
}

MonthReport::Totals MonthReport::port_totals(int32_t month) const {
  Totals out;
  const int32_t first = std::max(month, db_first_),
                last = std::min(next_month(month) - 1, db_last_);
  each_total(first, last, [&](const auto& key, const Counts& c) {
    const PortKey& p = std::get<2>(key);
    if (std::get<3>(key) == Kind::probe) out[report_label(p.proto, p.port)] += c;
  });
  return out;
}

MonthReport::Totals MonthReport::country_totals(int32_t month) const {
  Totals out;
  const int32_t first = std::max(month, db_first_),
                last = std::min(next_month(month) - 1, db_last_);
  for (const auto& [key, c] : t_.day_country_)
    if (key.first >= first && key.first <= last) out[t_.countries_[key.second]] += c;
  return out;
}

json MonthReport::document() const {
  json j = headline();
  j["ports"] = ports();
  j["daily"] = daily();
  j["regions"] = regions();
  j["asns"] = asns();
  j["findings"] = findings();
  const json st = shares_and_trends();
  j["shares"] = st["shares"];
  j["trends"] = st["trends"];
  j["backscatter"] = kind_summary(Kind::backscatter);
  j["other"] = kind_summary(Kind::other);
  j["quality"] = quality();
  return j;
}

json MonthReport::headline() const {
  const MonthFigures& now = months_.back();
  Counts backscatter, other;
  each_total(first_, last_, [&](const auto& key, const Counts& c) {
    if (std::get<3>(key) == Kind::backscatter) backscatter += c;
    if (std::get<3>(key) == Kind::other) other += c;
  });
  uint64_t distinct = 0;
  if (auto it = t_.month_sources_.find(month_); it != t_.month_sources_.end())
    distinct = it->second.size();
  auto nominal = [&](uint64_t v) {
    return now.possible ? static_cast<double>(v) / static_cast<double>(now.possible) : 0.0;
  };
  auto change = [](double now_value, std::optional<double> before) -> json {
    if (!before || *before == 0) return nullptr;
    return (now_value - *before) / *before * 100.0;
  };
  auto before = [&](auto field) -> std::optional<double> {
    return previous_ ? std::optional<double>(field(*previous_)) : std::nullopt;
  };
  json j;
  j["month"] = month_text(month_);
  j["sensors"] = sensor_names_.size();
  j["days"] = now.days;
  j["totals"] = {{"accesses", now.probe.accesses},
                 {"sources", now.probe.sources},
                 {"backscatter", backscatter.accesses},
                 {"other", other.accesses},
                 {"backscatter_sources", backscatter.sources},
                 {"other_sources", other.sources},
                 {"distinct_sources", distinct}};
  j["per_sensor_day"] = {{"accesses", now.per_day_accesses},
                         {"sources", now.per_day_sources},
                         {"nominal_accesses", nominal(now.probe.accesses)},
                         {"nominal_sources", nominal(now.probe.sources)}};
  j["coverage"] = {{"sensor_days_observed", now.observed},
                   {"sensor_days_possible", now.possible},
                   {"complete", now.observed == now.possible}};
  const auto& p = previous_;
  j["previous"] = {{"month", month_text(month_before(month_))},
                   {"accesses", p ? json(p->probe.accesses) : json(nullptr)},
                   {"sources", p ? json(p->probe.sources) : json(nullptr)},
                   {"per_sensor_day",
                    {{"accesses", p ? json(p->per_day_accesses) : json(nullptr)},
                     {"sources", p ? json(p->per_day_sources) : json(nullptr)}}}};
  j["change_percent"] = {
      {"accesses",
       change(static_cast<double>(now.probe.accesses),
              before([](const MonthFigures& m) { return static_cast<double>(m.probe.accesses); }))},
      {"sources", change(static_cast<double>(now.probe.sources), before([](const MonthFigures& m) {
                           return static_cast<double>(m.probe.sources);
                         }))},
      {"per_sensor_day_accesses", change(now.per_day_accesses, before([](const MonthFigures& m) {
                                           return m.per_day_accesses;
                                         }))},
      {"per_sensor_day_sources", change(now.per_day_sources, before([](const MonthFigures& m) {
                                          return m.per_day_sources;
                                        }))}};
  j["sensor_names"] = sensor_names_;
  j["first_day"] = day_text(first_);
  j["last_day"] = day_text(last_);
  j["months"] = json::array();
  for (const auto& f : months_)
    j["months"].push_back(
        {{"month", month_text(f.month)},
         {"sensors", f.sensors},
         {"days", f.days},
         {"sensor_days_observed", f.observed},
         {"sensor_days_possible", f.possible},
         {"accesses", f.probe.accesses},
         {"sources", f.probe.sources},
         {"per_sensor_day", {{"accesses", f.per_day_accesses}, {"sources", f.per_day_sources}}}});
  return j;
}

json MonthReport::ports() const {
  const Totals now = port_totals(month_);
  const Totals before = previous_ ? port_totals(previous_->month) : Totals{};
  const auto by_a = ranks(now, false), by_s = ranks(now, true);
  const auto prev_a = ranks(before, false), prev_s = ranks(before, true);
  json out = json::array();
  for (const auto& label : ranked(now, false)) {
    const PortKey& p = types_.at(label);
    const auto prev = before.find(label);
    const Counts was = prev == before.end() ? Counts{} : prev->second;
    out.push_back({{"label", label},
                   {"proto", proto_name(p.proto)},
                   {"port", p.port},
                   {"accesses", now.at(label).accesses},
                   {"sources", now.at(label).sources},
                   {"rank", by_a.at(label)},
                   {"prev_rank", nullable(find_rank(prev_a, label))},
                   {"rank_by_sources", by_s.at(label)},
                   {"prev_rank_by_sources", nullable(find_rank(prev_s, label))},
                   {"prev_accesses", was.accesses},
                   {"prev_sources", was.sources}});
  }
  return out;
}

json MonthReport::daily() const {
  std::map<int32_t, std::array<Counts, 3>> days;
  each_total(first_, last_, [&](const auto& key, const Counts& c) {
    days[std::get<0>(key)][static_cast<size_t>(std::get<3>(key))] += c;
  });
  json out = json::array();
  for (int32_t d = first_; d <= last_; ++d) {
    const auto& k = days[d];
    out.push_back({{"day", day_text(d)},
                   {"accesses", k[0].accesses},
                   {"sources", k[0].sources},
                   {"backscatter", k[1].accesses},
                   {"other", k[2].accesses},
                   {"sensors", sensors_on(d)}});
  }
  return out;
}

json MonthReport::regions() const {
  const Totals now = country_totals(month_);
  const Totals before = previous_ ? country_totals(previous_->month) : Totals{};
  const auto prev = ranks(before, false);
  json out = json::array();
  int rank = 0;
  for (const auto& code : ranked(now, false)) {
    const auto was = before.find(code);
    const Counts c = was == before.end() ? Counts{} : was->second;
    out.push_back({{"code", code},
                   {"accesses", now.at(code).accesses},
                   {"sources", now.at(code).sources},
                   {"rank", ++rank},
                   {"prev_rank", nullable(find_rank(prev, code))},
                   {"prev_accesses", c.accesses},
                   {"prev_sources", c.sources}});
  }
  return out;
}

json MonthReport::asns() const {
  std::map<uint32_t, Counts> by_index;
  for (const auto& [key, c] : t_.day_asn_)
    if (key.first >= first_ && key.first <= last_) by_index[key.second] += c;
  std::vector<std::pair<std::pair<uint32_t, std::string>, Counts>> rows;
  for (const auto& [index, c] : by_index) rows.push_back({t_.asns_[index], c});
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    if (a.second.accesses != b.second.accesses) return a.second.accesses > b.second.accesses;
    if (a.second.sources != b.second.sources) return a.second.sources > b.second.sources;
    return a.first.first < b.first.first;
  });
  json out = json::array();
  int rank = 0;
  for (const auto& [as, c] : rows)
    out.push_back({{"asn", as.first},
                   {"name", as.second},
                   {"accesses", c.accesses},
                   {"sources", c.sources},
                   {"rank", ++rank}});
  return out;
}

json MonthReport::findings() const {
  json out = surges();
  for (auto& f : single_sensor()) out.push_back(f);
  for (auto& f : new_entries()) out.push_back(f);
  return out;
}

json MonthReport::surges() const {
  // The report reads from the six months' start or 28 days before the
  // month, whichever is earlier, never before the database's first day.
  int32_t oldest = month_;
  for (int i = 0; i < 5; ++i) oldest = month_before(oldest);
  const int32_t lo = std::max(db_first_, std::min(oldest, month_ - 28));
  const Totals now = port_totals(month_);
  struct Daily {
    std::map<int32_t, uint64_t> sources;
    std::map<int32_t, std::set<size_t>> sensors;
  };
  std::map<std::string, Daily> series;
  each_total(lo, last_, [&](const auto& key, const Counts& c) {
    const auto& [day, sensor, port, kind] = key;
    if (kind != Kind::probe) return;
    Daily& d = series[report_label(port.proto, port.port)];
    d.sources[day] += c.sources;
    d.sensors[day].insert(sensor);
  });
  std::vector<json> found;
  for (const auto& [label, d] : series) {
    if (!now.contains(label)) continue;
    auto value = [&](int32_t day) {
      const auto it = d.sources.find(day);
      return it == d.sources.end() ? uint64_t{0} : it->second;
    };
    std::optional<json> open;
    auto close = [&] {
      if (open) found.push_back(*open);
      open.reset();
    };
    for (int32_t day = first_; day <= last_; ++day) {
      const uint64_t v = value(day);
      bool flagged = false;
      double median = 0, iqr = 0, mean = 0, sd = 0;
      std::vector<double> window;
      if (v >= 20) {
        // Baseline days: the 28 before, from the first read, observed by some sensor.
        for (int32_t b = std::max(lo, day - 28); b < day; ++b)
          if (sensors_on(b) > 0) window.push_back(static_cast<double>(value(b)));
        if (window.size() >= 7) {
          std::vector<double> sorted = window;
          std::sort(sorted.begin(), sorted.end());
          median = quantile(sorted, 0.5);
          iqr = quantile(sorted, 0.75) - quantile(sorted, 0.25);
          double sum = 0;
          for (double x : window) sum += x;
          mean = sum / static_cast<double>(window.size());
          double squares = 0;
          for (double x : window) squares += (x - mean) * (x - mean);
          sd = std::sqrt(squares / static_cast<double>(window.size()));
          const auto x = static_cast<double>(v);
          flagged = x > median + 3 * iqr && x > mean + 3 * sd;
        }
      }
      if (!flagged) {
        close();
        continue;
      }
      if (open) {
        (*open)["end"] = day_text(day);
        if (v > (*open)["peak_sources"].get<uint64_t>()) {
          (*open)["peak_day"] = day_text(day);
          (*open)["peak_sources"] = v;
        }
        continue;
      }
      // The country with the most sources of the port type on the start day.
      const PortKey& port = types_.at(label);
      std::string top_country;
      uint64_t most = 0;
      for (const auto& [k, n] : t_.port_day_country_) {
        const auto& [p, pday, country] = k;
        const std::string& code = t_.countries_[country];
        if (p == port && pday == day && (n > most || (n == most && code < top_country)))
          most = n, top_country = code;
      }
      const auto sensors = d.sensors.find(day);
      open = json{{"type", "surge"},
                  {"label", label},
                  {"proto", proto_name(port.proto)},
                  {"port", port.port},
                  {"start", day_text(day)},
                  {"end", day_text(day)},
                  {"sensors", sensors == d.sensors.end() ? 0 : sensors->second.size()},
                  {"start_sources", v},
                  {"peak_day", day_text(day)},
                  {"peak_sources", v},
                  {"top_country", top_country.empty() ? json(nullptr) : json(top_country)},
                  {"baseline",
                   {{"days", window.size()},
                    {"median", median},
                    {"iqr", iqr},
                    {"mean", mean},
                    {"sd", sd}}}};
    }
    close();
  }
  // By start day, then label ("YYYY-MM-DD" text sorts as days do).
  std::stable_sort(found.begin(), found.end(), [](const json& a, const json& b) {
    return std::pair{a["start"].get<std::string>(), a["label"].get<std::string>()} <
           std::pair{b["start"].get<std::string>(), b["label"].get<std::string>()};
  });
  json out = json::array();
  for (auto& f : found) out.push_back(std::move(f));
  return out;
}

json MonthReport::single_sensor() const {
  json out = json::array();
  if (sensor_names_.size() < 2) return out;
  std::map<std::string, std::vector<uint64_t>> by_sensor;
  each_total(first_, last_, [&](const auto& key, const Counts& c) {
    const auto& [day, sensor, port, kind] = key;
    if (kind != Kind::probe) return;
    auto& v = by_sensor[report_label(port.proto, port.port)];
    v.resize(t_.names_.size(), 0);
    v[sensor] += c.accesses;
  });
  struct Found {
    std::string label, sensor;
    double share;
    uint64_t accesses, at_sensor;
  };
  std::vector<Found> found;
  for (const auto& [label, v] : by_sensor) {
    uint64_t total = 0;
    for (uint64_t a : v) total += a;
    if (total < 100) continue;
    const auto best = std::max_element(v.begin(), v.end());  // the first of equals
    const double share = static_cast<double>(*best) / static_cast<double>(total);
    if (share < 0.8) continue;
    found.push_back({label, t_.names_[static_cast<size_t>(best - v.begin())], share, total, *best});
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    if (a.share != b.share) return a.share > b.share;
    if (a.accesses != b.accesses) return a.accesses > b.accesses;
    return a.label < b.label;
  });
  for (const auto& f : found) {
    const PortKey& p = types_.at(f.label);
    out.push_back({{"type", "single_sensor"},
                   {"label", f.label},
                   {"proto", proto_name(p.proto)},
                   {"port", p.port},
                   {"sensor", f.sensor},
                   {"share", f.share},
                   {"accesses", f.accesses},
                   {"sensor_accesses", f.at_sensor}});
  }
  return out;
}

json MonthReport::new_entries() const {
  json out = json::array();
  if (!previous_) return out;
  const Totals now = port_totals(month_), before = port_totals(previous_->month);
  const auto was_top = top(before, false);
  const std::set<std::string> was(was_top.begin(), was_top.end());
  const auto prev = ranks(before, false);
  int rank = 0;
  for (const auto& label : top(now, false)) {
    ++rank;
    if (was.contains(label)) continue;
    const PortKey& p = types_.at(label);
    out.push_back({{"type", "new_entry"},
                   {"label", label},
                   {"proto", proto_name(p.proto)},
                   {"port", p.port},
                   {"rank", rank},
                   {"prev_rank", nullable(find_rank(prev, label))},
                   {"accesses", now.at(label).accesses}});
  }
  return out;
}

json MonthReport::shares_and_trends() const {
  const Totals ports_now = port_totals(month_), countries_now = country_totals(month_);
  std::vector<int32_t> months;
  std::vector<Totals> port_months, country_months;
  for (const auto& f : months_) {
    months.push_back(f.month);
    port_months.push_back(port_totals(f.month));
    country_months.push_back(country_totals(f.month));
  }
  json j;
  j["shares"] = {{"ports_by_accesses", shares_of(ports_now, false)},
                 {"ports_by_sources", shares_of(ports_now, true)},
                 {"regions_by_accesses", shares_of(countries_now, false)},
                 {"regions_by_sources", shares_of(countries_now, true)}};
  j["trends"] = {
      {"ports_by_accesses", trend_of(months, port_months, top(ports_now, false), false)},
      {"ports_by_sources", trend_of(months, port_months, top(ports_now, true), true)},
      {"regions_by_accesses", trend_of(months, country_months, top(countries_now, false), false)},
      {"regions_by_sources", trend_of(months, country_months, top(countries_now, true), true)}};
  return j;
}

}  // namespace teiten::synth
