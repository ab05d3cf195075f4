// teiten::process counter tables — every counter a daemon reports is one
// row (name, type, help) of its table; `stats`, `status` and the docs
// (docs/counters.md, from --counters-markdown) all read the same rows, so
// a counter cannot exist in one and be missing from another.
#pragma once

#include <string>
#include <vector>

namespace teiten::process {

struct CounterInfo {
  std::string name;
  std::string type;  ///< "counter" (only grows while the daemon runs) or "gauge"
  std::string help;
};

/// A Markdown table of the counters, for docs/counters.md.
inline std::string counters_markdown(const std::string& title, const std::vector<CounterInfo>& t) {
  std::string out = "### " + title + "\n\n| name | type | meaning |\n|---|---|---|\n";
  for (const auto& c : t) out += "| `" + c.name + "` | " + c.type + " | " + c.help + " |\n";
  return out;
}

}  // namespace teiten::process
