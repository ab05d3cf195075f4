// teiten::synth::BackgroundTraffic — what reaches a sensor besides the
// planned accesses: backscatter (replies of victims of spoofed floods),
// "other" traffic (TCP without SYN, other protocols and ICMP types), and
// frames that must not count at all: probes of the neighbors' addresses,
// the sensor's own packets (outgoing in cooked captures), SNMP polls and an
// SSH login from the management network, ARP, and malformed frames.
//
// Rates are the profile's `background` section, Poisson per sensor-day. It
// never makes a probe that reaches the rollup, so the planned accesses stay
// exact. Sources come from the profile's first population.
#pragma once

#include "daemon/synth/fleet_sources.h"
#include "daemon/synth/sensor_packets.h"

namespace teiten::synth {

class BackgroundTraffic {
 public:
  BackgroundTraffic(const Profile& profile, const FleetSources& sources, SensorPackets& out,
                    Rng& rng);

  /// One local day spanning [from, to).
  void day(Micros from, Micros to);

 private:
  void backscatter(Micros from, Micros to);
  void other(Micros from, Micros to);
  void management(Micros from, Micros to);
  void not_counted(Micros from, Micros to);
  void malformed(Micros from, Micros to);

  base::IpAddress stranger(base::Family family);
  Micros random_time(Micros from, Micros to) {
    return from + static_cast<Micros>(rng_.below(static_cast<uint64_t>(to - from)));
  }

  const Profile& profile_;
  const FleetSources& sources_;
  SensorPackets& out_;
  Rng& rng_;
  std::string population_;
};

/// Another address of the sensor's network (.250, or ::250 in its /64).
base::IpAddress neighbor_of(const base::IpAddress& address);

}  // namespace teiten::synth
