#include "daemon/report/commentary.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <stdexcept>

namespace teiten::report_cli {

CommentaryTable load_commentary(const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    throw std::runtime_error("cannot read port commentary " + path + ": " + e.what());
  }
  CommentaryTable table;
  const auto& ports = root["ports"];
  if (!ports || !ports.IsSequence())
    throw std::runtime_error(path + ": no `ports:` list of port commentary");
  for (const auto& entry : ports) {
    auto where = path + ":" + std::to_string(entry.Mark().line + 1);
    try {
      auto proto = packet::parse_proto(entry["proto"].as<std::string>());
      if (!proto) throw std::runtime_error("unknown proto");
      report::PortType type{*proto, entry["port"].as<uint16_t>()};
      table[type] = {entry["service"].as<std::string>(""), entry["ja"].as<std::string>(),
                     entry["en"].as<std::string>()};
    } catch (const std::exception& e) {
      throw std::runtime_error(where + ": bad port commentary entry (" + e.what() + ")");
    }
  }
  return table;
}

std::string default_ports_file() {
  namespace fs = std::filesystem;
  std::error_code ec;
  auto self = fs::read_symlink("/proc/self/exe", ec);
  std::vector<fs::path> candidates;
  if (!ec) candidates.push_back(self.parent_path().parent_path() / "share/teiten/ports.yaml");
  candidates.emplace_back(TEITEN_INSTALLED_PORTS);
  candidates.emplace_back(TEITEN_SOURCE_PORTS);
  for (const auto& c : candidates)
    if (fs::exists(c, ec)) return c.string();
  return candidates.back().string();
}

}  // namespace teiten::report_cli
