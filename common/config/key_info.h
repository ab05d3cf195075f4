// teiten::config::KeyInfo — one documented key of a config file, produced
// from the same per-section tables the loaders read, so the example configs,
// the README and the tests can be checked against the real defaults and
// ranges instead of a second copy of them.
#pragma once

#include <string>

namespace teiten::config {

struct KeyInfo {
  std::string path;          ///< "capture.snaplen"; a top-level list is just its name ("sensors")
  std::string default_text;  ///< as it would be written in YAML ("256", "60s"); empty: no default
  std::string range;         ///< "68..65535", "1d or more"; empty when the key has no range
  bool required = false;     ///< required whenever its section is present
};

}  // namespace teiten::config
