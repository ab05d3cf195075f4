#include "common/report/figures.h"

#include <algorithm>
#include <set>

namespace teiten::report {
namespace {

uint64_t pick(const Counts& c, bool sources) {
  return sources ? c.sources : c.accesses;
}

}  // namespace

std::vector<std::string> rank_keys(const KeyTotals& totals, bool by_sources) {
  std::vector<std::pair<std::string, Counts>> v(totals.begin(), totals.end());
  std::stable_sort(v.begin(), v.end(), [by_sources](const auto& a, const auto& b) {
    auto ka = pick(a.second, by_sources), kb = pick(b.second, by_sources);
    if (ka != kb) return ka > kb;
    auto ta = pick(a.second, !by_sources), tb = pick(b.second, !by_sources);
    if (ta != tb) return ta > tb;
    return a.first < b.first;
  });
  std::vector<std::string> out;
  out.reserve(v.size());
  for (auto& [key, counts] : v) out.push_back(key);
  return out;
}

std::vector<std::string> top_keys(const KeyTotals& totals, bool by_sources, int n) {
  auto keys = rank_keys(totals, by_sources);
  if (keys.size() > static_cast<size_t>(n)) keys.resize(static_cast<size_t>(n));
  return keys;
}

std::map<std::string, int> rank_of(const KeyTotals& totals, bool by_sources) {
  std::map<std::string, int> out;
  int r = 0;
  for (const auto& key : rank_keys(totals, by_sources)) out[key] = ++r;
  return out;
}

DaySeries stacked_series(const KeyDays& per_day, const std::vector<base::Day>& days,
                         const std::vector<std::string>& top, bool sources) {
  DaySeries s;
  s.days = days;
  std::set<std::string> chosen(top.begin(), top.end());
  for (const auto& key : top) {
    std::vector<uint64_t> row(days.size(), 0);
    if (auto it = per_day.find(key); it != per_day.end())
      for (size_t i = 0; i < days.size(); ++i) row[i] = pick(it->second[i], sources);
    s.keys.push_back(key);
    s.values.push_back(std::move(row));
  }
  std::vector<uint64_t> other(days.size(), 0);
  bool any = false;
  for (const auto& [key, counts] : per_day) {
    if (chosen.count(key)) continue;
    for (size_t i = 0; i < days.size(); ++i) {
      other[i] += pick(counts[i], sources);
      any = any || other[i] > 0;
    }
  }
  if (any) {
    s.keys.push_back(kOtherKey);
    s.values.push_back(std::move(other));
  }
  return s;
}

std::vector<Share> shares(const KeyTotals& totals, const std::vector<std::string>& top,
                          bool sources) {
  uint64_t total = 0;
  for (const auto& [key, counts] : totals) total += pick(counts, sources);
  std::vector<Share> out;
  uint64_t listed = 0;
  auto share_of = [total](uint64_t v) {
    return total ? static_cast<double>(v) / static_cast<double>(total) : 0.0;
  };
  for (const auto& key : top) {
    auto it = totals.find(key);
    uint64_t v = it == totals.end() ? 0 : pick(it->second, sources);
    listed += v;
    out.push_back({key, v, share_of(v)});
  }
  if (total > listed) out.push_back({kOtherKey, total - listed, share_of(total - listed)});
  return out;
}

TrendSeries trend(const std::vector<Month>& months, const std::vector<KeyTotals>& per_month,
                  const std::vector<std::string>& top, bool sources) {
  TrendSeries t;
  t.months = months;
  std::vector<uint64_t> totals(months.size(), 0);
  for (size_t m = 0; m < months.size(); ++m)
    for (const auto& [key, counts] : per_month[m]) totals[m] += pick(counts, sources);
  std::vector<uint64_t> other = totals;
  for (const auto& key : top) {
    std::vector<uint64_t> row(months.size(), 0);
    for (size_t m = 0; m < months.size(); ++m) {
      if (auto it = per_month[m].find(key); it != per_month[m].end())
        row[m] = pick(it->second, sources);
      other[m] -= row[m];
    }
    t.keys.push_back(key);
    t.values.push_back(std::move(row));
  }
  if (std::any_of(other.begin(), other.end(), [](uint64_t v) { return v > 0; })) {
    t.keys.push_back(kOtherKey);
    t.values.push_back(std::move(other));
  }
  for (const auto& row : t.values) {
    std::vector<double> s(months.size(), 0.0);
    for (size_t m = 0; m < months.size(); ++m)
      if (totals[m]) s[m] = static_cast<double>(row[m]) / static_cast<double>(totals[m]);
    t.shares.push_back(std::move(s));
  }
  return t;
}

}  // namespace teiten::report
