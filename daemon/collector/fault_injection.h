// Fault injection for the exactly-once tests: with
// TEITEN_FAULT_EXIT_AFTER_COMMIT=N in the environment, the collector ends
// itself abruptly (as kill -9 would) right after committing its Nth batch,
// before the ACK is sent. Unset, this costs one branch per batch.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/process/logging.h"

namespace teiten::collector {

inline void fault_after_commit() {
  static const uint64_t limit = [] {
    const char* v = std::getenv("TEITEN_FAULT_EXIT_AFTER_COMMIT");
    return v ? std::strtoull(v, nullptr, 10) : 0;
  }();
  static std::atomic<uint64_t> commits{0};
  if (limit == 0 || ++commits < limit) return;
  auto log = process::logger("collector");
  log->critical("fault_injection exit_after_commit={} action=exit_before_ack", limit);
  log->flush();
  std::_Exit(137);
}

}  // namespace teiten::collector
