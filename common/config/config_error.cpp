#include "common/config/config_error.h"

#include <utility>

namespace teiten::config {
namespace {

std::string joined(const std::vector<ConfigError>& errors) {
  std::string out;
  for (const auto& e : errors) {
    if (!out.empty()) out += '\n';
    out += e.to_string();
  }
  return out.empty() ? "invalid configuration" : out;
}

}  // namespace

std::string ConfigError::to_string() const {
  if (line == 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

ConfigErrors::ConfigErrors(std::vector<ConfigError> errors)
    : std::runtime_error(joined(errors)), errors_(std::move(errors)) {}

}  // namespace teiten::config
