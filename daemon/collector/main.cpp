// teiten-collector: the central ingest daemon of a teiten fleet.
#include <CLI/CLI.hpp>
#include <iostream>

#include "common/config/collector_config.h"
#include "common/process/exit_codes.h"
#include "daemon/collector/collector_counters.h"
#include "daemon/collector/collector_daemon.h"

int main(int argc, char** argv) {
  teiten::collector::CollectorOptions options;
  CLI::App app{"teiten-collector: gathers every sensor's counts over mutual TLS",
               "teiten-collector"};
  bool markdown = false;
  auto* markdown_flag =
      app.add_flag("--counters-markdown", markdown, "print the counter table (docs) and exit");
  options.config_path = teiten::config::kDefaultCollectorConfig;
  app.add_option("-c,--config", options.config_path, "configuration file")
      ->capture_default_str()
      ->excludes(markdown_flag);
  auto* test_flag =
      app.add_flag("-t,--test", options.check_only, "check the configuration and exit");
  bool no_connect = false;
  app.add_flag("--no-connect", no_connect,
               "with -t: do not connect to the PostgreSQL server (for the service's start "
               "check: a collector whose database is down starts and waits for it)")
      ->needs(test_flag);
  app.set_version_flag("--version", "teiten-collector " TEITEN_VERSION);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : teiten::process::kExitConfig;
  }
  options.check_connect = !no_connect;
  if (markdown) {
    std::cout << teiten::process::counters_markdown("teiten-collector",
                                                    teiten::collector::collector_counters());
    return 0;
  }
  return teiten::collector::CollectorDaemon(options).run();
}
