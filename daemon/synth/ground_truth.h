// teiten::synth::GroundTruth — the exact rollup a sensor must produce for
// one capture the generator wrote: the oracle the sensor is tested against.
//
// It applies docs/counting.md to each PacketSpec as the scenario decided it
// (kind, port type, source, day), never to decoded bytes, and shares no code
// with common/packet or common/tally: a bug there must not hide here. The
// day comes from LocalCalendar, not the sensor's DayClock, for the same
// reason. Rows live in an open-addressing table of packed 64-bit keys (one
// cache line per packet) and are sorted once at finish(), which keeps a
// 5M-packet bench at a second or two. Not thread-safe; one per capture file.
#pragma once

#include <cstdint>
#include <functional>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/ip_address.h"
#include "daemon/synth/address_index.h"
#include "daemon/synth/local_calendar.h"
#include "daemon/synth/packet_spec.h"

namespace teiten::synth {

enum class Proto : uint8_t { tcp, udp, icmp, icmpv6, ip };
enum class Kind : uint8_t { probe, backscatter, other };
std::string_view proto_name(Proto p);
std::string_view kind_name(Kind k);

/// The port type and kind of a counted IP packet (docs/counting.md).
struct Classification {
  Proto proto = Proto::ip;
  uint16_t port = 0;
  Kind kind = Kind::other;
  bool operator==(const Classification&) const = default;
};
/// Classifies an IP spec (not arp) by the rules of docs/counting.md.
Classification classify(const PacketSpec& spec);
/// UDP from one of these to a port >= 1024 is reflection backscatter.
bool is_reflection_port(uint16_t port);

/// An address prefix, matched bit by bit (own code, not base::PrefixSet).
struct Net {
  base::IpAddress address;
  uint8_t length = 32;
  bool contains(const base::IpAddress& a) const;
  std::string to_string() const;
};

/// What the sensor's configuration says about which packets count.
struct SensorView {
  std::vector<Net> observed;        ///< empty: every destination (and no own address)
  std::vector<Net> ignore_sources;  ///< management networks
};

/// Why a written frame does or does not reach the rollup.
enum class Verdict : uint8_t {
  counted,
  non_ip,
  other_destination,
  ignored_source,
  own_address,
  outgoing,   ///< a cooked capture marks it as sent by the sensor
  malformed,  ///< a header the sensor needs is cut short or invalid (PacketSpec::defect)
};
inline constexpr size_t kVerdicts = 7;

/// Everything a sensor records about one of its days besides the rows
/// (its coverage and counters): every frame by verdict, the first and last
/// packet time, malformed frames by reason.
struct DayCounts {
  uint64_t packets = 0;
  int64_t first = 0, last = 0;  ///< Unix seconds of the day's first and last frame
  uint64_t verdicts[kVerdicts] = {};
  uint64_t defects[std::size(defect_names)] = {};
};

/// Frames the sensor counts as ignored (its `ignored.*` counters): not to
/// an observed address, from an ignored or its own address, outgoing.
uint64_t ignored_of(const DayCounts& c);

class GroundTruth {
 public:
  /// Throws std::runtime_error for an unknown zone.
  GroundTruth(SensorView view, const std::string& zone);

  /// Accounts one written frame; specs may come in any time order.
  Verdict add(const PacketSpec& spec);
  /// Orders the rows; call once, after the last add().
  void finish();

  /// Header plus one row per (day, proto, port, src, kind), ordered by day,
  /// proto (tcp, udp, icmp, icmpv6, ip), port, source (IPv4 first, by
  /// value), kind. Throws std::runtime_error on I/O errors.
  void write_csv(const std::string& path) const;
  /// Totals, counts by verdict and kind, and per day and kind the accesses,
  /// summed sources (= rows) and distinct sources.
  nlohmann::ordered_json summary() const;

  /// Calls visit(day, classification, source, accesses) for each row, in
  /// row order; only after finish().
  void for_each_row(const std::function<void(int32_t, Classification, const base::IpAddress&,
                                             uint64_t)>& visit) const;
  /// Per local day, every frame of that day (counted or not).
  const std::map<int32_t, DayCounts>& days() const { return days_; }
  uint64_t packets() const { return packets_; }
  uint64_t counted() const { return verdicts_[0]; }
  uint64_t distinct_rows() const { return finished_ ? rows_.size() : table_rows_; }

 private:
  struct Row {
    uint64_t key = 0;       ///< day:16 proto:3 port:16 source:27 kind:2
    uint64_t accesses = 0;  ///< 0 marks an empty slot of the table
    int64_t first = 0, last = 0;
  };
  bool observed(const base::IpAddress& a) const;
  /// What the sensor's address rules make of an IP packet, in the sensor's
  /// order: its own packets, then other destinations, then ignored sources.
  Verdict filter(const PacketSpec& s) const;
  Row& row(uint64_t key);

  SensorView view_;
  LocalCalendar calendar_;
  AddressIndex source_ids_;               ///< until finish()
  std::vector<base::IpAddress> sources_;  ///< by rank, after finish()
  std::vector<Row> table_;                ///< open addressing by key, until finish()
  size_t table_rows_ = 0;
  std::vector<Row> rows_;  ///< ordered, after finish()
  uint64_t packets_ = 0;
  uint64_t verdicts_[kVerdicts] = {};
  uint64_t defects_[std::size(defect_names)] = {};
  std::map<int32_t, DayCounts> days_;
  DayCounts* today_ = nullptr;  ///< the entry of the last frame's day
  int32_t today_day_ = -1;
  bool finished_ = false;
};

}  // namespace teiten::synth
