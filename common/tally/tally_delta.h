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
};

}  // namespace teiten::tally
