#include "common/process/daemon_start.h"

#include <exception>
#include <iostream>

#include "common/process/exit_codes.h"
#include "common/process/logging.h"

namespace teiten::process {

void print_config_errors(const std::vector<config::ConfigError>& errors) {
  for (const auto& line : config::shown_errors(errors)) std::cerr << line << "\n";
}

int report_check(const std::string& file, const std::vector<config::ConfigError>& errors,
                 const std::vector<config::ConfigError>& warnings) {
  print_config_errors(errors);
  print_config_errors(warnings);
  if (!errors.empty()) return kExitConfig;
  std::cout << file << ": configuration OK\n";
  return kExitOk;
}

int serve_guarded(const std::string& program, const std::string& logger_name, Notifier& notifier,
                  const std::function<int()>& serve) {
  try {
    return serve();
  } catch (const std::exception& e) {
    logger(logger_name)->critical("fatal error=\"{}\"", e.what());
    std::cerr << program << ": " << e.what() << "\n";
    notifier.stopping(std::string("failed: ") + e.what());
    return kExitFailure;
  }
}

}  // namespace teiten::process
