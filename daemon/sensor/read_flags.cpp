#include "daemon/sensor/read_flags.h"

#include <cstring>
#include <filesystem>

#include "common/base/day_clock.h"
#include "common/base/prefix.h"
#include "common/config/value_rules.h"

namespace teiten::sensor {
namespace {

CLI::Validator rule(std::string name, bool (*ok)(const std::string&), std::string what) {
  return CLI::Validator(
      [ok, what](std::string& value) { return ok(value) ? std::string() : what + ": " + value; },
      std::move(name));
}

bool valid_id(const std::string& v) {
  return config::is_valid_sensor_id(v);
}
bool valid_prefix(const std::string& v) {
  return base::Prefix::parse(v).has_value();
}

}  // namespace

void add_read_flags(CLI::App& app, CLI::Option* read, ReadFlags& flags) {
  app.add_option("--db", flags.db,
                 "database to count into (storage.path); with --read, no config file is needed")
      ->needs(read);
  app.add_option("--id", flags.id, "sensor id (sensor.id; default: the capture file's name)")
      ->check(rule("ID", valid_id, "not a sensor id ([A-Za-z0-9._-]{1,64})"))
      ->needs(read);
  app.add_option("--timezone", flags.timezone,
                 "IANA zone of the days (sensor.timezone; default UTC)")
      ->check(rule("ZONE", base::is_known_zone, "unknown time zone"))
      ->needs(read);
  app.add_option("--observed", flags.observed,
                 "addresses or prefixes counted (capture.observed; default: every destination)")
      ->check(rule("PREFIX", valid_prefix, "not an address or prefix"))
      ->needs(read);
}

std::string sensor_id_for(const std::vector<std::string>& files) {
  if (files.size() == 1 && files[0] != "-") {
    std::string name = std::filesystem::path(files[0]).filename().string();
    // "s01.pcap.gz" and "s01.pcapng" both name s01.
    for (const char* ext : {".gz", ".pcapng", ".pcap", ".cap"})
      if (name.size() > std::strlen(ext) && name.ends_with(ext))
        name.resize(name.size() - std::strlen(ext));
    if (config::is_valid_sensor_id(name)) return name;
  }
  return "local";
}

void apply_read_flags(const ReadFlags& flags, config::SensorConfig& config) {
  auto& marks = config.marks.positions;
  if (flags.db) {
    config.storage.path = std::filesystem::absolute(*flags.db).string();
    marks.erase("storage.path");
  }
  if (flags.id) {
    config.sensor.id = *flags.id;
    marks.erase("sensor.id");
  }
  if (flags.timezone) {
    config.sensor.timezone = *flags.timezone;
    marks.erase("sensor.timezone");
  }
  if (!flags.observed.empty()) {
    config.capture.observed.clear();
    for (const auto& text : flags.observed)
      config.capture.observed.push_back(*base::Prefix::parse(text));
    std::erase_if(marks, [](const auto& m) { return m.first.starts_with("capture.observed"); });
  }
}

}  // namespace teiten::sensor
