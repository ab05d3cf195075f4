#include "common/ctl/config_replies.h"

#include "common/config/config_hash.h"

namespace teiten::ctl {
namespace {

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

Reply config_errors(const std::string& text, const std::vector<config::ConfigError>& errors) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& line : config::shown_errors(errors)) list.push_back(line);
  return {Result::error, text, {{"errors", std::move(list)}}};
}

Reply config_test_result(const std::string& file,
                         const std::vector<config::ConfigError>& problems) {
  if (!problems.empty())
    return config_errors(file + ": " + std::to_string(problems.size()) + " problem(s)", problems);
  return Reply::ok(file + ": configuration OK", {{"sha256", config::file_sha256(file)}});
}

Reply reload_refused(spdlog::logger& log, const std::string& origin, const std::string& text,
                     const std::vector<config::ConfigError>& errors) {
  log.error("reload_refused origin=\"{}\" errors={} action=kept_running_configuration", origin,
            errors.size());
  for (const auto& line : config::shown_errors(errors)) log.error("reload_error {}", line);
  return config_errors(text, errors);
}

Reply reload_done(spdlog::logger& log, const std::string& origin,
                  const std::vector<std::string>& applied,
                  const std::vector<std::string>& restart) {
  std::string text = "configuration reloaded";
  text += applied.empty() ? "; nothing to apply" : "; applied: " + joined(applied);
  if (!restart.empty()) text += "; restart needed for: " + joined(restart);
  log.info("reload origin=\"{}\" applied=\"{}\" restart_needed=\"{}\"", origin, joined(applied),
           joined(restart));
  return Reply::ok(text, {{"applied", applied}, {"restart_required", restart}});
}

}  // namespace teiten::ctl
