// Test support: the shipped profiles (config/synth/*.yaml) generated once
// per test binary, and their files read back.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/synth/synth_test_support.h"

namespace teiten::synth::test {

struct Generated {
  TempDir dir;
  nlohmann::json summary;  ///< profile.json
  std::string path(const std::string& month, const std::string& file) const {
    return dir.file(month + "/" + file);
  }
  /// The sensor's configuration view, as profile.json gives it.
  View view(const std::string& sensor) const;
  Rows truth(const std::string& month, const std::string& sensor) const;
  nlohmann::json sensor_summary(const std::string& month, const std::string& sensor) const;
  nlohmann::json expected_report(const std::string& month) const;
};

/// config/synth/NAME.yaml
std::string profile_file(const std::string& name);
/// The profile generated with its own seed, once per process.
const Generated& generated(const std::string& name);

}  // namespace teiten::synth::test
