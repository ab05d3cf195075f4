// teiten::store::ReportSource — what the monthly report reads from a
// database, and nothing more: the probe/backscatter/other totals per day,
// sensor and port type, the rows of one kind with their sources (for
// geolocation), coverage and counters. Views of the `rollup`, `coverage` and
// `counters` contract (docs/report.md), identical for a collector database
// (the whole fleet) and a sensor's own database.
//
// An implementation opens its database read-only and answers every call
// from one consistent snapshot taken when it was opened, so a report made
// while a daemon writes never mixes two states; it never takes the
// daemon's lock. Implementations: SQLite (sqlite_report_source.h); the
// interface carries no SQLite types so another backend can answer the same
// calls. Not thread-safe: one thread uses a source.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/base/day_clock.h"
#include "common/base/ip_address.h"
#include "common/packet/access.h"

namespace teiten::store {

/// Sensors are numbered 0..sensors().size()-1 in every answer.
using SensorIndex = uint32_t;

struct DayRange {
  base::Day first = 0;
  base::Day last = 0;  ///< inclusive
};

/// Sum over the rollup rows of one (day, sensor, port type, kind):
/// accesses, and sources = the number of rows (one per source).
struct PortDayTotal {
  base::Day day = 0;
  SensorIndex sensor = 0;
  packet::Proto proto = packet::Proto::ip;
  uint16_t port = 0;
  packet::Kind kind = packet::Kind::probe;
  uint64_t accesses = 0;
  uint64_t sources = 0;
};

/// One rollup row without its times.
struct SourceRow {
  base::Day day = 0;
  SensorIndex sensor = 0;
  packet::Proto proto = packet::Proto::ip;
  uint16_t port = 0;
  base::IpAddress src;
  uint64_t accesses = 0;
};

/// One row of the coverage view.
struct SensorDay {
  base::Day day = 0;
  SensorIndex sensor = 0;
  int64_t coverage_seconds = 0;
  uint64_t packets = 0;
  std::optional<uint64_t> kernel_drops;  ///< nullopt: not measured
  std::optional<uint64_t> if_drops;
  uint64_t malformed = 0;
  uint64_t non_ip = 0;
  uint64_t ignored = 0;
};

/// One row of the counters view ("malformed.snaplen", "ignored.outgoing", ...).
struct DayCounter {
  base::Day day = 0;
  SensorIndex sensor = 0;
  std::string name;
  uint64_t value = 0;
};

class ReportSource {
 public:
  virtual ~ReportSource() = default;

  /// "collector" or "sensor": which kind of database answers.
  virtual std::string kind() const = 0;
  /// Sensor names, sorted; SensorIndex values index this list.
  virtual const std::vector<std::string>& sensors() const = 0;
  /// First and last day holding rows or coverage; nullopt when empty.
  virtual std::optional<DayRange> days() = 0;
  /// Every (day, sensor, proto, port, kind) with rows in [first, last].
  virtual std::vector<PortDayTotal> port_day_totals(DayRange range) = 0;
  /// Calls fn for every row of `kind` in [first, last], in no promised order.
  virtual void for_each_row(DayRange range, packet::Kind kind,
                            const std::function<void(const SourceRow&)>& fn) = 0;
  virtual std::vector<SensorDay> coverage(DayRange range) = 0;
  virtual std::vector<DayCounter> counters(DayRange range) = 0;
};

}  // namespace teiten::store
