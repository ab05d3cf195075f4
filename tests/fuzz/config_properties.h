// The properties both configuration fuzz targets check (fuzz_sensor_config,
// fuzz_collector_config): what `-t` and start-up promise about any file an
// operator may write (README.md, "Exit codes"; common/config/config_error.h).
//
// For any bytes: loading returns a config or throws ConfigErrors, nothing
// else; every error names the file, says something, and points inside the
// file (a line of it and a column of at least 1) or at nothing (line 0);
// errors with a position come in file order.
#pragma once

#include <algorithm>
#include <exception>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "common/config/config_error.h"
#include "fuzz/fuzz_support.h"

namespace teiten::fuzz {

/// Runs `load` on `text` (as a file) and checks its errors; true when it loaded.
inline bool check_config_load(std::string_view text, const std::function<void(const std::string&)>& load) {
  MemoryFile file(text, "config.yaml");
  try {
    load(file.path());
    return true;
  } catch (const config::ConfigErrors& e) {
    const int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
    std::pair<int, int> last{0, 0};
    if (e.errors().empty()) broken("ConfigErrors without an error");
    for (const auto& error : e.errors()) {
      std::string where = error.to_string();
      if (error.file != file.path()) broken("an error names another file: " + where);
      if (error.message.empty()) broken("an error without a message: " + where);
      if (error.line < 0 || error.line > lines) broken("an error outside the file: " + where);
      if (error.line == 0) {
        if (error.column != 0) broken("a column without a line: " + where);
        continue;
      }
      if (error.column < 1) broken("a line without a column: " + where);
      std::pair<int, int> at{error.line, error.column};
      if (at < last) broken("errors out of file order at " + where);
      last = at;
    }
    return false;
  } catch (const std::exception& e) {
    broken(std::string("the loader threw something other than ConfigErrors: ") + e.what());
  }
}

}  // namespace teiten::fuzz
