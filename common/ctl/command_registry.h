// teiten::ctl::CommandRegistry — the control commands a daemon offers,
// separate from any transport (ControlServer is one). A handler gets the
// request's arguments and answers through a callback, so it may finish
// later (after a query on another thread); it should answer exactly once
// (dispatch drops any answer after the first, and the server answers for a
// handler that stays silent past its deadline). list-commands is built in.
// Each command names the arguments it takes; dispatch answers any other
// with result 1 naming it (as Kea does), so a typo is never silently
// ignored. add() and dispatch() run on the daemon's network thread only; a Respond
// given by ControlServer may be called from any thread.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace teiten::ctl {

/// Result codes of docs/control-protocol.md; teitenctl maps them to exit codes.
enum class Result : int { ok = 0, error = 1, unknown_command = 2, empty = 3 };

struct Reply {
  Result result = Result::ok;
  std::string text;
  /// Ordered, so teitenctl shows fields in the order the daemon wrote them.
  nlohmann::ordered_json arguments = nlohmann::ordered_json::object();

  static Reply ok(std::string text,
                  nlohmann::ordered_json arguments = nlohmann::ordered_json::object()) {
    return {Result::ok, std::move(text), std::move(arguments)};
  }
  static Reply error(std::string text) {
    return {Result::error, std::move(text), nlohmann::ordered_json::object()};
  }
  /// The JSON object sent on the wire: {"result": N, "text": "...", "arguments": {...}}.
  nlohmann::ordered_json to_json() const;
  /// Parses a reply object; throws std::runtime_error when it is not one.
  static Reply from_json(const nlohmann::ordered_json& j);
};

/// As a command's `accepts`: it takes any arguments (test fixtures that echo them).
inline const std::vector<std::string> kAnyArguments = {"*"};

/// Delivers the answer; calls after the first are ignored.
using Respond = std::function<void(Reply)>;
using Handler = std::function<void(const nlohmann::json& arguments, Respond respond)>;
using SyncHandler = std::function<Reply(const nlohmann::json& arguments)>;

class CommandRegistry {
 public:
  CommandRegistry();
  /// Registers or replaces a command; help is one line for list-commands;
  /// `accepts` names the arguments it takes (none when omitted).
  void add(const std::string& name, const std::string& help, Handler handler);
  void add(const std::string& name, const std::string& help, std::vector<std::string> accepts,
           Handler handler);
  void add_sync(const std::string& name, const std::string& help, SyncHandler handler);
  void add_sync(const std::string& name, const std::string& help,
                std::vector<std::string> accepts, SyncHandler handler);
  /// Runs the command (unknown: result 2; an argument it does not take:
  /// result 1); a throwing handler answers result 1 "NAME: what()" unless
  /// it already answered.
  void dispatch(const std::string& name, const nlohmann::json& arguments, Respond respond) const;
  /// (name, help) in name order, list-commands included.
  std::vector<std::pair<std::string, std::string>> commands() const;

 private:
  struct Entry {
    std::string help;
    Handler handler;  ///< empty for the built-in list-commands
    std::vector<std::string> accepts;
  };
  /// Empty when every argument is one the command takes.
  static std::string unknown_arguments(const std::string& name, const Entry& entry,
                                       const nlohmann::json& arguments);
  Reply list_commands() const;

  std::map<std::string, Entry> commands_;
};

}  // namespace teiten::ctl
