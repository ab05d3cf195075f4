#include "common/config/sensor_config.h"

namespace teiten::config {

ConfigError SourceMarks::error_at(const std::string& key_path, std::string message) const {
  std::string text = key_path.empty() ? std::move(message) : key_path + ": " + message;
  // A key left at its default has no position of its own; the section (or
  // list) it belongs to is the nearest place the operator can act on.
  std::string path = key_path;
  while (!path.empty()) {
    if (auto it = positions.find(path); it != positions.end())
      return {file, it->second.first, it->second.second, std::move(text)};
    auto cut = path.find_last_of(".[");
    path.resize(cut == std::string::npos ? 0 : cut);
  }
  return {file, 0, 0, std::move(text)};
}

}  // namespace teiten::config
