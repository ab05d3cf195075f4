#include "daemon/synth/apportion.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace teiten::synth {

std::vector<uint64_t> apportion(uint64_t total, std::span<const double> weights) {
  std::vector<uint64_t> out(weights.size(), 0);
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  if (total == 0) return out;
  if (!(sum > 0)) return {};
  std::vector<std::pair<double, size_t>> fractions;
  fractions.reserve(weights.size());
  uint64_t placed = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    const double quota = static_cast<double>(total) * weights[i] / sum;
    const auto whole = static_cast<uint64_t>(std::floor(quota));
    out[i] = whole;
    placed += whole;
    if (weights[i] > 0) fractions.emplace_back(quota - static_cast<double>(whole), i);
  }
  // Rounding can leave the floors a little above the total; take back from
  // the smallest fractions first.
  std::sort(fractions.begin(), fractions.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  for (size_t k = 0; placed < total; k = (k + 1) % fractions.size(), ++placed)
    ++out[fractions[k].second];
  for (size_t k = fractions.size(); placed > total;) {
    k = k == 0 ? fractions.size() - 1 : k - 1;
    if (out[fractions[k].second] > 0) --out[fractions[k].second], --placed;
  }
  return out;
}

}  // namespace teiten::synth
