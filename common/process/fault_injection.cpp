// Compiled only with -DTEITEN_FAULT_INJECTION=ON (common/process/CMakeLists.txt).
#include "common/process/fault_injection.h"

#ifndef TEITEN_FAULT_INJECTION
#error "fault_injection.cpp belongs only in a -DTEITEN_FAULT_INJECTION=ON build"
#endif

#include <array>
#include <atomic>
#include <cstdlib>
#include <mutex>

#include "common/process/logging.h"

namespace teiten::process {
namespace {

struct FaultInfo {
  Fault fault;
  const char* name;      ///< for the log
  const char* variable;  ///< arms it: the pass number on which it fires
};

constexpr FaultInfo kFaults[] = {
    {Fault::exit_after_commit, "exit_after_commit", "TEITEN_FAULT_EXIT_AFTER_COMMIT"},
    {Fault::capture_stall, "capture_stall", "TEITEN_FAULT_CAPTURE_STALL"},
};
static_assert(std::size(kFaults) == kFaultCount, "one row per Fault");

constexpr bool rows_in_enum_order() {
  for (size_t i = 0; i < std::size(kFaults); ++i)
    if (static_cast<size_t>(kFaults[i].fault) != i) return false;
  return true;
}
static_assert(rows_in_enum_order(), "kFaults rows follow the Fault enum");

const FaultInfo& info(Fault fault) {
  return kFaults[static_cast<size_t>(fault)];
}

struct Armed {
  uint64_t after = 0;  ///< 0: not armed
  std::atomic<uint64_t> passes{0};
};

// Each variable is read once, on the first pass through any point.
std::array<Armed, kFaultCount>& armed() {
  static std::array<Armed, kFaultCount> all;
  static std::once_flag read;
  std::call_once(read, [] {
    for (const auto& row : kFaults) {
      const char* v = std::getenv(row.variable);
      all[static_cast<size_t>(row.fault)].after = v ? std::strtoull(v, nullptr, 10) : 0;
    }
  });
  return all;
}

}  // namespace

const char* fault_variable(Fault fault) {
  return info(fault).variable;
}

bool fault_fires(Fault fault) {
  Armed& a = armed()[static_cast<size_t>(fault)];
  if (a.after == 0 || a.passes.fetch_add(1) + 1 != a.after) return false;
  auto log = logger("fault");
  log->critical("fault_injection fault={} after={}", info(fault).name, a.after);
  log->flush();
  return true;
}

}  // namespace teiten::process
