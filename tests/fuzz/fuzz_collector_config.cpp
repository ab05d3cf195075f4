// Fuzz target: teiten-collector's configuration loader (common/config).
//
// Input: the bytes of a config file (handed over as an in-memory file).
// Properties: those of config_properties.h.
#include "common/config/collector_config.h"
#include "fuzz/config_properties.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace teiten;
  fuzz::check_config_load(fuzz::bytes_of(data, size),
                          [](const std::string& path) { config::load_collector_config(path); });
  return 0;
}
