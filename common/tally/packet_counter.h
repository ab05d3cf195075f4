// teiten::tally::PacketCounter — the counting rules of docs/counting.md
// applied to one frame at a time: decode, drop what does not count (with
// the reason), bucket by day in the sensor's zone, add to the tally.
//
// Lives on the capture thread and is not thread-safe. Rules can be swapped
// between packets (interface addresses change); the swap is the caller's
// to synchronise. count() never allocates except when a table grows.
//
// count() is classify() then add(). The sensor runs them on two threads
// (daemon/sensor/counting_thread.h): classify() touches the day stats and
// the decoder, add() only the rows, so the halves share no state while
// records pass between them; the caller takes or reads the rows only once
// every classified record has been added (CountingThread::quiesce).
#pragma once

#include <cstdint>
#include <limits>
#include <memory>

#include "common/base/day_clock.h"
#include "common/base/prefix.h"
#include "common/packet/decoder.h"
#include "common/tally/tally_delta.h"

namespace teiten::tally {

struct CountingRules {
  /// Observed destinations. Empty with observe_all false counts nothing
  /// (a live sensor whose interface has no address yet).
  base::PrefixSet observed;
  /// --read without capture.observed: every destination counts, and no
  /// source is treated as the sensor's own.
  bool observe_all = false;
  base::PrefixSet ignore_sources;
  base::PrefixSet collector;  ///< the collector's addresses
};

/// A frame that counts, as the row table takes it: what classify() found.
struct CountedAccess {
  uint16_t day;
  uint8_t proto_kind;
  bool v6;
  uint16_t port;
  uint32_t ts;          ///< Unix seconds
  uint32_t src4;        ///< when !v6
  const uint8_t* src6;  ///< when v6: 16 bytes, valid until the next classify()
};

class PacketCounter {
 public:
  PacketCounter(int link_type, const std::string& zone, std::shared_ptr<const CountingRules> rules);

  void set_rules(std::shared_ptr<const CountingRules> rules) { rules_ = std::move(rules); }
  const CountingRules& rules() const { return *rules_; }
  void set_link_type(int link_type) { decoder_ = packet::Decoder(link_type); }
  int link_type() const { return decoder_.link_type(); }

  /// One frame: ts is the capture time in Unix seconds.
  void count(int64_t ts, const uint8_t* data, uint32_t caplen, uint32_t wirelen) {
    CountedAccess a;
    if (classify(ts, data, caplen, wirelen, a)) add(a);
  }
  /// The first half of count(): decodes the frame, applies the rules and
  /// counts it in its day's stats; true when it makes or bumps a row,
  /// which `out` then describes.
  bool classify(int64_t ts, const uint8_t* data, uint32_t caplen, uint32_t wirelen,
                CountedAccess& out);
  /// The second half: the row of an access classify() found.
  void add(const CountedAccess& a) {
    if (reserve4_ + reserve6_ > 0) [[unlikely]] {
      delta_.rows.reserve(reserve4_, reserve6_);
      reserve4_ = reserve6_ = 0;
    }
    if (a.v6)
      delta_.rows.add_v6(a.day, a.proto_kind, a.port, a.src6, a.ts);
    else
      delta_.rows.add_v4(a.day, a.proto_kind, a.port, a.src4, a.ts);
  }

  const TallyDelta& delta() const { return delta_; }
  /// Frames seen since construction (not reset by take()).
  uint64_t total_packets() const { return total_packets_; }
  /// The latest day any frame fell on (meaningless before the first frame).
  base::Day newest_day() const { return newest_day_; }
  /// Stats of a day in the current delta (creating it), for coverage and drops.
  DayStats& day_stats(base::Day day);
  /// Moves out everything counted so far and starts an empty delta.
  TallyDelta take();
  /// Moves out what was counted on days before `day`; keeps the rest.
  TallyDelta take_before(base::Day day);
  base::DayClock& clock() { return clock_; }

 private:
  DayStats& stats_for(base::Day day) {
    if (day != cached_day_ || cached_stats_ == nullptr) {
      cached_stats_ = &delta_.days[day];
      cached_day_ = day;
    }
    return *cached_stats_;
  }
  bool ignored(const packet::Decoded& d, DayStats& stats) const;

  packet::Decoder decoder_;
  base::DayClock clock_;
  std::shared_ptr<const CountingRules> rules_;
  TallyDelta delta_;
  packet::Decoded decoded_;
  uint64_t total_packets_ = 0;
  base::Day newest_day_ = std::numeric_limits<base::Day>::min();
  size_t reserve4_ = 0, reserve6_ = 0;  // table sizes to reserve at the next add()
  base::Day cached_day_ = 0;
  DayStats* cached_stats_ = nullptr;
};

}  // namespace teiten::tally
