#include "daemon/sensor/config_warnings.h"

#include <algorithm>

namespace teiten::sensor {
namespace {

// A prefix this wide holds the sources too: a packet from an observed
// address is the sensor's own reply (ignored.own_source), so scanners
// inside it would never count. /8 and /16 are wider than any darknet a
// sensor host holds.
bool holds_sources(const base::Prefix& p) {
  return p.length <= (p.address.is_v4() ? 8 : 16);
}

config::ConfigError warning(config::ConfigError e) {
  e.message = "warning: " + e.message;
  return e;
}

std::string listed(const std::vector<base::Prefix>& prefixes) {
  std::string out;
  for (const auto& p : prefixes) out += (out.empty() ? "" : ", ") + p.address.to_string();
  return out;
}

}  // namespace

std::vector<config::ConfigError> config_warnings(const config::SensorConfig& c,
                                                 config::SensorMode mode,
                                                 const std::vector<base::Prefix>& interface_addrs) {
  std::vector<config::ConfigError> out;
  const auto& marks = c.marks;
  const auto& observed = c.capture.observed;
  for (size_t i = 0; i < observed.size(); ++i) {
    if (!holds_sources(observed[i])) continue;
    out.push_back(warning(marks.error_at(
        "capture.observed[" + std::to_string(i) + "]",
        observed[i].to_string() +
            " covers the senders too: a packet from an observed address counts as "
            "ignored.own_source, so nothing from inside it is counted; list the sensor's own "
            "addresses or darknet prefixes")));
  }
  if (mode == config::SensorMode::live && !c.capture.interface.empty()) {
    if (interface_addrs.empty() && observed.empty()) {
      out.push_back(warning(marks.error_at(
          "capture.interface", "'" + c.capture.interface +
                                   "' has no addresses and capture.observed is empty: nothing "
                                   "is counted until an address appears")));
    } else if (!observed.empty() && !interface_addrs.empty() &&
               std::none_of(interface_addrs.begin(), interface_addrs.end(), [&](const auto& a) {
                 return std::any_of(observed.begin(), observed.end(),
                                    [&](const auto& p) { return p.contains(a.address); });
               })) {
      out.push_back(warning(marks.error_at(
          "capture.observed", "none of " + c.capture.interface + "'s addresses (" +
                                  listed(interface_addrs) +
                                  ") is observed: right for a darknet prefix routed to this "
                                  "host, otherwise nothing is counted")));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::pair{a.line, a.column} < std::pair{b.line, b.column};
  });
  return out;
}

std::optional<std::string> nothing_counted_hint(const tally::DayStats& s, int64_t seconds) {
  if (seconds < 60 || s.packets == 0 || s.ignored_total() != s.packets) return std::nullopt;
  auto top = std::max_element(s.ignored.begin(), s.ignored.end()) - s.ignored.begin();
  auto reason = static_cast<tally::Ignored>(top);
  std::string why;
  switch (reason) {
    case tally::Ignored::own_source:
      why = "capture.observed covers the senders; list only the sensor's own addresses";
      break;
    case tally::Ignored::not_observed:
      why = "the packets go to addresses that are not observed; check capture.observed";
      break;
    case tally::Ignored::ignored_source:
      why = "capture.ignore_sources covers the senders";
      break;
    default:
      why = "check capture.observed and capture.ignore_sources";
  }
  return "every packet so far (" + std::to_string(s.packets) + ") was ignored, most as ignored." +
         std::string(tally::name(reason)) + ": " + why;
}

}  // namespace teiten::sensor
