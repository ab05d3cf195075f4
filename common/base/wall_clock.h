// teiten::base wall clock — the current time in Unix seconds, for
// timestamps operators read (last flush, last batch, coverage). Packet
// times never come from here: they come from the capture.
#pragma once

#include <chrono>
#include <cstdint>

namespace teiten::base {

inline int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace teiten::base
