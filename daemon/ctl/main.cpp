// teitenctl: the operators' command line for the control socket of
// teiten-sensor and teiten-collector (docs/control-protocol.md). Parses flags
// and hands over to run(); the exit status is the reply's (see invocation.h).
#include <CLI/CLI.hpp>
#include <iostream>
#include <string>

#include "daemon/ctl/invocation.h"

int main(int argc, char** argv) {
  using namespace teiten::teitenctl;
  Invocation invocation;
  CLI::App app{"teitenctl: sends one command to a teiten daemon's control socket", "teitenctl"};
  app.add_option("-s,--socket", invocation.socket,
                 "control socket (default " + default_socket(false) + ")");
  app.add_flag("--collector", invocation.collector,
               "talk to teiten-collector: " + default_socket(true));
  app.add_flag("--json", invocation.json, "print the raw reply as JSON");
  app.add_option("--timeout", invocation.timeout_seconds, "seconds to wait for the reply")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("command", invocation.command, "command to send (try list-commands)")->required();
  app.add_option("args", invocation.args, "arguments as KEY=VALUE (limit=20 by=sources)");
  app.footer(
      "Exit status: 0 ok (or nothing to show), 1 error, 2 unknown command,\n"
      "3 no daemon answers (socket missing, connection refused, or timeout).\n");
  app.set_version_flag("--version", "teitenctl " TEITEN_VERSION);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::cerr << "teitenctl: " << e.what() << " (try --help)\n";
    return kExitError;
  }
  invocation.width = terminal_columns();
  try {
    return run(invocation, std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "teitenctl: " << e.what() << '\n';
    return kExitError;
  }
}
