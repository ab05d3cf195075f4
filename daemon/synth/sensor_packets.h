// teiten::synth::SensorPackets — one sensor's packets of one month as the
// generator makes them: the helpers every kind of traffic shares (a spec
// with the source's TTL and a fresh IP id, client ports, the sensor's
// addresses) and the finishing steps (VLAN tags as the link has them, time
// order). Owns the specs; not thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "daemon/synth/packet_spec.h"
#include "daemon/synth/profile.h"
#include "daemon/synth/rng.h"

namespace teiten::synth {

using Micros = int64_t;  ///< microseconds since the epoch
inline constexpr Micros kSecond = 1'000'000;

class SensorPackets {
 public:
  SensorPackets(const ProfileSensor& sensor, size_t index) : sensor_(sensor), index_(index) {}

  /// A packet at `at` from src to dst with the source's stable TTL.
  PacketSpec spec(Micros at, const base::IpAddress& src, const base::IpAddress& dst, Rng& rng) const;
  /// Packets outside the current day are dropped: a day belongs to one
  /// capture, and a sensor absent the next day must see nothing of it.
  void set_day(Micros from, Micros to) { from_ = from, to_ = to; }
  void push(const PacketSpec& s) {
    const Micros at = s.sec * kSecond + s.usec;
    if (at >= from_ && at < to_) specs_.push_back(s);
  }
  /// The sensor's observed address of a family (which it has).
  const base::IpAddress& address(base::Family f) const {
    return f == base::Family::v4 ? *sensor_.address : *sensor_.address6;
  }
  /// IPv4 when the sensor has it, else IPv6.
  base::Family main_family() const {
    return sensor_.address ? base::Family::v4 : base::Family::v6;
  }
  const ProfileSensor& sensor() const { return sensor_; }
  size_t index() const { return index_; }

  /// Tags the frames as the link carries them and sorts by time (ties keep
  /// the order of making); hands the specs over.
  std::vector<PacketSpec> finish(Rng& rng);

 private:
  const ProfileSensor& sensor_;
  size_t index_;
  std::vector<PacketSpec> specs_;
  Micros from_ = 0, to_ = 0;
};

/// A client port; never a reflection service port, so UDP from it is a probe.
uint16_t ephemeral_port(Rng& rng);
/// A stable TTL per source: Windows (128) or Linux (64) minus 8..23 hops.
uint8_t ttl_of(const base::IpAddress& src);
inline void set_time(PacketSpec& s, Micros at) {
  s.sec = at / kSecond;
  s.usec = static_cast<uint32_t>(at % kSecond);
}

}  // namespace teiten::synth
