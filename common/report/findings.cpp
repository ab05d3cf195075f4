#include "common/report/findings.h"

#include <algorithm>
#include <set>

#include "common/report/surge.h"

namespace teiten::report {
namespace {

std::vector<Finding> surges(const FindingInputs& in) {
  std::vector<Finding> out;
  for (const auto& [label, h] : in.history) {
    if (!in.now.count(label)) continue;
    DailySeries series{in.span_first, h.sources, in.counted};
    for (const auto& run : find_surges(series, in.month_first, in.month_last, in.rules)) {
      Finding f;
      f.type = FindingType::surge;
      f.port = in.types.at(label);
      f.label = label;
      f.start = run.start;
      f.end = run.end;
      f.peak_day = run.peak_day;
      f.start_sources = run.start_value;
      f.peak_sources = run.peak_value;
      f.baseline_median = run.baseline.median;
      f.baseline_iqr = run.baseline.iqr;
      f.baseline_mean = run.baseline.mean;
      f.baseline_sd = run.baseline.sd;
      f.baseline_days = run.baseline.days;
      f.sensors = static_cast<int>(h.sensors[static_cast<size_t>(run.start - in.span_first)]);
      out.push_back(f);
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    return a.start != b.start ? a.start < b.start : a.label < b.label;
  });
  return out;
}

std::vector<Finding> single_sensor(const FindingInputs& in) {
  std::vector<Finding> out;
  if (in.sensors_in_month < 2) return out;  // one sensor holds everything anyway
  for (const auto& [label, h] : in.history) {
    auto it = in.now.find(label);
    if (it == in.now.end() || it->second.accesses < in.rules.single_min_accesses) continue;
    auto best = std::max_element(h.sensor_accesses.begin(), h.sensor_accesses.end());
    double share = static_cast<double>(*best) / static_cast<double>(it->second.accesses);
    if (share < in.rules.single_min_share) continue;
    Finding f;
    f.type = FindingType::single_sensor;
    f.port = in.types.at(label);
    f.label = label;
    f.sensor = in.sensor_names.at(static_cast<size_t>(best - h.sensor_accesses.begin()));
    f.share = share;
    f.accesses = it->second.accesses;
    f.sensor_accesses = *best;
    out.push_back(f);
  }
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    if (a.share != b.share) return a.share > b.share;
    if (a.accesses != b.accesses) return a.accesses > b.accesses;
    return a.label < b.label;
  });
  return out;
}

std::vector<Finding> new_entries(const FindingInputs& in) {
  std::vector<Finding> out;
  if (!in.has_previous) return out;
  auto before = top_keys(in.previous, false, in.rules.top);
  std::set<std::string> was(before.begin(), before.end());
  auto prev_rank = rank_of(in.previous, false);
  int rank = 0;
  for (const auto& label : top_keys(in.now, false, in.rules.top)) {
    ++rank;
    if (was.count(label)) continue;
    Finding f;
    f.type = FindingType::new_entry;
    f.port = in.types.at(label);
    f.label = label;
    f.rank = rank;
    if (auto it = prev_rank.find(label); it != prev_rank.end()) f.prev_rank = it->second;
    f.accesses = in.now.at(label).accesses;
    out.push_back(f);
  }
  return out;
}

}  // namespace

std::vector<Finding> find_findings(const FindingInputs& in) {
  auto out = surges(in);
  for (auto& f : single_sensor(in)) out.push_back(std::move(f));
  for (auto& f : new_entries(in)) out.push_back(std::move(f));
  return out;
}

}  // namespace teiten::report
