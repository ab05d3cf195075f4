// teiten::synth::MonthPlan — how many sources each port type gets at each
// sensor on each day of one month, and how many accesses beyond the first
// each of those cells gets: the plan a profile's exact targets are met by.
//
// Every planned source is one rollup row of kind probe (one source, one
// day, one sensor, one port type), so the month's summed sources are the
// plan's cells added up and its accesses those plus the extras: the
// generator only has to give each cell distinct sources and keep each
// source's packets inside its day. The split is in three steps: the month's
// total over port types in proportion to their expected volume (exact, no
// noise, so the ranking is the profile's); each port type's share over its
// (sensor, day) cells in proportion to Poisson draws around the expected
// value (the daily series look observed, not drawn with a ruler); the extra
// accesses likewise. Pure arithmetic and one Rng stream per (month, port).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "daemon/synth/profile.h"

namespace teiten::synth {

/// Expected summed sources of a port type at a sensor on a local day,
/// before the month's target scales it: the port's rate, the sensor's and
/// the month's factors, the events; 0 where the sensor is absent or lacks
/// the port's address family.
double intensity(const Profile& profile, size_t port, size_t sensor, int32_t day,
                 const ProfileMonth& month);

struct MonthPlan {
  size_t month = 0;  ///< index into Profile::months
  size_t ports = 0, sensors = 0;
  uint32_t days = 0;
  std::vector<uint32_t> sources;  ///< per cell [(port * sensors + sensor) * days + day]
  std::vector<uint32_t> extras;   ///< accesses beyond one per source, per cell
  uint64_t total_sources = 0, total_accesses = 0;

  size_t cell(size_t port, size_t sensor, uint32_t day) const {
    return (port * sensors + sensor) * days + day;
  }
};

/// Plans month `month` of the profile; `before` holds the plans of the
/// months before it (the report's surge rule looks 28 days back). Throws
/// config::ConfigErrors located at the month when its target cannot be
/// met (nothing to scale, or accesses beyond sources with every port at
/// one access per source).
MonthPlan plan_month(const Profile& profile, size_t month, std::span<const MonthPlan> before);

}  // namespace teiten::synth
