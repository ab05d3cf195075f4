#include "common/process/fault_injection.h"

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <string>

using namespace teiten::process;

#ifdef TEITEN_FAULT_INJECTION

TEST_CASE("a fault fires once, on the pass its variable names", "[process]") {
  // Read once, on the first pass through any point of this process.
  REQUIRE(std::string(fault_variable(Fault::exit_after_commit)) ==
          "TEITEN_FAULT_EXIT_AFTER_COMMIT");
  ::setenv("TEITEN_FAULT_EXIT_AFTER_COMMIT", "3", 1);
  std::string passes;
  for (int i = 0; i < 6; ++i) passes += TEITEN_FAULT_FIRES(exit_after_commit) ? 'F' : '.';
  CHECK(passes == "..F...");
  ::unsetenv("TEITEN_FAULT_EXIT_AFTER_COMMIT");
}

#else

TEST_CASE("without the build option a fault point is the constant false", "[process]") {
  static_assert(!TEITEN_FAULT_FIRES(exit_after_commit));
  ::setenv("TEITEN_FAULT_EXIT_AFTER_COMMIT", "1", 1);
  CHECK_FALSE(TEITEN_FAULT_FIRES(exit_after_commit));
  ::unsetenv("TEITEN_FAULT_EXIT_AFTER_COMMIT");
}

#endif
