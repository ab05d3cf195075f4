// Test helper: counts heap allocations made through the global operator new
// (replaced in allocation_counter.cpp for the whole test binary), so a test
// can show that a hostile length or count is refused without allocating
// what it claims.
#pragma once

#include <cstddef>

namespace teiten::test {

struct AllocationTotals {
  size_t calls = 0;
  size_t bytes = 0;
  size_t largest = 0;
};

/// Totals since the last reset (this thread's allocations only).
AllocationTotals allocations();
void reset_allocations();

/// Starts counting at construction; since() reports what happened after.
class AllocationScope {
 public:
  AllocationScope() { reset_allocations(); }
  AllocationTotals since() const { return allocations(); }
};

}  // namespace teiten::test
