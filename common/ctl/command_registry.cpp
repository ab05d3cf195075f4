#include "common/ctl/command_registry.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <stdexcept>

namespace teiten::ctl {
namespace {

const std::string kListCommands = "list-commands";

/// Guarantees "exactly once" whatever the handler does: a handler that
/// answers and then throws, or answers twice, must not produce two replies
/// for one request (the second would be read as the answer to the next one).
Respond once(Respond respond) {
  auto answered = std::make_shared<std::atomic<bool>>(false);
  return [answered, respond = std::move(respond)](Reply reply) {
    if (answered->exchange(true)) return;
    respond(std::move(reply));
  };
}

}  // namespace

nlohmann::ordered_json Reply::to_json() const {
  return {{"result", static_cast<int>(result)},
          {"text", text},
          {"arguments", arguments.is_null() ? nlohmann::ordered_json::object() : arguments}};
}

Reply Reply::from_json(const nlohmann::ordered_json& j) {
  if (!j.is_object()) throw std::runtime_error("reply is not a JSON object");
  auto result = j.find("result");
  if (result == j.end() || !result->is_number_integer())
    throw std::runtime_error("reply has no integer \"result\"");
  Reply r;
  r.result = static_cast<Result>(result->get<int>());
  if (auto text = j.find("text"); text != j.end() && !text->is_null()) {
    if (!text->is_string()) throw std::runtime_error("reply \"text\" is not a string");
    r.text = text->get<std::string>();
  }
  if (auto args = j.find("arguments"); args != j.end() && !args->is_null()) {
    if (!args->is_object()) throw std::runtime_error("reply \"arguments\" is not an object");
    r.arguments = *args;
  }
  return r;
}

CommandRegistry::CommandRegistry() {
  // An empty handler marks the built-in: dispatch answers it from the table
  // of *this* registry, so a copied registry lists its own commands.
  commands_[kListCommands] = {"lists the commands this daemon accepts", Handler{}, {}};
}

void CommandRegistry::add(const std::string& name, const std::string& help, Handler handler) {
  add(name, help, {}, std::move(handler));
}

void CommandRegistry::add(const std::string& name, const std::string& help,
                          std::vector<std::string> accepts, Handler handler) {
  if (name.empty()) throw std::invalid_argument("command name is empty");
  if (!handler) throw std::invalid_argument("command '" + name + "' has no handler");
  std::sort(accepts.begin(), accepts.end());
  commands_[name] = {help, std::move(handler), std::move(accepts)};
}

void CommandRegistry::add_sync(const std::string& name, const std::string& help,
                               SyncHandler handler) {
  add_sync(name, help, {}, std::move(handler));
}

void CommandRegistry::add_sync(const std::string& name, const std::string& help,
                               std::vector<std::string> accepts, SyncHandler handler) {
  if (!handler) throw std::invalid_argument("command '" + name + "' has no handler");
  add(name, help, std::move(accepts),
      [handler = std::move(handler)](const nlohmann::json& arguments, Respond respond) {
        respond(handler(arguments));
      });
}

std::string CommandRegistry::unknown_arguments(const std::string& name, const Entry& entry,
                                               const nlohmann::json& arguments) {
  if (entry.accepts == kAnyArguments) return {};
  std::string unknown;
  size_t count = 0;
  // nlohmann::json keeps object members sorted, so the names come in order.
  for (const auto& [key, value] : arguments.items()) {
    if (std::binary_search(entry.accepts.begin(), entry.accepts.end(), key)) continue;
    unknown += (count++ ? ", '" : "'") + key + "'";
  }
  if (count == 0) return {};
  std::string takes;
  for (const auto& a : entry.accepts) takes += (takes.empty() ? "" : ", ") + a;
  return name + ": unknown argument" + (count > 1 ? "s " : " ") + unknown + " (" + name +
         (takes.empty() ? " takes no arguments)" : " takes: " + takes + ")");
}

void CommandRegistry::dispatch(const std::string& name, const nlohmann::json& arguments,
                               Respond respond) const {
  auto guarded = once(std::move(respond));
  auto it = commands_.find(name);
  if (it == commands_.end()) {
    guarded({Result::unknown_command, "unknown command '" + name + "' (try list-commands)",
             nlohmann::json::object()});
    return;
  }
  if (auto unknown = unknown_arguments(name, it->second, arguments); !unknown.empty()) {
    guarded(Reply::error(unknown));
    return;
  }
  if (!it->second.handler) {
    guarded(list_commands());
    return;
  }
  try {
    it->second.handler(arguments, guarded);
  } catch (const std::exception& e) {
    guarded(Reply::error(name + ": " + e.what()));
  } catch (...) {
    guarded(Reply::error(name + ": unknown exception"));
  }
}

std::vector<std::pair<std::string, std::string>> CommandRegistry::commands() const {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(commands_.size());
  for (const auto& [name, entry] : commands_) out.emplace_back(name, entry.help);
  return out;
}

Reply CommandRegistry::list_commands() const {
  // Ordered: the name comes first in every row, as teitenctl shows it.
  auto list = nlohmann::ordered_json::array();
  std::string names;
  for (const auto& [name, help] : commands()) {
    list.push_back({{"name", name}, {"help", help}});
    names += (names.empty() ? "" : ", ") + name;
  }
  return Reply::ok(std::to_string(list.size()) + " commands: " + names, {{"commands", list}});
}

}  // namespace teiten::ctl
