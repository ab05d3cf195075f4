#include "daemon/report/report_figures.h"

#include <algorithm>

namespace teiten::report_cli {
namespace {

const AxisText kDailyAccesses{"日", "day", "アクセス数", "accesses"};
const AxisText kDailySources{"日", "day", "延べ発信元数", "summed sources"};
const AxisText kShareAccesses{"", "", "アクセス数の比率", "share of accesses"};
const AxisText kShareSources{"", "", "延べ発信元数の比率", "share of summed sources"};
const AxisText kTrendAccesses{"月", "month", "アクセス数の比率", "share of accesses"};
const AxisText kTrendSources{"月", "month", "延べ発信元数の比率", "share of summed sources"};
const AxisText kPortAccesses{"宛先（ポート種類）", "destination port type", "アクセス数", "accesses"};
const AxisText kPortSources{"宛先（ポート種類）", "destination port type", "延べ発信元数",
                            "summed sources"};

}  // namespace

std::string port_key_label(const std::string& key, Lang lang) {
  if (key == report::kOtherKey) return lang == Lang::ja ? "その他" : "other";
  return key;
}

std::string country_label(const geo::CountryNames& names, const std::string& code, Lang lang) {
  if (code == report::kOtherKey) return lang == Lang::ja ? "その他" : "other";
  return names.name(code, geo_language(lang)) + " (" + code + ")";
}

std::string finding_figure(size_t index, bool by_country) {
  return "1-3-" + std::to_string(index + 1) + (by_country ? "c" : "s");
}

size_t finding_chart_index(const report::Report& r, const report::Finding& f) {
  for (size_t i = 0; i < r.finding_charts.size(); ++i)
    if (r.finding_charts[i].port == f.port) return i;
  return 0;
}

void draw_figures(const report::Report& r, const geo::CountryNames& names, ChartWriter& charts) {
  KeyName port = port_key_label;
  KeyName country = [&names](const std::string& k, Lang lang) {
    return country_label(names, k, lang);
  };
  KeyName month = [](const std::string& k, Lang lang) {
    return month_name(*report::Month::parse(k), lang);
  };
  KeyName as_is = [](const std::string& k, Lang lang) { return port_key_label(k, lang); };

  std::vector<std::string> months;
  std::vector<double> acc, src;
  for (const auto& m : r.months) {
    months.push_back(m.month.to_string());
    acc.push_back(m.per_sensor_day_accesses);
    src.push_back(m.per_sensor_day_sources);
  }
  charts.clustered("1-1", months,
                   {{"アクセス数", "accesses"}, {"発信元数", "sources"}}, {acc, src}, month,
                   {"月", "month", "1観測点・1日あたり", "per sensor per day"});

  // 1-2: this month's top ports beside last month's values.
  for (bool by_sources : {false, true}) {
    std::vector<std::pair<const report::PortRank*, int>> top;
    for (const auto& p : r.ports)
      if ((by_sources ? p.rank_by_sources : p.rank) <= r.rules.top)
        top.emplace_back(&p, by_sources ? p.rank_by_sources : p.rank);
    std::sort(top.begin(), top.end(), [](auto& a, auto& b) { return a.second < b.second; });
    std::vector<std::string> labels;
    std::vector<double> now, before;
    for (auto& [p, rank] : top) {
      labels.push_back(p->label);
      now.push_back(static_cast<double>(by_sources ? p->counts.sources : p->counts.accesses));
      before.push_back(
          static_cast<double>(by_sources ? p->previous.sources : p->previous.accesses));
    }
    auto prev = r.month.plus(-1);
    charts.clustered(by_sources ? "1-2s" : "1-2", labels,
                     {{short_month(prev, Lang::ja), short_month(prev, Lang::en)},
                      {short_month(r.month, Lang::ja), short_month(r.month, Lang::en)}},
                     {before, now}, port,
                     by_sources ? kPortSources : kPortAccesses);
  }

  for (size_t i = 0; i < r.finding_charts.size(); ++i) {
    const auto& c = r.finding_charts[i];
    charts.stacked_days(finding_figure(i, true), c.by_country, country, kDailySources, true);
    charts.stacked_days(finding_figure(i, false), c.by_sensor, as_is, kDailySources, true);
  }

  charts.stacked_days("2-1", r.port_accesses, port, kDailyAccesses);
  charts.stacked_days("2-2", r.port_sources, port, kDailySources);
  charts.shares("2-3", r.port_access_shares, port, kShareAccesses);
  charts.shares("2-4", r.port_source_shares, port, kShareSources);
  charts.stacked_days("2-5", r.region_accesses, country, kDailyAccesses);
  charts.shares("2-6", r.region_access_shares, country, kShareAccesses);
  charts.stacked_days("2-7", r.region_sources, country, kDailySources);
  charts.shares("2-8", r.region_source_shares, country, kShareSources);
  charts.trend("3-1", r.port_access_trend, port, kTrendAccesses);
  charts.trend("3-2", r.port_source_trend, port, kTrendSources);
  charts.trend("3-3", r.region_access_trend, country, kTrendAccesses);
  charts.trend("3-4", r.region_source_trend, country, kTrendSources);

  std::vector<base::Day> days;
  for (const auto& d : r.daily) days.push_back(d.day);
  charts.lines("4-1", days, {{"バックスキャッタ", "backscatter"}, {"その他", "other"}},
               {r.backscatter_summary.daily, r.other_summary.daily},
               {"日", "day", "パケット数", "packets"});
}

}  // namespace teiten::report_cli
