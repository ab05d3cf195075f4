// teiten::tally::DayStats — per-day counters that travel with the rows:
// packets seen, malformed by reason, ignored by reason, non-IP frames by
// type, capture coverage and kernel drops. Every field merges by sum or
// min/max, so deltas can be applied in any grouping without loss.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/day_clock.h"
#include "common/packet/access.h"

namespace teiten::tally {

/// Why a decodable IP packet was not counted. Names are stable.
enum class Ignored : uint8_t {
  outgoing,        ///< a cooked capture marks it as sent by this host
  not_observed,    ///< destination is not an observed address
  own_source,      ///< source is an observed address (the sensor's own reply)
  ignored_source,  ///< source in capture.ignore_sources
  collector,       ///< to or from the collector (the sensor's own shipping)
  count_
};
constexpr int kIgnoredReasons = static_cast<int>(Ignored::count_);
std::string_view name(Ignored reason);

struct DayStats {
  uint64_t packets = 0;                ///< every frame libpcap delivered for this day
  std::array<uint64_t, 4> accesses{};  ///< counted packets by Kind (index 1..3)
  std::array<uint64_t, packet::kMalformedReasons> malformed{};
  std::array<uint64_t, kIgnoredReasons> ignored{};
  std::map<uint32_t, uint64_t> non_ip;                         ///< by ethertype / address family
  int64_t first_packet = std::numeric_limits<int64_t>::max();  ///< Unix seconds
  int64_t last_packet = std::numeric_limits<int64_t>::min();
  int64_t capture_seconds = 0;           ///< live: wall seconds capturing this day
  std::optional<uint64_t> kernel_drops;  ///< nullopt: not measured / unsupported
  std::optional<uint64_t> if_drops;

  void merge(const DayStats& o);
  uint64_t malformed_total() const;
  uint64_t ignored_total() const;
  uint64_t non_ip_total() const;
  bool has_packets() const { return first_packet <= last_packet; }
};

/// A named per-day counter as databases store it ("malformed.snaplen",
/// "ignored.not_observed", "non_ip.0x0806"); zero counters are omitted.
struct NamedCounter {
  std::string name;
  uint64_t value;
};
std::vector<NamedCounter> named_counters(const DayStats& s);
/// Adds a named counter back into DayStats; false for an unknown name.
bool add_named_counter(DayStats& s, std::string_view name, uint64_t value);
std::string non_ip_counter_name(uint32_t link_protocol);

}  // namespace teiten::tally
