// teiten::synth fleet campaigns — who scans what in the fleet scenario, at
// TALOT2 volumes (July 2010: about 375 accesses from 164 sources per sensor
// per day), and the scripted events of the reference report.
//
// A Campaign is a population of scanners for one service: how many new
// sources a sensor sees per day, how often each retries (accesses exceed
// sources), which share are repeat scanners from a fleet-wide pool, how
// many "regulars" keep hitting one sensor daily (worms on nearby networks),
// and where they come from. event_factor() scales a campaign per sensor and
// day: 5060/udp starts on day 9 at several sensors; 27649/udp surges at one
// sensor in the first days. Pure data and arithmetic, no randomness here.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "daemon/synth/address_space.h"
#include "daemon/synth/packet_spec.h"

namespace teiten::synth {

enum class FleetEvent : uint8_t { none, sip_wave, surge_one_sensor };

struct Campaign {
  std::string_view name;
  Transport transport;              ///< tcp (SYN probes), udp, or icmp (echo)
  std::span<const uint16_t> ports;  ///< each source picks one (repeat a port to weight it)
  double sources_per_day;           ///< mean new sources per sensor-day at scale 1
  double extra_attempts;            ///< mean further connection attempts per source
  uint8_t max_retransmits;          ///< SYN retransmissions per attempt: 0..this (3 s, then 6 s)
  double attempt_gap;               ///< mean seconds between a source's attempts
  double pool_share;                ///< share of sources that are repeat scanners from the pool
  uint32_t pool_size;               ///< fleet-wide repeat scanners at scale 1
  uint32_t regulars;                ///< per sensor, sources present almost every day
  const RegionMix* regions;
  Payload payload = Payload::zeros;
  uint16_t payload_length = 0;
  FleetEvent event = FleetEvent::none;
};

/// The fleet's campaigns, most accesses first.
std::span<const Campaign> fleet_campaigns();

/// Multiplier of a campaign's sources for sensor `sensor` (0-based) on day
/// `day` (0-based day of the month).
double event_factor(const Campaign& c, uint32_t sensor, uint32_t sensors, uint32_t day);
/// Sensors (0-based) where the 5060/udp wave starts on day 9: six of ten.
bool in_sip_wave(uint32_t sensor);
/// The one sensor (0-based) where 27649/udp surges: s04, or s01 alone.
uint32_t surge_sensor(uint32_t sensors);
/// The 0-based day of the month on which the SIP wave starts (9 July: 8).
inline constexpr uint32_t sip_wave_first_day = 8;

}  // namespace teiten::synth
