#include "daemon/synth/capture_file.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace teiten::synth {

CaptureFile::CaptureFile(const std::string& dir, const std::string& name, SensorView view,
                         const std::string& zone, TruthMode mode, PacketBuilder builder)
    : dir_(dir),
      name_(name),
      view_(view),
      zone_(zone),
      mode_(mode),
      builder_(builder),
      writer_(dir + "/" + name + ".pcap", pcap_linktype(builder.link())),
      truth_(std::move(view), zone) {}

nlohmann::ordered_json CaptureFile::finish(const nlohmann::ordered_json& parameters) {
  writer_.close();
  truth_.finish();
  const std::string base = dir_ + "/" + name_;
  if (mode_ == TruthMode::full) truth_.write_csv(base + ".truth.csv");

  nlohmann::ordered_json j;
  j["file"] = name_ + ".pcap";
  j["truth_csv"] =
      mode_ == TruthMode::full ? nlohmann::ordered_json(name_ + ".truth.csv") : nullptr;
  j["timezone"] = zone_;
  j["parameters"] = parameters;
  auto& observed = j["sensor_view"]["observed"] = nlohmann::ordered_json::array();
  for (const auto& n : view_.observed) observed.push_back(n.to_string());
  auto& ignored = j["sensor_view"]["ignore_sources"] = nlohmann::ordered_json::array();
  for (const auto& n : view_.ignore_sources) ignored.push_back(n.to_string());
  j["pcap_bytes"] = writer_.bytes();
  j.update(truth_.summary());
  write_json(base + ".summary.json", j);
  return j;
}

void make_output_dir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create directory " + dir + ": " + ec.message());
}

void write_json(const std::string& path, const nlohmann::ordered_json& j) {
  std::ofstream out(path, std::ios::binary);
  out << j.dump(2) << '\n';
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path);
}

}  // namespace teiten::synth
