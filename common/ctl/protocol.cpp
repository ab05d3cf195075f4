#include "common/ctl/protocol.h"

namespace teiten::ctl {
namespace {

using nlohmann::json;

struct TooDeep {};

/// nlohmann's messages start with "[json.exception.parse_error.101] "; the
/// client wants the position and cause, not the library's error id.
std::string parse_error_text(const std::exception& e) {
  std::string what = e.what();
  if (auto pos = what.find("] "); what.rfind("[json.", 0) == 0 && pos != std::string::npos)
    what.erase(0, pos + 2);
  return what;
}

Request invalid(std::string why) {
  Request r;
  r.error = "invalid request: " + std::move(why);
  return r;
}

}  // namespace

Request parse_request(const std::string& line) {
  json request;
  try {
    // The callback sees each value as it starts, so a too-deep request is
    // refused before it is built (nlohmann's parser itself keeps its stack
    // on the heap).
    request = json::parse(line, [](int depth, json::parse_event_t event, json&) {
      // depth counts the containers around this one: 0 for the request object.
      bool opens =
          event == json::parse_event_t::object_start || event == json::parse_event_t::array_start;
      if (opens && depth >= kMaxRequestDepth) throw TooDeep{};
      return true;
    });
  } catch (const TooDeep&) {
    return invalid("nested deeper than " + std::to_string(kMaxRequestDepth) + " levels");
  } catch (const json::exception& e) {
    return invalid("not JSON: " + parse_error_text(e));
  }
  if (!request.is_object())
    return invalid("expected a JSON object like {\"command\": \"list-commands\"}");
  auto command = request.find("command");
  if (command == request.end() || !command->is_string() || command->get<std::string>().empty())
    return invalid("\"command\" must be a non-empty string");
  Request r;
  r.command = command->get<std::string>();
  if (auto arguments = request.find("arguments"); arguments != request.end()) {
    if (!arguments->is_object()) return invalid("\"arguments\" must be an object");
    r.arguments = std::move(*arguments);
  }
  return r;
}

std::string encode_reply_line(const Reply& reply) {
  using ordered = nlohmann::ordered_json;
  auto dump = [](const ordered& j) {
    return j.dump(-1, ' ', false, ordered::error_handler_t::replace);
  };
  const ordered& arguments = reply.arguments.is_null() ? ordered::object() : reply.arguments;
  // The result first, as in the protocol document, and the arguments in
  // the order the daemon wrote them.
  return "{\"result\":" + std::to_string(static_cast<int>(reply.result)) +
         ",\"text\":" + dump(reply.text) + ",\"arguments\":" + dump(arguments) + "}\n";
}

}  // namespace teiten::ctl
