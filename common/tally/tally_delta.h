// teiten::tally::TallyDelta — everything counted since the last flush: the
// rows and the per-day stats. Moved whole from the capture thread to the
// store thread; the store commits it in one transaction.
#pragma once

#include <map>

#include "common/tally/day_stats.h"
#include "common/tally/tally.h"

namespace teiten::tally {

struct TallyDelta {
  Tally rows;
  std::map<base::Day, DayStats> days;

  bool empty() const { return rows.empty() && days.empty(); }
  void merge(const TallyDelta& o) {
    rows.merge(o.rows);
    for (const auto& [d, s] : o.days) days[d].merge(s);
  }
  /// Moves the rows and stats of days >= first out into the returned delta.
  TallyDelta split_from(base::Day first) {
    TallyDelta out;
    out.rows = rows.split_from(first);
    out.days.insert(days.lower_bound(first), days.end());
    days.erase(days.lower_bound(first), days.end());
    return out;
  }
};

}  // namespace teiten::tally
