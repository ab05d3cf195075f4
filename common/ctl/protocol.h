// teiten::ctl wire format, as pure functions over one line: parsing and
// checking a request, encoding a reply (docs/control-protocol.md). No
// sockets, no logging, no exceptions escape, so the server and the tests
// call the same code on untrusted bytes.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/ctl/command_registry.h"

namespace teiten::ctl {

/// Deepest nesting of arrays and objects a request may have, the request
/// object itself counting as the first level. A 64 KiB line
/// could otherwise nest 32,000 levels, and copying or printing such a value
/// recurses once per level: enough to overflow the network thread's stack.
constexpr int kMaxRequestDepth = 32;

struct Request {
  std::string command;
  nlohmann::json arguments = nlohmann::json::object();
  std::string error;  ///< non-empty: the request is invalid; the text of the result-1 reply
};

/// Parses one request line (without its newline). Never throws.
Request parse_request(const std::string& line);

/// One reply as sent on the wire: the JSON object with keys in the order
/// result, text, arguments, then '\n'. Invalid UTF-8 in strings is replaced
/// rather than thrown, so a handler's text can never break the connection.
std::string encode_reply_line(const Reply& reply);

}  // namespace teiten::ctl
