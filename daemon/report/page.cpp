#include "daemon/report/page.h"

#include <kainjow/mustache.hpp>

#include "daemon/report/charts.h"
#include "daemon/report/report_figures.h"
#include "daemon/report/report_templates.h"
#include "daemon/report/sentences.h"

namespace teiten::report_cli {
namespace {

using nlohmann::json;
using report::FindingType;

std::string rank_change(const std::optional<int>& before, int now, Lang lang) {
  if (!before) return lang == Lang::ja ? "新規" : "new";
  int up = *before - now;
  if (up > 0) return "↑" + std::to_string(up);
  if (up < 0) return "↓" + std::to_string(-up);
  return "→";
}

json figure(const std::string& id, Lang lang) {
  return {{"id", id},
          {"svg", ChartWriter::svg(id, lang)},
          {"png", ChartWriter::png(id, lang)},
          {"csv", ChartWriter::csv(id)}};
}

std::string share_of(uint64_t part, uint64_t whole_value) {
  return whole_value ? percent(static_cast<double>(part) / static_cast<double>(whole_value))
                     : "–";
}

json port_rows(const report::Report& r, bool by_sources, Lang lang) {
  std::vector<const report::PortRank*> top;
  for (const auto& p : r.ports)
    if ((by_sources ? p.rank_by_sources : p.rank) <= r.rules.top) top.push_back(&p);
  std::sort(top.begin(), top.end(), [by_sources](auto* a, auto* b) {
    return (by_sources ? a->rank_by_sources : a->rank) <
           (by_sources ? b->rank_by_sources : b->rank);
  });
  json rows = json::array();
  for (const auto* p : top) {
    int rank = by_sources ? p->rank_by_sources : p->rank;
    auto before = by_sources ? p->prev_rank_by_sources : p->prev_rank;
    rows.push_back({{"rank", rank},
                    {"label", p->label},
                    {"accesses", grouped(p->counts.accesses)},
                    {"sources", grouped(p->counts.sources)},
                    {"share", by_sources ? share_of(p->counts.sources, r.probe.sources)
                                         : share_of(p->counts.accesses, r.probe.accesses)},
                    {"prev", by_sources ? grouped(p->previous.sources)
                                        : grouped(p->previous.accesses)},
                    {"prev_rank", before ? std::to_string(*before) : "–"},
                    {"change", rank_change(before, rank, lang)},
                    {"is_new", !before.has_value()}});
  }
  return rows;
}

json month_rows(const report::Report& r, Lang lang) {
  json rows = json::array();
  for (const auto& m : r.months)
    rows.push_back({{"month", month_name(m.month, lang)},
                    {"sensors", m.sensors},
                    {"days", m.days},
                    {"observed", grouped(m.sensor_days_observed)},
                    {"possible", grouped(m.sensor_days_possible)},
                    {"accesses", grouped(m.probe.accesses)},
                    {"sources", grouped(m.probe.sources)},
                    {"psd_accesses", decimal(m.per_sensor_day_accesses, 1)},
                    {"psd_sources", decimal(m.per_sensor_day_sources, 1)}});
  return rows;
}

json findings_view(const report::Report& r, const geo::CountryNames& names, Lang lang) {
  json out = json::array();
  for (const auto& f : r.findings) {
    auto chart = finding_chart_index(r, f);
    auto id = "1-3-" + std::to_string(chart + 1);
    bool ja = lang == Lang::ja;
    std::string kind = f.type == FindingType::surge           ? (ja ? "急増" : "surge")
                       : f.type == FindingType::single_sensor ? (ja ? "単一観測点への集中"
                                                                    : "single sensor")
                                                              : (ja ? "上位への新規" : "new entry");
    out.push_back({{"label", f.label},
                   {"kind", kind},
                   {"type", std::string(f.type == FindingType::surge           ? "surge"
                                        : f.type == FindingType::single_sensor ? "single_sensor"
                                                                               : "new_entry")},
                   {"sentence", finding_sentence(f, r, names, id, lang)},
                   {"figure", id}});
  }
  return out;
}

json finding_charts_view(const report::Report& r, Lang lang) {
  json out = json::array();
  for (size_t i = 0; i < r.finding_charts.size(); ++i) {
    const auto& c = r.finding_charts[i];
    out.push_back({{"id", "1-3-" + std::to_string(i + 1)},
                   {"label", c.label},
                   {"by_country", figure(finding_figure(i, true), lang)},
                   {"by_sensor", figure(finding_figure(i, false), lang)}});
  }
  return out;
}

json region_rows(const report::Report& r, const geo::CountryNames& names, Lang lang) {
  json rows = json::array();
  for (const auto& g : r.regions) {
    if (g.rank > r.rules.top * 2) break;
    rows.push_back({{"rank", g.rank},
                    {"code", g.code},
                    {"name", names.name(g.code, geo_language(lang))},
                    {"accesses", grouped(g.counts.accesses)},
                    {"sources", grouped(g.counts.sources)},
                    {"share", share_of(g.counts.accesses, r.probe.accesses)},
                    {"prev_rank", g.prev_rank ? std::to_string(*g.prev_rank) : "–"},
                    {"change", rank_change(g.prev_rank, g.rank, lang)}});
  }
  return rows;
}

json asn_rows(const report::Report& r, Lang lang) {
  json rows = json::array();
  for (const auto& a : r.asns) {
    if (a.rank > r.rules.top_asns) break;
    rows.push_back({{"rank", a.rank},
                    {"asn", a.asn ? "AS" + std::to_string(a.asn) : (lang == Lang::ja ? "不明" : "unknown")},
                    {"name", a.name},
                    {"accesses", grouped(a.counts.accesses)},
                    {"sources", grouped(a.counts.sources)},
                    {"share", share_of(a.counts.accesses, r.probe.accesses)}});
  }
  return rows;
}

json commentary_rows(const report::Report& r, const CommentaryTable& table, Lang lang) {
  json rows = json::array();
  for (const auto& p : r.ports) {
    if (p.rank > r.rules.top) break;
    auto it = table.find(p.type);
    rows.push_back({{"label", p.label},
                    {"service", it == table.end() ? "" : it->second.service},
                    {"text", it == table.end() ? "" : it->second.text(lang)},
                    {"missing", it == table.end()}});
  }
  return rows;
}

json kind_view(const report::KindSummary& k, Lang) {
  json ports = json::array();
  for (const auto& p : k.top)
    ports.push_back({{"rank", p.rank},
                     {"label", p.label},
                     {"accesses", grouped(p.counts.accesses)},
                     {"sources", grouped(p.counts.sources)},
                     {"share", share_of(p.counts.accesses, k.counts.accesses)}});
  return {{"accesses", grouped(k.counts.accesses)},
          {"sources", grouped(k.counts.sources)},
          {"ports", ports},
          {"any", k.counts.accesses > 0}};
}

std::string day_list(const std::vector<base::Day>& days, Lang lang) {
  std::string out;
  for (size_t i = 0; i < days.size(); ++i) {
    // Runs of consecutive days read as ranges: "7月20日～7月22日".
    size_t j = i;
    while (j + 1 < days.size() && days[j + 1] == days[j] + 1) ++j;
    if (!out.empty()) out += lang == Lang::ja ? "、" : ", ";
    out += short_day(days[i], lang);
    if (j > i) out += (lang == Lang::ja ? "～" : "–") + short_day(days[j], lang);
    i = j;
  }
  return out.empty() ? "–" : out;
}

json quality_rows(const report::Report& r, Lang lang) {
  json rows = json::array();
  auto optional = [lang](const std::optional<uint64_t>& v) {
    return v ? grouped(*v) : std::string(lang == Lang::ja ? "測定なし" : "not measured");
  };
  for (const auto& q : r.quality) {
    std::string reasons;
    for (const auto& [name, n] : q.malformed_by_reason)
      reasons += (reasons.empty() ? "" : ", ") + name + " " + grouped(n);
    rows.push_back({{"sensor", q.name},
                    {"observed", q.observed},
                    {"days", r.days},
                    {"missing", day_list(q.missing_days, lang)},
                    {"partial", day_list(q.partial_days, lang)},
                    {"has_gaps", !q.missing_days.empty() || !q.partial_days.empty()},
                    {"packets", grouped(q.packets)},
                    {"accesses", grouped(q.probe.accesses)},
                    {"kernel_drops", optional(q.kernel_drops)},
                    {"if_drops", optional(q.if_drops)},
                    {"malformed", grouped(q.malformed)},
                    {"reasons", reasons},
                    {"non_ip", grouped(q.non_ip)},
                    {"ignored", grouped(q.ignored)}});
  }
  return rows;
}

kainjow::mustache::data to_data(const json& j) {
  using kainjow::mustache::data;
  switch (j.type()) {
    case json::value_t::object: {
      data d{data::type::object};
      for (const auto& [k, v] : j.items()) d.set(k, to_data(v));
      return d;
    }
    case json::value_t::array: {
      data d{data::type::list};
      for (const auto& v : j) d.push_back(to_data(v));
      return d;
    }
    case json::value_t::string:
      // An empty string is false, so {{#text}}...{{/text}} shows nothing
      // for it (kainjow counts every string as true).
      if (j.get_ref<const std::string&>().empty()) return data{false};
      return data{j.get<std::string>()};
    case json::value_t::boolean:
      return data{j.get<bool>()};
    case json::value_t::null:
      return data{false};
    default:
      return data{j.dump()};
  }
}

}  // namespace

json page_view(const report::Report& r, const geo::CountryNames& names,
               const CommentaryTable& commentary, Lang lang) {
  auto h = headline(r, lang);
  json v;
  v["lang"] = code(lang);
  v["month"] = month_name(r.month, lang);
  v["month_short"] = short_month(r.month, lang);
  v["prev_month"] = month_name(r.month.plus(-1), lang);
  v["first_month"] = month_name(r.months.front().month, lang);
  v["sensors"] = std::to_string(r.sensor_names.size());
  v["sensor_names"] = [&] {
    std::string s;
    for (const auto& n : r.sensor_names) s += (s.empty() ? "" : ", ") + n;
    return s;
  }();
  v["days"] = std::to_string(r.days);
  v["top"] = std::to_string(r.rules.top);
  v["headline"] = {{"summary", h.summary},
                   {"coverage", h.coverage},
                   {"change", h.change},
                   {"entries", h.entries}};
  v["totals"] = {{"accesses", grouped(r.probe.accesses)},
                 {"sources", grouped(r.probe.sources)},
                 {"distinct", grouped(r.distinct_sources)},
                 {"psd_accesses", decimal(r.per_sensor_day_accesses, 1)},
                 {"psd_sources", decimal(r.per_sensor_day_sources, 1)},
                 {"observed", grouped(r.sensor_days_observed)},
                 {"possible", grouped(r.sensor_days_possible)},
                 {"complete", r.coverage_complete()},
                 {"nominal_accesses", decimal(r.nominal_accesses, 1)},
                 {"nominal_sources", decimal(r.nominal_sources, 1)},
                 {"backscatter", grouped(r.backscatter.accesses)},
                 {"other", grouped(r.other.accesses)}};
  v["has_previous"] = r.previous.has_value();
  v["months"] = month_rows(r, lang);
  v["ports_by_accesses"] = port_rows(r, false, lang);
  v["ports_by_sources"] = port_rows(r, true, lang);
  v["port_types"] = grouped(r.ports.size());
  v["findings"] = findings_view(r, names, lang);
  v["has_findings"] = !r.findings.empty();
  v["finding_charts"] = finding_charts_view(r, lang);
  v["regions"] = region_rows(r, names, lang);
  v["region_count"] = grouped(r.regions.size());
  v["asns"] = asn_rows(r, lang);
  v["asn_count"] = grouped(r.asns.size());
  v["commentary"] = commentary_rows(r, commentary, lang);
  v["backscatter"] = kind_view(r.backscatter_summary, lang);
  v["other"] = kind_view(r.other_summary, lang);
  v["quality"] = quality_rows(r, lang);
  json figs;
  for (const char* id : {"1-1", "1-2", "1-2s", "2-1", "2-2", "2-3", "2-4", "2-5", "2-6", "2-7",
                         "2-8", "3-1", "3-2", "3-3", "3-4", "4-1"}) {
    std::string key = std::string("f") + id;
    for (auto& c : key)
      if (c == '-') c = '_';
    figs[key] = figure(id, lang);
  }
  v["fig"] = figs;
  const auto& rules = r.rules;
  v["rules"] = {{"top", std::to_string(rules.top)},
                {"surge_window", std::to_string(rules.surge_window)},
                {"surge_iqr", decimal(rules.surge_iqr, 1)},
                {"surge_sd", decimal(rules.surge_sd, 1)},
                {"surge_min_sources", std::to_string(rules.surge_min_sources)},
                {"surge_min_baseline", std::to_string(rules.surge_min_baseline)},
                {"single_min_accesses", std::to_string(rules.single_min_accesses)},
                {"single_min_share", percent(rules.single_min_share)},
                {"partial_coverage", percent(rules.partial_coverage)}};
  v["database"] = {{"kind", r.database_kind},
                   {"first", day_name(r.db_first, lang)},
                   {"last", day_name(r.db_last, lang)}};
  v["geo"] = r.geo_source;
  // IPFire's database is CC BY-SA 4.0: a published page must say so.
  v["geo_ipfire"] = r.geo_source.rfind("IPFire", 0) == 0;
  v["version"] = TEITEN_VERSION;
  return v;
}

std::string render_page(const nlohmann::json& view, Lang lang) {
  kainjow::mustache::mustache tmpl{lang == Lang::ja ? std::string(kTemplateJa)
                                                    : std::string(kTemplateEn)};
  if (!tmpl.is_valid()) throw std::runtime_error("page template: " + tmpl.error_message());
  auto html = tmpl.render(to_data(view));
  if (!tmpl.is_valid()) throw std::runtime_error("page template: " + tmpl.error_message());
  return html;
}

}  // namespace teiten::report_cli
