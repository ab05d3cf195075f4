#include "daemon/synth/month_plan.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "daemon/synth/apportion.h"
#include "daemon/synth/rng.h"

namespace teiten::synth {
namespace {

constexpr uint64_t kPlanStream = 1;

template <class Map, class Key>
double factor_of(const Map& factors, const Key& key) {
  const auto it = factors.find(key);
  return it == factors.end() ? 1.0 : it->second;
}

bool carries(const ProfileSensor& sensor, Proto proto) {
  if (proto == Proto::icmp) return sensor.address.has_value();
  if (proto == Proto::icmpv6) return sensor.address6.has_value();
  return true;
}

[[noreturn]] void fail(const Profile& profile, size_t month, const std::string& message) {
  const std::string path = "months[" + std::to_string(month) + "]";
  throw config::ConfigErrors({profile.marks.error_at(path, message)});
}

}  // namespace

double intensity(const Profile& profile, size_t port, size_t sensor, int32_t day,
                 const ProfileMonth& month) {
  const ProfilePort& p = profile.ports[port];
  const ProfileSensor& s = profile.sensors[sensor];
  if (!carries(s, p.type.proto) ||
      std::binary_search(s.absent_days.begin(), s.absent_days.end(), day))
    return 0;
  double base = p.sources * factor_of(p.sensor_factor, s.id) *
                factor_of(p.month_factor, month.first_day);
  double added = 0;
  for (const ProfileEvent& e : profile.events) {
    if (e.port != port || std::find(e.sensors.begin(), e.sensors.end(), sensor) == e.sensors.end())
      continue;
    switch (e.type) {
      case EventType::rise:
        if (e.active(day)) base *= e.factor;
        break;
      case EventType::onset:
        if (e.active(day)) added += e.sources;
        break;
      case EventType::surge:
        if (day >= e.start && day - e.start < static_cast<int32_t>(e.daily.size()))
          added += e.daily[static_cast<size_t>(day - e.start)];
        break;
    }
  }
  return base + added;
}

namespace {

// A fleet-wide day of a port type: Poisson around its expectation, kept
// within kSpread standard deviations, so that no ordinary day stands out
// as a surge would (docs/synth.md): only the profile's events do.
constexpr double kSpread = 2.2;

// The report's default surge rule (docs/report.md, "Findings").
constexpr int kSurgeWindow = 28, kSurgeMinBaseline = 7;
constexpr double kSurgeIqr = 3, kSurgeSd = 3;
constexpr uint64_t kSurgeMinSources = 20;

/// The value below which a day with this baseline is not a surge, or
/// nullopt when the day is not tested (too few baseline days).
std::optional<uint64_t> surge_ceiling(std::vector<double> window) {
  if (window.size() < static_cast<size_t>(kSurgeMinBaseline)) return std::nullopt;
  std::sort(window.begin(), window.end());
  auto quantile = [&](double q) {
    const double h = static_cast<double>(window.size() - 1) * q;
    const auto lo = static_cast<size_t>(h);
    const size_t hi = std::min(lo + 1, window.size() - 1);
    return window[lo] + (h - static_cast<double>(lo)) * (window[hi] - window[lo]);
  };
  double sum = 0, squares = 0;
  for (double v : window) sum += v;
  const double mean = sum / static_cast<double>(window.size());
  for (double v : window) squares += (v - mean) * (v - mean);
  const double sd = std::sqrt(squares / static_cast<double>(window.size()));
  const double limit = std::min(quantile(0.5) + kSurgeIqr * (quantile(0.75) - quantile(0.25)),
                                mean + kSurgeSd * sd);
  // A value at or below the limit is not flagged, nor one under the floor.
  return std::max<uint64_t>(static_cast<uint64_t>(std::floor(limit)), kSurgeMinSources - 1);
}

double fleet_day_draw(double mean, Rng& rng) {
  const double v = rng.poisson(mean);
  const double reach = kSpread * std::sqrt(mean);
  return std::clamp(v, std::max(0.0, mean - reach), mean + reach);
}

bool any_sensor_present(const Profile& profile, int32_t day) {
  return std::any_of(profile.sensors.begin(), profile.sensors.end(), [&](const ProfileSensor& s) {
    return !std::binary_search(s.absent_days.begin(), s.absent_days.end(), day);
  });
}

/// True when an event of the port type shapes the day.
bool event_on(const Profile& profile, size_t port, int32_t day) {
  return std::any_of(profile.events.begin(), profile.events.end(), [&](const ProfileEvent& e) {
    if (e.port != port) return false;
    if (e.type == EventType::surge)
      return day >= e.start && day - e.start < static_cast<int32_t>(e.daily.size());
    return e.active(day);
  });
}

/// Keeps a port type's ordinary days below the report's surge rule: noise
/// alone must not make a finding, only the profile's events may. A day
/// over the rule's limit gives its excess, one source at a time, to the
/// quietest day that may take it. `history` holds the fleet-wide days
/// before the month (nullopt: no sensor observed that day), oldest first.
void keep_ordinary_days_quiet(std::vector<uint64_t>& days,
                              const std::vector<std::optional<uint64_t>>& history,
                              const std::vector<bool>& event, const std::vector<bool>& possible,
                              const std::vector<bool>& observed) {
  auto window = [&](size_t d) {
    std::vector<double> w;
    const int64_t at = static_cast<int64_t>(history.size() + d);
    for (int64_t j = std::max<int64_t>(0, at - kSurgeWindow); j < at; ++j) {
      if (j < static_cast<int64_t>(history.size())) {
        if (history[static_cast<size_t>(j)]) w.push_back(static_cast<double>(*history[static_cast<size_t>(j)]));
      } else if (observed[static_cast<size_t>(j) - history.size()]) {
        w.push_back(static_cast<double>(days[static_cast<size_t>(j) - history.size()]));
      }
    }
    return w;
  };
  for (size_t d = 0; d < days.size(); ++d) {
    if (event[d] || days[d] < kSurgeMinSources) continue;
    const auto ceiling = surge_ceiling(window(d));
    if (!ceiling || days[d] <= *ceiling) continue;
    for (uint64_t excess = days[d] - *ceiling; excess > 0; --excess) {
      size_t to = days.size();
      for (size_t k = 0; k < days.size(); ++k)
        if (k != d && possible[k] && !event[k] && (to == days.size() || days[k] < days[to])) to = k;
      if (to == days.size()) return;  // nowhere to go: leave the day as it is
      --days[d];
      ++days[to];
    }
  }
}

}  // namespace

MonthPlan plan_month(const Profile& profile, size_t month, std::span<const MonthPlan> before) {
  const ProfileMonth& m = profile.months[month];
  MonthPlan plan;
  plan.month = month;
  plan.ports = profile.ports.size();
  plan.sensors = profile.sensors.size();
  plan.days = m.days;
  const size_t cells_per_port = plan.sensors * plan.days;
  std::vector<double> expected(plan.ports * cells_per_port);
  double natural = 0;
  for (size_t p = 0; p < plan.ports; ++p)
    for (size_t s = 0; s < plan.sensors; ++s)
      for (uint32_t d = 0; d < plan.days; ++d) {
        const double v = intensity(profile, p, s, m.first_day + static_cast<int32_t>(d), m);
        expected[plan.cell(p, s, d)] = v;
        natural += v;
      }
  if (m.sources && !(natural > 0))
    fail(profile, month, "no port type has any source in " + m.name + " to meet the target with");
  const double scale = m.sources ? static_cast<double>(*m.sources) / natural : 1.0;

  // Each port type's fleet-wide days, then each day over the sensors, are
  // drawn around their expectation at the scale the target asks for, so
  // the series look observed rather than drawn with a ruler.
  std::vector<double> day_drawn(plan.ports * plan.days), cell_drawn(expected.size());
  std::vector<double> port_drawn(plan.ports, 0.0), port_expected(plan.ports, 0.0);
  for (size_t p = 0; p < plan.ports; ++p) {
    Rng rng(profile.seed, stream_of(kPlanStream, month, p));
    for (uint32_t d = 0; d < plan.days; ++d) {
      double mean = 0;
      for (size_t s = 0; s < plan.sensors; ++s) {
        const size_t c = plan.cell(p, s, d);
        mean += expected[c] * scale;
        cell_drawn[c] = rng.poisson(expected[c] * scale);
      }
      day_drawn[p * plan.days + d] = fleet_day_draw(mean, rng);
      port_drawn[p] += day_drawn[p * plan.days + d];
      port_expected[p] += mean;
    }
  }

  // The month's total over port types in proportion to their draws (two
  // port types of equal weight do not tie), each one's over its days, each
  // day's over the sensors: exact at every step.
  plan.sources.assign(expected.size(), 0);
  std::vector<uint64_t> port_sources(plan.ports, 0);
  if (m.sources) {
    port_sources = apportion(*m.sources, port_drawn);
    if (port_sources.empty()) port_sources = apportion(*m.sources, port_expected);
  } else {
    for (size_t p = 0; p < plan.ports; ++p)
      port_sources[p] = static_cast<uint64_t>(std::llround(port_drawn[p]));
  }
  std::vector<double> sensor_weights(plan.sensors);
  auto quiet = [&](size_t p, std::vector<uint64_t>& days) {
    std::vector<std::optional<uint64_t>> history;
    for (auto it = before.rbegin(); it != before.rend() && history.size() < kSurgeWindow; ++it)
      for (uint32_t d = it->days; d-- > 0 && history.size() < kSurgeWindow;) {
        const int32_t day = profile.months[it->month].first_day + static_cast<int32_t>(d);
        uint64_t n = 0;
        for (size_t s = 0; s < it->sensors; ++s) n += it->sources[it->cell(p, s, d)];
        history.push_back(any_sensor_present(profile, day) ? std::optional(n) : std::nullopt);
      }
    std::reverse(history.begin(), history.end());
    std::vector<bool> event(plan.days), possible(plan.days), observed(plan.days);
    for (uint32_t d = 0; d < plan.days; ++d) {
      const int32_t day = m.first_day + static_cast<int32_t>(d);
      event[d] = event_on(profile, p, day);
      observed[d] = any_sensor_present(profile, day);
      for (size_t s = 0; s < plan.sensors; ++s)
        possible[d] = possible[d] || expected[plan.cell(p, s, d)] > 0;
    }
    keep_ordinary_days_quiet(days, history, event, possible, observed);
  };
  for (size_t p = 0; p < plan.ports; ++p) {
    auto days = apportion(port_sources[p],
                          std::span<const double>(day_drawn.data() + p * plan.days, plan.days));
    if (days.empty()) {  // every day drawn 0: by the expectation
      std::vector<double> means(plan.days, 0.0);
      for (uint32_t d = 0; d < plan.days; ++d)
        for (size_t s = 0; s < plan.sensors; ++s) means[d] += expected[plan.cell(p, s, d)];
      days = apportion(port_sources[p], means);
    }
    quiet(p, days);
    for (uint32_t d = 0; d < days.size(); ++d) {
      for (size_t s = 0; s < plan.sensors; ++s) sensor_weights[s] = cell_drawn[plan.cell(p, s, d)];
      auto cells = apportion(days[d], sensor_weights);
      if (cells.empty()) {
        for (size_t s = 0; s < plan.sensors; ++s) sensor_weights[s] = expected[plan.cell(p, s, d)];
        cells = apportion(days[d], sensor_weights);
      }
      for (size_t s = 0; s < cells.size(); ++s)
        plan.sources[plan.cell(p, s, d)] = static_cast<uint32_t>(cells[s]);
    }
  }

  // Extra accesses: in proportion to each port's sources times its retries.
  std::vector<double> retry_weight(plan.ports);
  std::vector<uint64_t> port_extras(plan.ports, 0);
  for (size_t p = 0; p < plan.ports; ++p) {
    retry_weight[p] =
        static_cast<double>(port_sources[p]) * (profile.ports[p].accesses_per_source - 1.0);
    port_extras[p] = static_cast<uint64_t>(std::llround(retry_weight[p]));
  }
  if (m.accesses) {
    port_extras = apportion(*m.accesses - *m.sources, retry_weight);
    if (port_extras.empty())
      fail(profile, month,
           "the target has more accesses than sources, but every port type of " + m.name +
               " has accesses_per_source 1");
  }
  plan.extras.assign(expected.size(), 0);
  for (size_t p = 0; p < plan.ports; ++p) {
    const size_t first = p * cells_per_port;
    std::vector<double> weights(plan.sources.begin() + static_cast<ptrdiff_t>(first),
                                plan.sources.begin() + static_cast<ptrdiff_t>(first + cells_per_port));
    const auto extras = apportion(port_extras[p], weights);
    for (size_t i = 0; i < extras.size(); ++i) plan.extras[first + i] = static_cast<uint32_t>(extras[i]);
  }
  for (size_t c = 0; c < plan.sources.size(); ++c) {
    plan.total_sources += plan.sources[c];
    plan.total_accesses += plan.sources[c] + plan.extras[c];
  }
  return plan;
}

}  // namespace teiten::synth
