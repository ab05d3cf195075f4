#include "wire/allocation_counter.h"

#include <cstdlib>
#include <new>

namespace teiten::test {
namespace {

// thread_local so Catch's own bookkeeping on other threads (there is none
// today) could never disturb a count.
thread_local AllocationTotals g_totals;

void* counted(size_t n) {
  g_totals.calls += 1;
  g_totals.bytes += n;
  if (n > g_totals.largest) g_totals.largest = n;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}

}  // namespace

AllocationTotals allocations() {
  return g_totals;
}
void reset_allocations() {
  g_totals = AllocationTotals{};
}

}  // namespace teiten::test

void* operator new(size_t n) {
  return teiten::test::counted(n);
}
void* operator new[](size_t n) {
  return teiten::test::counted(n);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, size_t) noexcept {
  std::free(p);
}
// Catch allocates with the nothrow forms; replaced too, so every new pairs
// with the delete above (ASan checks that pairing).
void* operator new(size_t n, const std::nothrow_t&) noexcept {
  try {
    return teiten::test::counted(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](size_t n, const std::nothrow_t& t) noexcept {
  return operator new(n, t);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
