// teiten::report figures — the ranking, stacking and share rules shared by
// the port-type and the country figures, over string keys (port labels or
// country codes). Pure functions.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/report/report_data.h"

namespace teiten::report {

using KeyTotals = std::map<std::string, Counts>;
/// key -> its Counts on each day of a DaySeries' days.
using KeyDays = std::map<std::string, std::vector<Counts>>;

/// Keys by accesses (or by sources), ties broken by the other count, then
/// by key in byte order. Every key appears once.
std::vector<std::string> rank_keys(const KeyTotals& totals, bool by_sources);
/// The first n of rank_keys.
std::vector<std::string> top_keys(const KeyTotals& totals, bool by_sources, int n);

/// Daily accesses (or sources) of `top`, then "other" for the rest when the
/// rest is ever non-zero.
DaySeries stacked_series(const KeyDays& per_day, const std::vector<base::Day>& days,
                         const std::vector<std::string>& top, bool sources);

/// Shares of `top` and "other" (when non-zero) in the month's total.
std::vector<Share> shares(const KeyTotals& totals, const std::vector<std::string>& top,
                          bool sources);

/// Monthly shares of `top` and "other" over `months` (per_month[i] is months[i]).
TrendSeries trend(const std::vector<Month>& months, const std::vector<KeyTotals>& per_month,
                  const std::vector<std::string>& top, bool sources);

/// Ranks (1-based) of every key by rank_keys.
std::map<std::string, int> rank_of(const KeyTotals& totals, bool by_sources);

}  // namespace teiten::report
