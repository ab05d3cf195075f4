#include "common/config/sensor_config.h"

#include "common/config/section_table.h"
#include "common/config/value_rules.h"
#include "common/config/yaml_reader.h"

namespace teiten::config {
namespace {

using namespace detail;
using Sensor = SensorConfig::Sensor;
using Capture = SensorConfig::Capture;
using Storage = SensorConfig::Storage;
using Collector = SensorConfig::Collector;
using Control = SensorConfig::Control;
using Process = SensorConfig::Process;
using Log = SensorConfig::Log;
using Metrics = SensorConfig::Metrics;

constexpr auto hot = Reload::hot;
constexpr auto restart = Reload::restart;

// Every key of teiten-sensor's file: name, field, kind, default (as YAML),
// range, and whether config-reload applies it (hot) or it waits for a
// restart. config/sensor.yaml mirrors these rows; tests check it does.
// The sensor's identity and its day boundaries are fixed by its database.
const Key<Sensor> sensor_keys[] = {
    {"id", &Sensor::id, {.kind = Kind::sensor_id, .required = true}, restart},
    {"timezone", &Sensor::timezone, {Kind::zone, "UTC"}, restart},
};

// The capture handle is opened once, with privileges; what is counted
// (observed, ignore_sources) is only rules, swapped at the next packet.
const Key<Capture> capture_keys[] = {
    {"interface", &Capture::interface, {Kind::interface}, restart},  // required live, see below
    {"observed", &Capture::observed, {Kind::prefixes, "[]"}, hot},
    {"ignore_sources", &Capture::ignore_sources, {Kind::prefixes, "[]"}, hot},
    {"filter", &Capture::filter, {Kind::bpf}, restart},
    {"snaplen", &Capture::snaplen, {Kind::count, "256", 68, 65535}, restart},
    {"buffer_size", &Capture::buffer_size, {Kind::size, "64MiB", 64 * KiB, 2 * GiB}, restart},
    {"promiscuous", &Capture::promiscuous, {Kind::flag, "false"}, restart},
    {"timeout",
     &Capture::timeout,
     {Kind::duration, "100ms", 1 * millisecond, 10 * second},
     restart},
    {"address_poll", &Capture::address_poll, {Kind::duration, "5s", 1 * second, 1 * hour}, hot},
};

const Key<Storage> storage_keys[] = {
    {"path", &Storage::path, {Kind::path, "/var/lib/teiten-sensor/sensor.db"}, restart},
    {"flush_interval",
     &Storage::flush_interval,
     {Kind::duration, "60s", 1 * second, 1 * hour},
     hot},
    {"retention", &Storage::retention, {Kind::duration, "400d", 1 * day}, hot},
    {"max_rows_in_memory", &Storage::max_rows_in_memory, {Kind::count, "4000000", 1000}, hot},
};

// The section is optional; once present it must say where and how to
// connect, so those keys are required. The shipper is built once, at start.
const Key<Collector> collector_keys[] = {
    {"address", &Collector::address, {.kind = Kind::addresses, .required = true}, restart},
    {"server_name", &Collector::server_name, {Kind::host}, restart},  // default: each host
    {"ca", &Collector::ca, {.kind = Kind::path, .required = true}, restart},
    {"cert", &Collector::cert, {.kind = Kind::path, .required = true}, restart},
    {"key", &Collector::key, {.kind = Kind::path, .required = true}, restart},
    {"batch_rows", &Collector::batch_rows, {Kind::count, "20000", 1, 1'000'000}, restart},
    {"backoff_initial",
     &Collector::backoff_initial,
     {Kind::duration, "1s", 100 * millisecond, 1 * hour},
     restart},
    {"backoff_max",
     &Collector::backoff_max,
     {Kind::duration, "5m", 100 * millisecond, 1 * day},
     restart},
    {"ack_timeout",
     &Collector::ack_timeout,
     {Kind::duration, "60s", 1 * second, 1 * hour},
     restart},
};

const Key<Control> control_keys[] = {
    {"socket", &Control::socket, {Kind::path, "/run/teiten-sensor/control.sock"}, restart},
};

const std::vector<Section<SensorConfig>>& sections() {
  static const std::vector<Section<SensorConfig>> all = {
      map_section("sensor", &SensorConfig::sensor, sensor_keys, true),
      map_section("capture", &SensorConfig::capture, capture_keys),
      map_section("storage", &SensorConfig::storage, storage_keys),
      map_section("collector", &SensorConfig::collector, collector_keys),
      map_section("control", &SensorConfig::control, control_keys),
      map_section("metrics", &SensorConfig::metrics, metrics_keys<Metrics>),
      map_section("process", &SensorConfig::process, process_keys<Process>),
      map_section("log", &SensorConfig::log, log_keys<Log>),
  };
  return all;
}

// Rules that involve more than one key or the mode, checked after the walk.
void check_across_keys(YamlReader& r, SensorConfig& c, SensorMode mode) {
  const auto& written = r.marks().positions;
  // A file that is not a map of sections already has its error; "interface
  // missing" on top would only be noise.
  if (mode == SensorMode::live && r.root().IsMap() && !written.contains("capture.interface") &&
      !r.failed("capture"))
    r.error_at_value("capture.interface",
                     "required for live capture (only --read works without it)");

  c.collector.enabled = written.contains("collector");
  if (!c.collector.enabled) return;
  c.collector.endpoints.clear();
  for (const auto& address : c.collector.address) {
    std::string why;
    if (auto hp = parse_host_port(address, why))
      c.collector.endpoints.push_back(
          {address, hp->host, hp->port,
           c.collector.server_name.empty() ? hp->host : c.collector.server_name});
  }
  if (!r.failed("collector.backoff_initial") && !r.failed("collector.backoff_max") &&
      c.collector.backoff_max < c.collector.backoff_initial)
    r.error_at_value("collector.backoff_max",
                     base::format_duration(c.collector.backoff_max) +
                         " is shorter than collector.backoff_initial (" +
                         base::format_duration(c.collector.backoff_initial) + ")");
}

}  // namespace

SensorConfig load_sensor_config(const std::string& path, SensorMode mode) {
  return load_document<SensorConfig>(
      YamlReader(path), sections(),
      [mode](YamlReader& r, SensorConfig& c) { check_across_keys(r, c, mode); });
}

SensorConfig default_read_config(const std::string& name, const std::string& sensor_id) {
  // Read through the tables like a file, so each default is the one row
  // says; only the required id is written.
  YAML::Emitter text;
  text << YAML::Flow << YAML::BeginMap << YAML::Key << "sensor" << YAML::Value << YAML::BeginMap
       << YAML::Key << "id" << YAML::Value << sensor_id << YAML::EndMap << YAML::EndMap;
  return load_document<SensorConfig>(
      YamlReader(name, text.c_str(), std::filesystem::current_path()), sections(),
      [](YamlReader& r, SensorConfig& c) { check_across_keys(r, c, SensorMode::read); });
}

std::vector<KeyInfo> sensor_config_keys() {
  return describe_sections<SensorConfig>(sections());
}

std::vector<KeyChange> changed_keys(const SensorConfig& running, const SensorConfig& fresh) {
  return compare_sections<SensorConfig>(sections(), running, fresh, nullptr);
}

SensorConfig with_hot_keys(const SensorConfig& running, const SensorConfig& fresh) {
  return with_hot_keys_of<SensorConfig>(sections(), running, fresh);
}

}  // namespace teiten::config
