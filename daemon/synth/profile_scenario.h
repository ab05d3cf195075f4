// teiten::synth profile scenario — `teiten-synth profile FILE --out DIR`:
// a profile's months for its whole fleet, as capture files and their
// ground truth.
//
//   DIR/profile.json                   the fleet: each sensor's link type and
//                                      the config its truth assumes (observed,
//                                      ignore_sources), each month's totals
//   DIR/MONTH/SENSOR.pcap              one capture per sensor and month
//   DIR/MONTH/SENSOR.truth.csv         its exact rollup rows
//   DIR/MONTH/SENSOR.summary.json      its counts by verdict, kind and day
//   DIR/MONTH/expected-report.json     every number teiten-report shows for
//                                      the month, in report.json's shape
//
// The months' targets are met exactly (month_plan.h): the generator checks
// its own truth against the plan before it returns. Sources are drawn from
// the geolocation database's networks of each population's countries.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "daemon/synth/synth_options.h"

namespace teiten::synth {

struct ProfileOptions {
  std::string file;  ///< the profile (YAML)
  std::string out_dir;
  std::optional<uint64_t> seed;  ///< overrides the profile's
  TruthMode truth = TruthMode::full;
  bool check_only = false;  ///< load and plan, write nothing
};

/// Generates everything and returns the fleet summary (profile.json).
/// Throws config::ConfigErrors for a bad profile (every error, located) and
/// std::runtime_error for I/O or geolocation failures.
nlohmann::ordered_json run_profile(const ProfileOptions& options);

}  // namespace teiten::synth
