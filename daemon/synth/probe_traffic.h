// teiten::synth::ProbeTraffic — the accesses one sensor receives on one day,
// exactly as the month's plan says: for each port type, that many distinct
// sources, each with its planned number of accesses (SYNs with their
// retransmissions, UDP datagrams, echo requests), every packet of a source
// inside its local day, so that each planned source is one rollup row.
//
// Sources are the sensor's regulars, the port's fleet-wide repeat scanners
// and fresh ones, IPv6 in the profile's share where the sensor has it.
// Start times follow the port's daily rhythm. Every day one source of the
// profile's first port type starts in the day's first second and one ends
// in its last second, and the last one comes back in the next day's first
// second: rows that meet at midnight, where a sensor's day boundary is
// tested.
#pragma once

#include <optional>
#include <vector>

#include "daemon/synth/fleet_sources.h"
#include "daemon/synth/month_plan.h"
#include "daemon/synth/sensor_packets.h"

namespace teiten::synth {

class ProbeTraffic {
 public:
  ProbeTraffic(const Profile& profile, const MonthPlan& plan, const FleetSources& sources,
               SensorPackets& out, Rng& rng)
      : profile_(profile), plan_(plan), sources_(sources), out_(out), rng_(rng) {}

  /// Day `day` (0-based in the month) spanning [from, to).
  void day(uint32_t day, Micros from, Micros to);

 private:
  enum class Placement { rhythm, first_second, last_second };

  std::vector<base::IpAddress> pick_sources(size_t port, uint32_t count,
                                            const std::optional<base::IpAddress>& carry);
  std::vector<uint32_t> split_accesses(uint32_t sources, uint32_t extras);
  void contact(const ProfilePort& port, const base::IpAddress& src, uint32_t accesses,
               Placement placement, Micros from, Micros to);
  /// The packets of one source, at times relative to its first.
  void packets(const ProfilePort& port, const base::IpAddress& src, uint32_t accesses,
               std::vector<PacketSpec>& specs, std::vector<Micros>& offsets);

  const Profile& profile_;
  const MonthPlan& plan_;
  const FleetSources& sources_;
  SensorPackets& out_;
  Rng& rng_;
  std::optional<base::IpAddress> carry_;  ///< the edge source that ended the day before
};

}  // namespace teiten::synth
