// teiten::wire batch codec — the batch BODY: the rows and per-day stats of
// one batch, the exact bytes a sensor freezes in its outbox and resends
// unchanged until the collector acknowledges them.
//
// Owns the body layout of protocol version 1 and its checks: counts are
// weighed against the bytes remaining before anything is reserved, every
// field is range-checked, duplicate rows or days and unknown counter names
// are errors, nothing may follow the last day. Never throws on bad input,
// never logs, knows nothing of SQLite or sockets (the outbox type lives in
// common/store; FrozenBody maps onto it field by field). Called by the
// sensor's store thread (freeze_bodies, at commit) and the collector's
// store writer (decode_batch_body, after the BATCH's identity is checked).
//
// DayStats::accesses is not carried: it is derived from the rows, which
// travel themselves. Decoded stats leave it zero.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/tally/sorted_rows.h"
#include "common/tally/tally_delta.h"
#include "common/wire/decoded.h"

namespace teiten::wire {

/// Bits of a day record's flags byte; the others must be 0.
constexpr uint8_t kDayHasPackets = 1;      ///< first_packet and last_packet follow
constexpr uint8_t kDayHasKernelDrops = 2;  ///< kernel_drops follows
constexpr uint8_t kDayHasIfDrops = 4;      ///< if_drops follows
constexpr uint8_t kDayFlagsMask = kDayHasPackets | kDayHasKernelDrops | kDayHasIfDrops;

/// A decoded body. Rows keep the body's order (freeze_bodies writes them in
/// primary-key order).
struct BatchContent {
  std::vector<tally::Row> rows;
  std::map<base::Day, tally::DayStats> days;
};

/// One body as the sensor's outbox keeps it (store::OutboxBatch's payload,
/// rows and min_day).
struct FrozenBody {
  std::string bytes;
  uint64_t rows = 0;
  base::Day min_day = 0;  ///< smallest day among the body's rows and days
};

/// Splits a delta into bodies of at most max_rows_per_batch rows each, rows
/// in primary-key order (day, proto, port, kind, src). Every day's stats go
/// into the LAST body, after the final rows: the collector applies batches
/// in seq order, so a day's stats never arrive before that delta's rows.
/// No body for an empty delta; one (with zero rows) for stats alone.
/// Throws std::invalid_argument for max_rows_per_batch 0 or a row or stat
/// the collector would refuse (only a bug makes one).
std::vector<FrozenBody> freeze_bodies(const tally::TallyDelta& delta, size_t max_rows_per_batch);
/// The same from rows already sorted (the sensor sorts a flush once, for
/// its database and its batches).
std::vector<FrozenBody> freeze_bodies(const tally::SortedRows& rows,
                                      const std::map<base::Day, tally::DayStats>& days,
                                      size_t max_rows_per_batch);

/// A body holding `rows` in the given order and `days`; for tests and tools.
/// Throws std::invalid_argument for anything decode_batch_body would refuse
/// except duplicates.
std::string encode_batch_body(std::span<const tally::Row> rows,
                              const std::map<base::Day, tally::DayStats>& days);

/// Parses and checks a body; the error names the record and field.
Decoded<BatchContent> decode_batch_body(std::string_view body);

/// Field-by-field equality of the stats the body carries (everything but
/// `accesses`, which the rows carry): the round-trip contract.
bool same_carried_stats(const tally::DayStats& a, const tally::DayStats& b);

}  // namespace teiten::wire
