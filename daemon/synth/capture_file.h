// teiten::synth::CaptureFile — one output capture and its ground truth:
// DIR/NAME.pcap, DIR/NAME.truth.csv (TruthMode::full) and
// DIR/NAME.summary.json.
//
// Scenarios hand it PacketSpecs in capture order; it builds each frame,
// appends it to the pcap and accounts it in the truth, so nothing reaches
// the file without reaching the truth. One reusable frame buffer: no
// allocation per packet.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "daemon/synth/ground_truth.h"
#include "daemon/synth/packet_builder.h"
#include "daemon/synth/pcap_writer.h"
#include "daemon/synth/synth_options.h"

namespace teiten::synth {

class CaptureFile {
 public:
  CaptureFile(const std::string& dir, const std::string& name, SensorView view,
              const std::string& zone, TruthMode mode,
              PacketBuilder builder = PacketBuilder());

  Verdict add(const PacketSpec& spec) {
    size_t captured = 0;
    const size_t n = builder_.build(spec, frame_, captured);
    writer_.write(spec.sec, spec.usec, frame_.data(), captured, n);
    return truth_.add(spec);
  }

  /// Closes the pcap, writes the truth files and returns the summary, with
  /// `parameters` (scenario, seed, ...) and the sensor view merged in.
  nlohmann::ordered_json finish(const nlohmann::ordered_json& parameters);

  const GroundTruth& truth() const { return truth_; }

 private:
  std::string dir_, name_;
  SensorView view_;
  std::string zone_;
  TruthMode mode_;
  PacketBuilder builder_;
  PcapWriter writer_;
  GroundTruth truth_;
  PacketBuilder::Frame frame_{};
};

/// Creates the directory (and parents); throws std::runtime_error on failure.
void make_output_dir(const std::string& dir);
/// Writes a JSON document (pretty, newline-terminated); throws on I/O errors.
void write_json(const std::string& path, const nlohmann::ordered_json& j);

}  // namespace teiten::synth
