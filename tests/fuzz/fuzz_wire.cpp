// libFuzzer target for the wire protocol: frames, every message and batch
// bodies, with the properties in wire_properties.h. Built only with
// -DTEITEN_FUZZ=ON and clang; a crash it finds goes into
// tests/fuzz/regressions/wire/, which wire_regressions replays in every build.
#include <cstdio>
#include <cstdlib>

#include "fuzz/wire_properties.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string problem =
      teiten::fuzz::check_wire_input(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!problem.empty()) {
    std::fprintf(stderr, "wire property broken: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
