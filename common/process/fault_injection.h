// teiten::process fault injection — test-only hooks that make a daemon fail
// at one exact point, for the tests that prove what survives the failure
// (a collector killed between commit and ACK applies the batch once).
//
// The hooks exist only in a build configured with -DTEITEN_FAULT_INJECTION=ON
// (scripts/test turns it on; CMake refuses it in a Release build). Without
// it TEITEN_FAULT_FIRES(name) is the constant false: the branch, the
// environment variable's name and fault_injection.cpp are not in the
// binary, so nothing in the environment can make a production daemon fail.
// tests/process/fault_hooks_in_binaries.py checks both builds' binaries.
//
// Adding a hook: a value in Fault, its row in kFaults (fault_injection.cpp:
// the environment variable that arms it), and at the point
//   if (TEITEN_FAULT_FIRES(my_fault)) { ...fail as the test needs... }
#pragma once

#include <cstddef>
#include <cstdint>

namespace teiten::process {

enum class Fault : uint8_t {
  /// Collector: ends abruptly (as kill -9 would) right after committing
  /// its Nth batch, before the ACK is sent. TEITEN_FAULT_EXIT_AFTER_COMMIT=N.
  exit_after_commit,
  /// Sensor: the capture loop stops coming back on its Nth pass between
  /// dispatches, as a hung libpcap call would (it still honours a stop
  /// request). TEITEN_FAULT_CAPTURE_STALL=N.
  capture_stall,
};
inline constexpr size_t kFaultCount = 2;

#ifdef TEITEN_FAULT_INJECTION
/// True exactly once: on the Nth pass through the fault's point, N the
/// decimal value of its environment variable, read once (unset or 0: never).
/// Logs `fault_injection fault=NAME after=N` and flushes before it returns
/// true, so the log says why the daemon died. Thread-safe.
bool fault_fires(Fault fault);
/// The environment variable that arms `fault`.
const char* fault_variable(Fault fault);
#define TEITEN_FAULT_FIRES(name) (::teiten::process::fault_fires(::teiten::process::Fault::name))
#else
#define TEITEN_FAULT_FIRES(name) false
#endif

}  // namespace teiten::process
