// teiten-sensor: the capture daemon of one sensor host.
#include <CLI/CLI.hpp>
#include <iostream>

#include "common/process/exit_codes.h"
#include "daemon/sensor/sensor_counters.h"
#include "daemon/sensor/sensor_daemon.h"

int main(int argc, char** argv) {
  teiten::sensor::SensorOptions options;
  CLI::App app{"teiten-sensor: counts unsolicited packets into a local database", "teiten-sensor"};
  bool markdown = false;
  auto* markdown_flag =
      app.add_flag("--counters-markdown", markdown, "print the counter table (docs) and exit");
  options.config_path = teiten::config::kDefaultSensorConfig;
  app.add_option("-c,--config", options.config_path, "configuration file")
      ->capture_default_str()
      ->excludes(markdown_flag);
  app.add_flag("-t,--test", options.check_only, "check the configuration and exit");
  auto* read =
      app.add_option("--read", options.read_files, "replay capture files (pcap, pcapng) and exit");
  teiten::sensor::add_read_flags(app, read, options.read_flags);
  app.add_option("--ship-timeout", options.ship_timeout_seconds,
                 "seconds to wait for the collector's acknowledgements with --read")
      ->check(CLI::NonNegativeNumber);
  app.set_version_flag("--version", "teiten-sensor " TEITEN_VERSION);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : teiten::process::kExitConfig;
  }
  options.config_given = app.count("--config") > 0;
  if (markdown) {
    std::cout << teiten::process::counters_markdown("teiten-sensor",
                                                    teiten::sensor::sensor_counters());
    return 0;
  }
  return teiten::sensor::SensorDaemon(options).run();
}
