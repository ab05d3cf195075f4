// teiten::synth fleet scenario — a month of a TALOT2-like ten-sensor fleet:
// DIR/sNN.pcap with sNN.truth.csv and sNN.summary.json per sensor, plus
// DIR/fleet.yaml (what each sensor's config must say for the truth to hold)
// and DIR/fleet.summary.json (fleet totals and per-sensor-per-day averages).
//
// Each sensor observes one IPv4 address (192.0.2.0/24, 198.51.100.0/24,
// 203.0.113.0/24 in turn) and one IPv6 address (2001:db8:0:N::10). Besides
// the campaigns of fleet_campaigns.h it sees backscatter, "other" traffic,
// a little IPv6, and frames that must not count: to the neighbors .250 and
// 2001:db8:0:N::250, from its own addresses, from its management network 10.N.0.0/16
// (ignore_sources), and ARP. s03 sits on a trunk (every frame 802.1Q
// tagged); the others see a few tagged and QinQ frames. Times are in the
// zone's local days; every day has packets in its last and first second.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "daemon/synth/ground_truth.h"
#include "daemon/synth/synth_options.h"

namespace teiten::synth {

struct FleetSensor {
  std::string id;             ///< s01, s02, ...
  base::IpAddress address;    ///< observed IPv4 address
  base::IpAddress address6;   ///< observed IPv6 address
  base::IpAddress neighbor;   ///< another address of the same /24 (not observed)
  base::IpAddress neighbor6;  ///< another address of the same /64 (not observed)
  base::IpAddress router;     ///< the upstream router (ARP requests)
  Net management;             ///< ignore_sources
  uint16_t vlan = 0;          ///< tag of every frame on a trunk sensor; 0 otherwise
  SensorView view() const;
};

/// The fleet layout for `count` sensors (1..200).
std::vector<FleetSensor> fleet_sensors(uint32_t count);

/// Writes the fleet files and returns the fleet summary. Throws
/// std::runtime_error on bad options or I/O errors.
nlohmann::ordered_json run_fleet(const SynthOptions& options);

}  // namespace teiten::synth
