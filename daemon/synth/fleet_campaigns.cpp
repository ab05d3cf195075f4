#include "daemon/synth/fleet_campaigns.h"

#include <array>

namespace teiten::synth {
namespace {

constexpr uint16_t k445[] = {445}, k1433[] = {1433}, k135[] = {135}, k139[] = {139}, k22[] = {22},
                   k23[] = {23}, k9415[] = {9415}, k5060[] = {5060}, k27649[] = {27649},
                   kPing[] = {8};
// The tail: services scanned every day somewhere, none of them top ten.
constexpr uint16_t kTcpTail[] = {80,   80,   8080, 3389,  3389, 25,    3128,  1080,
                                 5900, 4899, 2967, 10000, 6000, 21,    110,   443,
                                 8000, 3306, 5000, 2968,  1025, 6667,  8888,  5901,
                                 7212, 81,   143,  1723,  5800, 49153, 18067, 12345};
constexpr uint16_t kUdpTail[] = {1434, 1434, 137,  137,  53,  161,  1900,
                                 123,  69,   1026, 1027, 500, 5353, 1028};

// Volumes are per sensor-day at scale 1, tuned so that the month averages
// come out near TALOT2's July 2010: ~375 accesses, ~164 summed sources.
const std::array<Campaign, 12> kCampaigns = {{
    // name, transport, ports, sources/day, extra attempts, retransmits, gap, pool share, pool,
    // regulars, regions
    {"conficker", Transport::tcp, k445, 47, 0.25, 2, 20, 0.35, 900, 5, &global_mix()},
    {"mssql", Transport::tcp, k1433, 10, 1.0, 1, 8, 0.4, 150, 1, &china_mix()},
    {"rpc", Transport::tcp, k135, 11, 0.25, 2, 30, 0.3, 200, 0, &global_mix()},
    {"ping", Transport::icmp, kPing, 14, 0.8, 0, 1, 0.2, 200, 0, &global_mix(),
     Payload::ping_windows},
    {"netbios", Transport::tcp, k139, 7.5, 0.25, 2, 30, 0.3, 150, 0, &global_mix()},
    {"ssh", Transport::tcp, k22, 4, 2.1, 0, 6, 0.3, 60, 1, &global_mix()},
    {"telnet", Transport::tcp, k23, 6, 0.4, 1, 15, 0.2, 80, 0, &global_mix()},
    {"9415", Transport::tcp, k9415, 3.4, 0.8, 2, 40, 0.6, 40, 0, &china_mix()},
    {"sip", Transport::udp, k5060, 16, 0.4, 0, 2, 0.5, 250, 0, &foreign_mix(), Payload::sip_options,
     0, FleetEvent::sip_wave},
    {"27649", Transport::udp, k27649, 1, 0.3, 0, 5, 0.0, 1, 0, &foreign_mix(), Payload::random, 36,
     FleetEvent::surge_one_sensor},
    {"tcp-tail", Transport::tcp, kTcpTail, 24, 0.2, 1, 10, 0.2, 300, 0, &global_mix()},
    {"udp-tail", Transport::udp, kUdpTail, 8, 0.3, 0, 10, 0.2, 100, 0, &global_mix(),
     Payload::service, 40},
}};

// Sources of 27649/udp at the surge sensor on days 1..6 (0-based 0..5).
constexpr double kSurge[] = {230, 310, 250, 150, 70, 20};

}  // namespace

std::span<const Campaign> fleet_campaigns() {
  return kCampaigns;
}

bool in_sip_wave(uint32_t sensor) {
  const uint32_t r = sensor % 5;
  return r != 2 && r != 4;  // s01 s02 s04 s06 s07 s09 of ten
}

uint32_t surge_sensor(uint32_t sensors) {
  return sensors > 3 ? 3 : 0;
}

double event_factor(const Campaign& c, uint32_t sensor, uint32_t sensors, uint32_t day) {
  switch (c.event) {
    case FleetEvent::none:
      return 1.0;
    case FleetEvent::sip_wave:
      // A stray SIP probe now and then before; from 9 July, many sources a
      // day at the wave sensors and a trickle elsewhere.
      if (day < sip_wave_first_day) return 0.004;
      return in_sip_wave(sensor) ? (day == sip_wave_first_day ? 0.8 : 1.0) : 0.02;
    case FleetEvent::surge_one_sensor:
      if (sensor == surge_sensor(sensors) && day < std::size(kSurge)) return kSurge[day];
      return 0.04;
  }
  return 1.0;
}

}  // namespace teiten::synth
