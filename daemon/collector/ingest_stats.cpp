#include "daemon/collector/ingest_stats.h"

namespace teiten::collector {
namespace {

constexpr size_t kRecentRefusals = 50;

}  // namespace

void IngestStats::refuse(RefusalReason why, Refusal r) {
  counters_.add(refused_counter(why));
  if (why == RefusalReason::protocol) counters_.add(CollectorCounter::protocol_errors);
  recent_refusals_.push_back(std::move(r));
  while (recent_refusals_.size() > kRecentRefusals) recent_refusals_.pop_front();
}

void IngestStats::storage_error(const std::string& error) {
  counters_.add(CollectorCounter::storage_errors);
  last_storage_error_ = error;
}

void IngestStats::batch_applied(const std::string& sensor, uint64_t rows, bool gap, int64_t now) {
  counters_.add(CollectorCounter::batches_applied);
  counters_.add(CollectorCounter::rows_applied, rows);
  if (gap) counters_.add(CollectorCounter::sequence_gaps);
  auto& live = sensors_[sensor];
  ++live.batches;
  live.rows += rows;
  live.last_batch = now;
}

void IngestStats::batch_duplicate(const std::string& sensor) {
  counters_.add(CollectorCounter::batches_duplicate);
  ++sensors_[sensor].duplicates;
}

CollectorCounters IngestStats::snapshot(int64_t uptime_seconds) const {
  auto out = counters_;
  out.set(CollectorCounter::uptime_seconds, uptime_seconds);
  return out;
}

uint64_t IngestStats::number(CollectorCounter id) const {
  const auto* n = std::get_if<uint64_t>(&counters_[id].variant());
  return n ? *n : 0;
}

}  // namespace teiten::collector
