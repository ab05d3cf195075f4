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
  // Nothing of it was written (a missing section): the file's start, so
  // every error still reads FILE:LINE:COLUMN. A config built in code (or
  // an empty file) has no positions at all and no place to point at.
  if (positions.empty()) return {file, 0, 0, std::move(text)};
  return {file, 1, 1, std::move(text)};
}

}  // namespace teiten::config
