// The single-producer/single-consumer ring the sensor's capture thread
// hands record batches through: full and empty, indices that wrap around
// the slots and around 2^32, and two real threads passing a long sequence
// (run under TSan with the `threads` label).
#include "common/base/spsc_ring.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <stdexcept>
#include <thread>
#include <vector>

using teiten::base::SpscRing;

TEST_CASE("capacity must be a power of two", "[ring]") {
  CHECK_THROWS_AS(SpscRing<int>(0), std::invalid_argument);
  CHECK_THROWS_AS(SpscRing<int>(3), std::invalid_argument);
  CHECK_THROWS_AS(SpscRing<int>(12), std::invalid_argument);
  CHECK(SpscRing<int>(1).capacity() == 1);
  CHECK(SpscRing<int>(8).capacity() == 8);
}

TEST_CASE("an empty ring has nothing to read; a full one no slot to write", "[ring]") {
  SpscRing<int> ring(4);
  CHECK(ring.read_slot() == nullptr);
  CHECK(ring.size() == 0);
  for (int i = 0; i < 4; ++i) {
    int* slot = ring.write_slot();
    REQUIRE(slot != nullptr);
    *slot = i;
    // Written but not published: the consumer sees nothing yet.
    if (i == 0) CHECK(ring.read_slot() == nullptr);
    ring.publish();
  }
  CHECK(ring.size() == 4);
  CHECK(ring.write_slot() == nullptr);
  int* first = ring.read_slot();
  REQUIRE(first != nullptr);
  CHECK(*first == 0);
  // Read but not released: still full.
  CHECK(ring.write_slot() == nullptr);
  ring.release();
  CHECK(ring.write_slot() != nullptr);
  for (int i = 1; i < 4; ++i) {
    REQUIRE(ring.read_slot() != nullptr);
    CHECK(*ring.read_slot() == i);
    ring.release();
  }
  CHECK(ring.read_slot() == nullptr);
  CHECK(ring.size() == 0);
  ring.wait_empty();  // returns at once: nothing published is unreleased
}

TEST_CASE("slots are reused in order as the indices wrap around", "[ring]") {
  SpscRing<uint64_t> ring(4);
  uint64_t next_read = 0;
  // 1000 rounds of 3 through 4 slots: every slot index and offset occurs.
  for (uint64_t v = 0; v < 3000; v += 3) {
    for (uint64_t i = 0; i < 3; ++i) {
      uint64_t* slot = ring.write_slot();
      REQUIRE(slot != nullptr);
      *slot = v + i;
      ring.publish();
    }
    for (int i = 0; i < 3; ++i) {
      uint64_t* slot = ring.read_slot();
      REQUIRE(slot != nullptr);
      CHECK(*slot == next_read++);
      ring.release();
    }
  }
  CHECK(ring.read_slot() == nullptr);
}

TEST_CASE("the 32-bit indices wrap past 2^32 with full and empty intact", "[ring]") {
  // Indices start 5 below 2^32: head - tail stays right across the wrap.
  SpscRing<uint32_t> ring(2, UINT32_MAX - 4);
  for (uint32_t step = 0; step < 10; ++step) {
    CHECK(ring.read_slot() == nullptr);
    REQUIRE(ring.write_slot() != nullptr);
    *ring.write_slot() = 2 * step;
    ring.publish();
    REQUIRE(ring.write_slot() != nullptr);
    *ring.write_slot() = 2 * step + 1;
    ring.publish();
    CHECK(ring.write_slot() == nullptr);
    CHECK(ring.size() == 2);
    CHECK(*ring.read_slot() == 2 * step);
    ring.release();
    CHECK(*ring.read_slot() == 2 * step + 1);
    ring.release();
    CHECK(ring.size() == 0);
  }
  CHECK(ring.read_slot() == nullptr);
}

TEST_CASE("two threads pass every value once and in order, blocking when full or empty",
          "[ring][threads]") {
  constexpr uint64_t kValues = 200'000;
  struct Slot {
    uint64_t value;
    uint64_t check;  // written with value: a torn hand-over would not match
  };
  SpscRing<Slot> ring(8);
  std::thread producer([&] {
    for (uint64_t v = 0; v < kValues; ++v) {
      ring.wait_writable();
      Slot* s = ring.write_slot();
      s->value = v;
      s->check = ~v;
      ring.publish();
    }
    ring.wait_empty();  // the consumer has released the last value
  });
  uint64_t expected = 0;
  bool in_order = true;
  while (expected < kValues) {
    ring.wait_readable();
    Slot* s = ring.read_slot();
    in_order = in_order && s->value == expected && s->check == ~expected;
    ++expected;
    ring.release();
  }
  producer.join();
  CHECK(in_order);
  CHECK(ring.read_slot() == nullptr);
}
