// teiten-collector: the central ingest daemon of a teiten fleet.
#include <CLI/CLI.hpp>
#include <iostream>

#include "common/process/exit_codes.h"
#include "daemon/collector/collector_counters.h"
#include "daemon/collector/collector_daemon.h"

int main(int argc, char** argv) {
  teiten::collector::CollectorOptions options;
  CLI::App app{"teiten-collector: gathers every sensor's counts over mutual TLS"};
  bool markdown = false;
  auto* markdown_flag =
      app.add_flag("--counters-markdown", markdown, "print the counter table (docs) and exit");
  app.add_option("-c,--config", options.config_path, "configuration file")->excludes(markdown_flag);
  app.add_flag("-t,--test", options.check_only, "check the configuration and exit");
  app.set_version_flag("--version", "teiten-collector " TEITEN_VERSION);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : teiten::process::kExitConfig;
  }
  if (markdown) {
    std::cout << teiten::process::counters_markdown("teiten-collector",
                                                    teiten::collector::collector_counters());
    return 0;
  }
  if (options.config_path.empty()) {
    std::cerr << "teiten-collector: -c/--config is required\n";
    return teiten::process::kExitConfig;
  }
  return teiten::collector::CollectorDaemon(options).run();
}
