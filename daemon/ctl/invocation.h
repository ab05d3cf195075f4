// teitenctl's behaviour apart from flag parsing: which socket, how
// `key=value` words become the request's arguments, how a reply becomes
// output and an exit status (docs/control-protocol.md). main.cpp only parses
// flags into an Invocation and calls run().
#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace teiten::teitenctl {

/// The daemon's default control socket: the default of its control.socket
/// key, read from the daemon's config table (not a copy of it).
std::string default_socket(bool collector);

/// Exit statuses; scripts rely on them, never renumber.
inline constexpr int kExitOk = 0;        ///< result 0 (ok) or 3 (empty)
inline constexpr int kExitError = 1;     ///< result 1, a bad reply, or a usage error
inline constexpr int kExitUnknown = 2;   ///< result 2: the daemon has no such command
inline constexpr int kExitNoDaemon = 3;  ///< socket missing, refused, or no reply in time

struct Invocation {
  std::string socket;  ///< -s; empty means the default of the daemon chosen below
  bool collector = false;
  bool json = false;
  double timeout_seconds = 15;  ///< above the daemons' 10 s answer deadline, so theirs speaks first
  std::string command;
  std::vector<std::string> args;  ///< key=value words
  size_t width = 0;               ///< output columns tables wrap to; 0: never wrap
};

/// The columns of the terminal: $COLUMNS when set, else stdout's width when
/// it is a terminal, else 0 (a pipe gets whole lines).
size_t terminal_columns();

std::string socket_path(const Invocation& invocation);

/// `key=value` words -> an arguments object, in the order given. A value
/// that is a JSON number or boolean becomes one (limit=20 -> 20); anything
/// else stays a string (by=sources, port=0443). Throws std::invalid_argument
/// for a word without '=', an empty key, or a key given twice.
nlohmann::ordered_json parse_arguments(const std::vector<std::string>& words);

/// The exit status for a reply's result code; codes this teitenctl does not
/// know are errors.
int exit_code_for(int result);

/// Sends the command and prints the reply: the raw JSON with --json,
/// otherwise its text (on `err` with a "teitenctl: " prefix when the result
/// is an error) and the rendered arguments. Returns the exit status.
int run(const Invocation& invocation, std::ostream& out, std::ostream& err);

}  // namespace teiten::teitenctl
