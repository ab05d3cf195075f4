// teiten::ctl::CommandRegistry — the control commands a daemon offers,
// separate from any transport (ControlServer is one). A handler gets the
// request's arguments and answers through a callback, so it may finish
// later (after a query on another thread); it should answer exactly once
// (dispatch drops any answer after the first, and the server answers for a
// handler that stays silent past its deadline). list-commands is built in.
// add() and dispatch() run on the daemon's network thread only; a Respond
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

/// Delivers the answer; calls after the first are ignored.
using Respond = std::function<void(Reply)>;
using Handler = std::function<void(const nlohmann::json& arguments, Respond respond)>;
using SyncHandler = std::function<Reply(const nlohmann::json& arguments)>;

class CommandRegistry {
 public:
  CommandRegistry();
  /// Registers or replaces a command; help is one line for list-commands.
  void add(const std::string& name, const std::string& help, Handler handler);
  void add_sync(const std::string& name, const std::string& help, SyncHandler handler);
  /// Runs the command (unknown: result 2); a throwing handler answers result 1
  /// "NAME: what()" unless it already answered.
  void dispatch(const std::string& name, const nlohmann::json& arguments, Respond respond) const;
  /// (name, help) in name order, list-commands included.
  std::vector<std::pair<std::string, std::string>> commands() const;

 private:
  struct Entry {
    std::string help;
    Handler handler;  ///< empty for the built-in list-commands
  };
  Reply list_commands() const;

  std::map<std::string, Entry> commands_;
};

}  // namespace teiten::ctl
