// teiten::config errors — every configuration problem is reported with the
// file, 1-based line and column of the offending key or value, so an
// operator can fix them all in one pass.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace teiten::config {

struct ConfigError {
  std::string file;
  int line = 0;    ///< 1-based; 0 when the error concerns the whole file
  int column = 0;  ///< 1-based
  std::string message;

  /// "FILE:LINE:COLUMN: message" (or "FILE: message" without a position).
  std::string to_string() const;
};

/// At most this many errors are shown; one line says how many more there
/// were (a file of 744k bad entries printed 744k lines).
inline constexpr size_t max_shown_errors = 100;

/// The lines to show for `errors`: the first max_shown_errors as
/// to_string(), then "FILE: and N more errors" when there were more.
std::vector<std::string> shown_errors(const std::vector<ConfigError>& errors);

/// Thrown by the loaders; holds every error found, in file order.
class ConfigErrors : public std::runtime_error {
 public:
  explicit ConfigErrors(std::vector<ConfigError> errors);
  const std::vector<ConfigError>& errors() const { return errors_; }

 private:
  std::vector<ConfigError> errors_;
};

}  // namespace teiten::config
