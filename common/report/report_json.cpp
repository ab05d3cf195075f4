#include "common/report/report_json.h"

namespace teiten::report {
namespace {

using nlohmann::json;

json day(base::Day d) {
  return base::format_day(d);
}

json optional_int(const std::optional<int>& v) {
  return v ? json(*v) : json(nullptr);
}

json optional_count(const std::optional<uint64_t>& v) {
  return v ? json(*v) : json(nullptr);
}

// Relative change in percent; null without a base to compare with.
json change(double now, std::optional<double> before) {
  if (!before || *before == 0) return nullptr;
  return (now - *before) / *before * 100.0;
}

json port_json(const PortRank& p) {
  return {{"label", p.label},
          {"proto", packet::name(p.type.proto)},
          {"port", p.type.port},
          {"accesses", p.counts.accesses},
          {"sources", p.counts.sources},
          {"rank", p.rank},
          {"prev_rank", optional_int(p.prev_rank)},
          {"rank_by_sources", p.rank_by_sources},
          {"prev_rank_by_sources", optional_int(p.prev_rank_by_sources)},
          {"prev_accesses", p.previous.accesses},
          {"prev_sources", p.previous.sources}};
}

json month_json(const MonthFigures& m) {
  return {{"month", m.month.to_string()},
          {"sensors", m.sensors},
          {"days", m.days},
          {"sensor_days_observed", m.sensor_days_observed},
          {"sensor_days_possible", m.sensor_days_possible},
          {"accesses", m.probe.accesses},
          {"sources", m.probe.sources},
          {"per_sensor_day", {{"accesses", m.per_sensor_day_accesses},
                              {"sources", m.per_sensor_day_sources}}}};
}

json finding_json(const Finding& f) {
  json j = {{"type", name(f.type)},
            {"label", f.label},
            {"proto", packet::name(f.port.proto)},
            {"port", f.port.port}};
  switch (f.type) {
    case FindingType::surge:
      j["start"] = day(f.start);
      j["end"] = day(f.end);
      j["sensors"] = f.sensors;
      j["start_sources"] = f.start_sources;
      j["peak_day"] = day(f.peak_day);
      j["peak_sources"] = f.peak_sources;
      j["top_country"] = f.top_country.empty() ? json(nullptr) : json(f.top_country);
      j["baseline"] = {{"days", f.baseline_days},
                       {"median", f.baseline_median},
                       {"iqr", f.baseline_iqr},
                       {"mean", f.baseline_mean},
                       {"sd", f.baseline_sd}};
      break;
    case FindingType::single_sensor:
      j["sensor"] = f.sensor;
      j["share"] = f.share;
      j["accesses"] = f.accesses;
      j["sensor_accesses"] = f.sensor_accesses;
      break;
    case FindingType::new_entry:
      j["rank"] = f.rank;
      j["prev_rank"] = optional_int(f.prev_rank);
      j["accesses"] = f.accesses;
      break;
  }
  return j;
}

json shares_json(const std::vector<Share>& v) {
  json out = json::array();
  for (const auto& s : v) out.push_back({{"key", s.key}, {"value", s.value}, {"share", s.share}});
  return out;
}

json trend_json(const TrendSeries& t) {
  json months = json::array(), series = json::array();
  for (const auto& m : t.months) months.push_back(m.to_string());
  for (size_t k = 0; k < t.keys.size(); ++k)
    series.push_back({{"key", t.keys[k]}, {"values", t.values[k]}, {"shares", t.shares[k]}});
  return {{"months", months}, {"series", series}};
}

json kind_json(const KindSummary& k, base::Day first) {
  json ports = json::array(), daily = json::array();
  for (const auto& p : k.top)
    ports.push_back({{"label", p.label},
                     {"proto", packet::name(p.type.proto)},
                     {"port", p.type.port},
                     {"accesses", p.counts.accesses},
                     {"sources", p.counts.sources},
                     {"rank", p.rank}});
  for (size_t i = 0; i < k.daily.size(); ++i)
    daily.push_back({{"day", day(first + static_cast<base::Day>(i))}, {"accesses", k.daily[i]}});
  return {{"accesses", k.counts.accesses},
          {"sources", k.counts.sources},
          {"ports", ports},
          {"daily", daily}};
}

json quality_json(const SensorQuality& q) {
  json missing = json::array(), partial = json::array(), reasons = json::object();
  for (auto d : q.missing_days) missing.push_back(day(d));
  for (auto d : q.partial_days) partial.push_back(day(d));
  for (const auto& [reason, n] : q.malformed_by_reason) reasons[reason] = n;
  return {{"sensor", q.name},
          {"days_observed", q.observed},
          {"missing_days", missing},
          {"partial_days", partial},
          {"packets", q.packets},
          {"accesses", q.probe.accesses},
          {"sources", q.probe.sources},
          {"kernel_drops", optional_count(q.kernel_drops)},
          {"if_drops", optional_count(q.if_drops)},
          {"malformed", q.malformed},
          {"malformed_by_reason", reasons},
          {"non_ip", q.non_ip},
          {"ignored", q.ignored}};
}

json rules_json(const Rules& r) {
  return {{"top", r.top},
          {"surge_window", r.surge_window},
          {"surge_iqr", r.surge_iqr},
          {"surge_sd", r.surge_sd},
          {"surge_min_sources", r.surge_min_sources},
          {"surge_min_baseline", r.surge_min_baseline},
          {"single_min_accesses", r.single_min_accesses},
          {"single_min_share", r.single_min_share},
          {"partial_coverage", r.partial_coverage}};
}

}  // namespace

std::string_view name(FindingType type) {
  switch (type) {
    case FindingType::surge:
      return "surge";
    case FindingType::single_sensor:
      return "single_sensor";
    case FindingType::new_entry:
      return "new_entry";
  }
  return "";
}

json to_json(const Report& r) {
  json j;
  j["month"] = r.month.to_string();
  j["sensors"] = r.sensor_names.size();
  j["days"] = r.days;
  j["totals"] = {{"accesses", r.probe.accesses},
                 {"sources", r.probe.sources},
                 {"backscatter", r.backscatter.accesses},
                 {"other", r.other.accesses},
                 {"backscatter_sources", r.backscatter.sources},
                 {"other_sources", r.other.sources},
                 {"distinct_sources", r.distinct_sources}};
  j["per_sensor_day"] = {{"accesses", r.per_sensor_day_accesses},
                         {"sources", r.per_sensor_day_sources},
                         {"nominal_accesses", r.nominal_accesses},
                         {"nominal_sources", r.nominal_sources}};
  j["coverage"] = {{"sensor_days_observed", r.sensor_days_observed},
                   {"sensor_days_possible", r.sensor_days_possible},
                   {"complete", r.coverage_complete()}};
  const auto& p = r.previous;
  j["previous"] = {{"month", r.month.plus(-1).to_string()},
                   {"accesses", p ? json(p->probe.accesses) : json(nullptr)},
                   {"sources", p ? json(p->probe.sources) : json(nullptr)},
                   {"per_sensor_day",
                    {{"accesses", p ? json(p->per_sensor_day_accesses) : json(nullptr)},
                     {"sources", p ? json(p->per_sensor_day_sources) : json(nullptr)}}}};
  auto before = [&p](auto field) -> std::optional<double> {
    if (!p) return std::nullopt;
    return field(*p);
  };
  j["change_percent"] = {
      {"accesses", change(static_cast<double>(r.probe.accesses),
                          before([](const MonthFigures& m) {
                            return static_cast<double>(m.probe.accesses);
                          }))},
      {"sources", change(static_cast<double>(r.probe.sources),
                         before([](const MonthFigures& m) {
                           return static_cast<double>(m.probe.sources);
                         }))},
      {"per_sensor_day_accesses",
       change(r.per_sensor_day_accesses,
              before([](const MonthFigures& m) { return m.per_sensor_day_accesses; }))},
      {"per_sensor_day_sources",
       change(r.per_sensor_day_sources,
              before([](const MonthFigures& m) { return m.per_sensor_day_sources; }))}};
  j["sensor_names"] = r.sensor_names;
  j["first_day"] = day(r.first_day);
  j["last_day"] = day(r.last_day);
  j["database"] = {{"kind", r.database_kind},
                   {"first_day", day(r.db_first)},
                   {"last_day", day(r.db_last)}};
  j["geo"] = r.geo_source;
  j["parameters"] = rules_json(r.rules);

  j["months"] = json::array();
  for (const auto& m : r.months) j["months"].push_back(month_json(m));
  j["ports"] = json::array();
  for (const auto& port : r.ports) j["ports"].push_back(port_json(port));
  j["daily"] = json::array();
  for (const auto& d : r.daily)
    j["daily"].push_back({{"day", day(d.day)},
                          {"accesses", d.probe.accesses},
                          {"sources", d.probe.sources},
                          {"backscatter", d.backscatter.accesses},
                          {"other", d.other.accesses},
                          {"sensors", d.sensors_observed}});
  j["regions"] = json::array();
  for (const auto& g : r.regions)
    j["regions"].push_back({{"code", g.code},
                            {"accesses", g.counts.accesses},
                            {"sources", g.counts.sources},
                            {"rank", g.rank},
                            {"prev_rank", optional_int(g.prev_rank)},
                            {"prev_accesses", g.previous.accesses},
                            {"prev_sources", g.previous.sources}});
  j["asns"] = json::array();
  for (const auto& a : r.asns)
    j["asns"].push_back({{"asn", a.asn},
                         {"name", a.name},
                         {"accesses", a.counts.accesses},
                         {"sources", a.counts.sources},
                         {"rank", a.rank}});
  j["findings"] = json::array();
  for (const auto& f : r.findings) j["findings"].push_back(finding_json(f));
  j["shares"] = {{"ports_by_accesses", shares_json(r.port_access_shares)},
                 {"ports_by_sources", shares_json(r.port_source_shares)},
                 {"regions_by_accesses", shares_json(r.region_access_shares)},
                 {"regions_by_sources", shares_json(r.region_source_shares)}};
  j["trends"] = {{"ports_by_accesses", trend_json(r.port_access_trend)},
                 {"ports_by_sources", trend_json(r.port_source_trend)},
                 {"regions_by_accesses", trend_json(r.region_access_trend)},
                 {"regions_by_sources", trend_json(r.region_source_trend)}};
  j["backscatter"] = kind_json(r.backscatter_summary, r.first_day);
  j["other"] = kind_json(r.other_summary, r.first_day);
  j["quality"] = json::array();
  for (const auto& q : r.quality) j["quality"].push_back(quality_json(q));
  return j;
}

}  // namespace teiten::report
