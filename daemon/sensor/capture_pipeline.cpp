#include "daemon/sensor/capture_pipeline.h"

namespace teiten::sensor {

CapturePipeline::CapturePipeline(tally::PacketCounter& counter, CaptureControl& control,
                                 StoreWorker& store, size_t max_rows_in_memory)
    : counter_(counter), control_(control), store_(store), max_rows_(max_rows_in_memory) {}

void CapturePipeline::between_batches() {
  if (auto rules = control_.take_rules()) counter_.set_rules(std::move(rules));
  bool full = counter_.delta().rows.rows() >= max_rows_;
  if (control_.take_flush_request() || full) flush();
}

void CapturePipeline::flush() {
  if (accountant_) accountant_(counter_);
  auto delta = counter_.take();
  if (!delta.empty()) store_.submit(std::move(delta));
}

}  // namespace teiten::sensor
