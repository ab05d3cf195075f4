#include "common/report/region_tally.h"

#include <algorithm>

#include "common/report/figures.h"

namespace teiten::report {

RegionTally::RegionTally(const geo::Locator& locator, std::vector<Month> months,
                         base::Day first_day, base::Day last_day,
                         const std::vector<FindingChart>& charts)
    : locator_(locator),
      months_(std::move(months)),
      first_day_(first_day),
      last_day_(last_day),
      days_(static_cast<size_t>(last_day - first_day + 1)) {
  for (size_t i = 0; i < charts.size(); ++i) chart_of_[charts[i].port] = i;
  chart_.resize(charts.size());
}

uint16_t RegionTally::country_index(const std::string& code) {
  auto [it, added] = country_index_.emplace(code, static_cast<uint16_t>(countries_.size()));
  if (added) {
    countries_.push_back(code);
    month_country_.emplace_back(months_.size());
    day_country_.emplace_back(days_);
    for (auto& c : chart_) c.emplace_back(days_, 0);
  }
  return it->second;
}

uint32_t RegionTally::locate(const base::IpAddress& src) {
  if (src.is_v4()) {
    if (auto it = v4_.find(src.v4_value()); it != v4_.end()) return it->second;
  } else if (auto it = v6_.find(src.bytes); it != v6_.end()) {
    return it->second;
  }
  auto where = locator_.lookup(src);
  Source s{country_index(where.country.empty() ? "ZZ" : where.country), 0, false};
  auto [asn, added] = asn_index_.emplace(where.asn, static_cast<uint32_t>(asns_.size()));
  if (added) {
    asns_.emplace_back(where.asn, where.as_name);
    asn_counts_.emplace_back();
  }
  s.asn = asn->second;
  auto index = static_cast<uint32_t>(sources_.size());
  sources_.push_back(s);
  if (src.is_v4())
    v4_.emplace(src.v4_value(), index);
  else
    v6_.emplace(src.bytes, index);
  return index;
}

void RegionTally::add(const store::SourceRow& row) {
  auto& s = sources_[locate(row.src)];
  Counts c{row.accesses, 1};
  for (size_t m = 0; m < months_.size(); ++m)
    if (row.day >= months_[m].first_day() && row.day <= months_[m].last_day())
      month_country_[s.country][m] += c;
  if (row.day < first_day_ || row.day > last_day_) return;
  auto day = static_cast<size_t>(row.day - first_day_);
  s.in_month = true;
  day_country_[s.country][day] += c;
  asn_counts_[s.asn] += c;
  if (!chart_of_.empty())
    if (auto it = chart_of_.find(PortType{row.proto, row.port}); it != chart_of_.end())
      ++chart_[it->second][s.country][day];
}

void RegionTally::finish(Report& rep) const {
  const size_t now = months_.size() - 1;
  std::optional<size_t> prev;
  for (size_t m = 0; m < months_.size(); ++m)
    if (months_[m] == months_.back().plus(-1)) prev = m;

  KeyTotals totals, before;
  KeyDays per_day;
  std::vector<KeyTotals> per_month(months_.size());
  for (size_t c = 0; c < countries_.size(); ++c) {
    const auto& code = countries_[c];
    for (size_t m = 0; m < months_.size(); ++m)
      if (month_country_[c][m].accesses) per_month[m][code] = month_country_[c][m];
    if (month_country_[c][now].accesses) {
      totals[code] = month_country_[c][now];
      per_day[code] = day_country_[c];
    }
    if (prev && month_country_[c][*prev].accesses) before[code] = month_country_[c][*prev];
  }
  auto rank_prev = rank_of(before, false);
  for (const auto& code : rank_keys(totals, false)) {
    RegionRank r;
    r.code = code;
    r.counts = totals.at(code);
    r.rank = static_cast<int>(rep.regions.size()) + 1;
    if (auto it = before.find(code); it != before.end()) r.previous = it->second;
    if (auto it = rank_prev.find(code); it != rank_prev.end()) r.prev_rank = it->second;
    rep.regions.push_back(r);
  }
  std::vector<base::Day> days;
  for (base::Day d = first_day_; d <= last_day_; ++d) days.push_back(d);
  int top = rep.rules.top;
  auto top_a = top_keys(totals, false, top), top_s = top_keys(totals, true, top);
  rep.region_accesses = stacked_series(per_day, days, top_a, false);
  rep.region_sources = stacked_series(per_day, days, top_s, true);
  rep.region_access_shares = shares(totals, top_a, false);
  rep.region_source_shares = shares(totals, top_s, true);
  rep.region_access_trend = trend(months_, per_month, top_a, false);
  rep.region_source_trend = trend(months_, per_month, top_s, true);

  for (size_t i = 0; i < asns_.size(); ++i)
    if (asn_counts_[i].accesses) rep.asns.push_back({asns_[i].first, asns_[i].second,
                                                     asn_counts_[i], 0});
  std::sort(rep.asns.begin(), rep.asns.end(), [](const AsnRank& a, const AsnRank& b) {
    if (a.counts.accesses != b.counts.accesses) return a.counts.accesses > b.counts.accesses;
    if (a.counts.sources != b.counts.sources) return a.counts.sources > b.counts.sources;
    return a.asn < b.asn;
  });
  for (size_t i = 0; i < rep.asns.size(); ++i) rep.asns[i].rank = static_cast<int>(i) + 1;

  rep.distinct_sources = static_cast<uint64_t>(
      std::count_if(sources_.begin(), sources_.end(), [](const Source& s) { return s.in_month; }));

  for (auto& chart : rep.finding_charts) {
    const auto& by_country = chart_[chart_of_.at(chart.port)];
    KeyTotals port_totals;
    KeyDays port_days;
    for (size_t c = 0; c < countries_.size(); ++c) {
      uint64_t sum = 0;
      std::vector<Counts> row(days_);
      for (size_t d = 0; d < days_; ++d) {
        row[d].sources = by_country[c][d];
        sum += by_country[c][d];
      }
      if (!sum) continue;
      port_totals[countries_[c]] = {0, sum};
      port_days[countries_[c]] = std::move(row);
    }
    chart.by_country = stacked_series(port_days, days, top_keys(port_totals, true, top), true);
    for (auto& f : rep.findings) {
      if (f.type != FindingType::surge || !(f.port == chart.port)) continue;
      KeyTotals that_day;
      for (const auto& [code, row] : port_days)
        if (row[static_cast<size_t>(f.start - first_day_)].sources)
          that_day[code] = row[static_cast<size_t>(f.start - first_day_)];
      auto best = top_keys(that_day, true, 1);
      if (!best.empty()) f.top_country = best.front();
    }
  }
}

}  // namespace teiten::report
