// Fuzz target: teiten-sensor's configuration loader (common/config), the
// YAML an operator writes, read in both modes.
//
// Input: the bytes of a config file (handed over as an in-memory file).
// Properties: those of config_properties.h in each mode; and live mode is
// the stricter one (it needs capture.interface): a file that loads for
// live capture also loads for --read.
#include "common/config/sensor_config.h"
#include "fuzz/config_properties.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace teiten;
  auto text = fuzz::bytes_of(data, size);
  bool live = fuzz::check_config_load(text, [](const std::string& path) {
    config::load_sensor_config(path, config::SensorMode::live);
  });
  bool read = fuzz::check_config_load(text, [](const std::string& path) {
    config::load_sensor_config(path, config::SensorMode::read);
  });
  if (live && !read) fuzz::broken("a config that loads for live capture fails for --read");
  return 0;
}
