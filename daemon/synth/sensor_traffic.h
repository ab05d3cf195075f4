// teiten::synth::SensorTraffic — everything one fleet sensor receives in a
// month, as PacketSpecs sorted by time.
//
// Owns one random stream per sensor (so the number of sensors never changes
// what another sensor sees) and reads the fleet-wide pools of repeat
// scanners. The specs only describe packets; CaptureFile writes them and the
// ground truth classifies them.
#pragma once

#include <cstdint>
#include <vector>

#include "common/base/ip_address.h"
#include "daemon/synth/fleet_campaigns.h"
#include "daemon/synth/fleet_scenario.h"
#include "daemon/synth/local_calendar.h"
#include "daemon/synth/packet_spec.h"
#include "daemon/synth/rng.h"

namespace teiten::synth {

/// Repeat scanners per campaign (index as in fleet_campaigns()), shared by
/// all sensors.
using ScannerPools = std::vector<std::vector<base::IpAddress>>;
ScannerPools make_scanner_pools(uint64_t seed, double scale);

struct FleetMonth {
  int32_t first_day = 0;  ///< local day number of the 1st
  uint32_t days = 0;
  int64_t start = 0, end = 0;  ///< [start, end) in Unix seconds
};

class SensorTraffic {
 public:
  SensorTraffic(const FleetSensor& sensor, uint32_t index, uint32_t sensors, uint64_t seed,
                double scale, const ScannerPools& pools, const LocalCalendar& calendar,
                FleetMonth month);

  /// The month's packets, sorted by time (ties keep generation order).
  std::vector<PacketSpec> generate();

 private:
  using Us = int64_t;  // microseconds since the epoch

  void campaign_day(size_t ci, uint32_t day, Us day_start, Us day_end);
  void probes(const Campaign& c, const base::IpAddress& src, Us first, uint16_t port,
              double extra_attempts);
  void backscatter_day(Us day_start, Us day_end);
  void other_day(Us day_start, Us day_end);
  void ipv6_day(Us day_start, Us day_end);
  void uncounted_day(Us day_start, Us day_end);
  void tag_frames();

  PacketSpec spec(Us at, const base::IpAddress& src, const base::IpAddress& dst);
  void push(const PacketSpec& s);
  Us random_time(Us from, Us to) {
    return from + static_cast<Us>(rng_.below(static_cast<uint64_t>(to - from)));
  }
  /// A client port; never a reflection service port, so UDP from it is a probe.
  uint16_t ephemeral_port();
  uint8_t ttl_of(const base::IpAddress& src) const;

  const FleetSensor& sensor_;
  uint32_t index_, sensors_;
  double scale_;
  const ScannerPools& pools_;
  const LocalCalendar& calendar_;
  FleetMonth month_;
  Rng rng_;
  std::vector<std::vector<base::IpAddress>> regulars_;  ///< per campaign
  std::vector<PacketSpec> specs_;
};

}  // namespace teiten::synth
