#include "daemon/sensor/counting_rules.h"

namespace teiten::sensor {

std::shared_ptr<const tally::CountingRules> build_rules(
    const config::SensorConfig& config, config::SensorMode mode,
    const std::vector<base::Prefix>& interface_addrs,
    const std::vector<base::Prefix>& collector_addrs) {
  auto rules = std::make_shared<tally::CountingRules>();
  const auto& observed = config.capture.observed;
  if (!observed.empty()) {
    for (const auto& p : observed) rules->observed.add(p);
  } else if (mode == config::SensorMode::read) {
    rules->observe_all = true;
  } else {
    for (const auto& p : interface_addrs) rules->observed.add(p);
  }
  for (const auto& p : config.capture.ignore_sources) rules->ignore_sources.add(p);
  for (const auto& p : collector_addrs) rules->collector.add(p);
  return rules;
}

}  // namespace teiten::sensor
