#include "common/config/config_error.h"

#include <utility>

namespace teiten::config {
namespace {

std::string joined(const std::vector<ConfigError>& errors) {
  std::string out;
  for (const auto& line : shown_errors(errors)) {
    if (!out.empty()) out += '\n';
    out += line;
  }
  return out.empty() ? "invalid configuration" : out;
}

}  // namespace

std::vector<std::string> shown_errors(const std::vector<ConfigError>& errors) {
  std::vector<std::string> out;
  for (size_t i = 0; i < errors.size() && i < max_shown_errors; ++i)
    out.push_back(errors[i].to_string());
  if (errors.size() > max_shown_errors)
    out.push_back(errors.front().file + ": and " +
                  std::to_string(errors.size() - max_shown_errors) + " more errors");
  return out;
}

std::string ConfigError::to_string() const {
  if (line == 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

ConfigErrors::ConfigErrors(std::vector<ConfigError> errors)
    : std::runtime_error(joined(errors)), errors_(std::move(errors)) {}

}  // namespace teiten::config
