// teiten::config::KeyInfo — one documented key of a config file, produced
// from the same per-section tables the loaders read, so the example configs,
// the README and the tests can be checked against the real defaults,
// ranges and reload rules instead of a second copy of them.
#pragma once

#include <string>
#include <string_view>

namespace teiten::config {

/// What a changed key needs to take effect: every key's row says which.
enum class Reload {
  unset,    ///< no rule: a file no daemon reloads, or a row that forgot (tests refuse it)
  hot,      ///< `config-reload` (SIGHUP) applies it to the running daemon
  restart,  ///< the running daemon keeps the old value until it restarts
};
/// "hot", "restart" ("unset" for a row without a rule).
std::string_view name(Reload reload);

/// One key whose value a reload found changed.
struct KeyChange {
  std::string path;  ///< "storage.flush_interval"
  Reload reload = Reload::unset;
  bool operator==(const KeyChange&) const = default;
};

struct KeyInfo {
  std::string path;          ///< "capture.snaplen"; a top-level list is just its name ("sensors")
  std::string default_text;  ///< as it would be written in YAML ("256", "60s"); empty: no default
  std::string range;         ///< "68..65535", "1d or more"; empty when the key has no range
  bool required = false;     ///< required whenever its section is present
  Reload reload = Reload::unset;
};

}  // namespace teiten::config
