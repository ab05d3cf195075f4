// teiten::report data quality — per sensor: days missing (no coverage and
// no rows) or partial (coverage below Rules::partial_coverage of a day),
// packets, kernel and interface drops, malformed packets by reason, non-IP
// and ignored frames, from the coverage and counters views. Sensors that
// had data last month but none this month are listed with every day
// missing. Pure function.
#pragma once

#include <functional>
#include <vector>

#include "common/report/report_data.h"
#include "common/store/report_source.h"

namespace teiten::report {

struct QualityInputs {
  const std::vector<std::string>* sensors = nullptr;  ///< SensorIndex -> name
  std::function<bool(base::Day, store::SensorIndex)> observed;
  std::vector<store::SensorDay> coverage;
  std::vector<store::DayCounter> counters;
  std::vector<bool> in_previous_month;  ///< by SensorIndex
  std::vector<Counts> probe;            ///< this month's probe totals by SensorIndex
};

std::vector<SensorQuality> data_quality(const Report& report, const QualityInputs& in);

}  // namespace teiten::report
