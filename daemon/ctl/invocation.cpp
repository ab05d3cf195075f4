#include "daemon/ctl/invocation.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ostream>
#include <stdexcept>

#include "common/config/collector_config.h"
#include "common/config/sensor_config.h"
#include "common/ctl/control_client.h"
#include "daemon/ctl/render.h"

namespace teiten::teitenctl {
namespace {

using Json = nlohmann::ordered_json;

/// A number is taken only when it keeps every digit: a 20-digit value would
/// become a double and lose some, so it stays a string.
bool exact_number(const std::string& text, const Json& parsed) {
  if (parsed.is_number_integer()) return true;
  if (!parsed.is_number_float()) return false;
  return text.find_first_of(".eE") != std::string::npos && std::isfinite(parsed.get<double>());
}

}  // namespace

std::string default_socket(bool collector) {
  auto keys = collector ? config::collector_config_keys() : config::sensor_config_keys();
  for (const auto& k : keys)
    if (k.path == "control.socket") return k.default_text;
  return {};
}

size_t terminal_columns() {
  if (const char* env = std::getenv("COLUMNS")) {
    char* end = nullptr;
    long n = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && n > 0) return static_cast<size_t>(n);
  }
  winsize ws{};
  if (isatty(STDOUT_FILENO) == 1 && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    return ws.ws_col;
  return 0;
}

std::string socket_path(const Invocation& invocation) {
  if (!invocation.socket.empty()) return invocation.socket;
  return default_socket(invocation.collector);
}

Json parse_arguments(const std::vector<std::string>& words) {
  Json arguments = Json::object();
  for (const auto& word : words) {
    auto eq = word.find('=');
    if (eq == std::string::npos)
      throw std::invalid_argument("argument '" + word + "' is not KEY=VALUE");
    std::string key = word.substr(0, eq);
    std::string text = word.substr(eq + 1);
    if (key.empty()) throw std::invalid_argument("argument '" + word + "' has an empty key");
    if (arguments.contains(key)) throw std::invalid_argument("argument '" + key + "' given twice");
    Json parsed = Json::parse(text, nullptr, false);
    if (parsed.is_boolean() || (parsed.is_number() && exact_number(text, parsed)))
      arguments[key] = parsed;
    else
      arguments[key] = text;
  }
  return arguments;
}

int exit_code_for(int result) {
  switch (result) {
    case 0:
    case 3:
      return kExitOk;
    case 2:
      return kExitUnknown;
    default:
      return kExitError;
  }
}

int run(const Invocation& invocation, std::ostream& out, std::ostream& err) {
  Json arguments;
  try {
    arguments = parse_arguments(invocation.args);
  } catch (const std::invalid_argument& e) {
    err << "teitenctl: " << e.what() << '\n';
    return kExitError;
  }
  const auto timeout = std::chrono::milliseconds(
      std::max<long long>(1, std::llround(invocation.timeout_seconds * 1000)));
  const std::string path = socket_path(invocation);
  ctl::CallError error;
  auto reply = ctl::call_raw(path, invocation.command, arguments, timeout, error);
  if (!reply) {
    err << "teitenctl: " << error.message << '\n';
    return error.no_daemon ? kExitNoDaemon : kExitError;
  }
  const int code = exit_code_for((*reply)["result"].get<int>());
  if (invocation.json) {
    out << reply->dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
    return code;
  }
  // call_raw checked the shape: text is a string or absent/null, arguments
  // an object or absent/null.
  auto text = reply->find("text");
  if (text != reply->end() && text->is_string() && !text->get<std::string>().empty()) {
    std::string t = text->get<std::string>();
    if (t.back() != '\n') t += '\n';
    if (code == kExitOk)
      out << t;
    else
      err << "teitenctl: " << t;
  }
  if (auto args = reply->find("arguments"); args != reply->end() && !args->is_null())
    out << render_arguments(*args, 0, invocation.width);
  return code;
}

}  // namespace teiten::teitenctl
