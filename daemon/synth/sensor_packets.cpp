#include "daemon/synth/sensor_packets.h"

#include <algorithm>
#include <cstring>

#include "daemon/synth/ground_truth.h"

namespace teiten::synth {

uint16_t ephemeral_port(Rng& rng) {
  for (;;) {
    const auto port = static_cast<uint16_t>(rng.between(1025, 60999));
    if (!is_reflection_port(port)) return port;
  }
}

uint8_t ttl_of(const base::IpAddress& src) {
  uint64_t lo, hi;
  std::memcpy(&lo, src.bytes.data(), 8);
  std::memcpy(&hi, src.bytes.data() + 8, 8);
  const uint64_t h = mix64(lo ^ mix64(hi));
  return static_cast<uint8_t>(((h & 1) ? 128 : 64) - 8 - static_cast<int>((h >> 1) % 16));
}

PacketSpec SensorPackets::spec(Micros at, const base::IpAddress& src, const base::IpAddress& dst,
                               Rng& rng) const {
  PacketSpec s;
  set_time(s, at);
  s.src = src;
  s.dst = dst;
  s.ttl = ttl_of(src);
  s.ip_id = static_cast<uint16_t>(rng.next());
  return s;
}

std::vector<PacketSpec> SensorPackets::finish(Rng& rng) {
  std::stable_sort(specs_.begin(), specs_.end(), [](const PacketSpec& a, const PacketSpec& b) {
    return a.sec != b.sec ? a.sec < b.sec : a.usec < b.usec;
  });
  for (auto& s : specs_) {
    switch (sensor_.link) {
      case LinkType::vlan:
        s.vlan_tags = 1, s.vlan_id = sensor_.vlan;
        break;
      case LinkType::qinq:
        s.vlan_tags = 2, s.vlan_id = sensor_.vlan;
        break;
      case LinkType::ethernet: {
        // A sensor port that is not a trunk still sees a tagged frame now and then.
        const double roll = rng.unit();
        s.vlan_tags = roll < 0.005 ? 2 : roll < 0.025 ? 1 : 0;
        s.vlan_id = static_cast<uint16_t>(100 + index_);
        break;
      }
      default:
        s.vlan_tags = 0;
        break;
    }
  }
  return std::move(specs_);
}

}  // namespace teiten::synth
