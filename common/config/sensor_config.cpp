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

// Every key of teiten-sensor's file: name, field, kind, default (as YAML),
// range. config/sensor.yaml mirrors these rows; tests check it does.
const Key<Sensor> sensor_keys[] = {
    {"id", &Sensor::id, {.kind = Kind::sensor_id, .required = true}},
    {"timezone", &Sensor::timezone, {Kind::zone, "UTC"}},
};

const Key<Capture> capture_keys[] = {
    {"interface", &Capture::interface, {Kind::interface}},  // required in live mode, see below
    {"observed", &Capture::observed, {Kind::prefixes, "[]"}},
    {"ignore_sources", &Capture::ignore_sources, {Kind::prefixes, "[]"}},
    {"filter", &Capture::filter, {Kind::bpf}},
    {"snaplen", &Capture::snaplen, {Kind::count, "256", 68, 65535}},
    {"buffer_size", &Capture::buffer_size, {Kind::size, "64MiB", 64 * KiB, 2 * GiB}},
    {"promiscuous", &Capture::promiscuous, {Kind::flag, "false"}},
    {"timeout", &Capture::timeout, {Kind::duration, "100ms", 1 * millisecond, 10 * second}},
    {"address_poll", &Capture::address_poll, {Kind::duration, "5s", 1 * second, 1 * hour}},
};

const Key<Storage> storage_keys[] = {
    {"path", &Storage::path, {Kind::path, "/var/lib/teiten-sensor/sensor.db"}},
    {"flush_interval", &Storage::flush_interval, {Kind::duration, "60s", 1 * second, 1 * hour}},
    {"retention", &Storage::retention, {Kind::duration, "400d", 1 * day}},
    {"max_rows_in_memory", &Storage::max_rows_in_memory, {Kind::count, "4000000", 1000}},
};

// The section is optional; once present it must say where and how to
// connect, so those keys are required.
const Key<Collector> collector_keys[] = {
    {"address", &Collector::address, {.kind = Kind::address, .required = true}},
    {"server_name", &Collector::server_name, {Kind::host}},  // defaults to the address's host
    {"ca", &Collector::ca, {.kind = Kind::path, .required = true}},
    {"cert", &Collector::cert, {.kind = Kind::path, .required = true}},
    {"key", &Collector::key, {.kind = Kind::path, .required = true}},
    {"batch_rows", &Collector::batch_rows, {Kind::count, "20000", 1, 1'000'000}},
    {"backoff_initial",
     &Collector::backoff_initial,
     {Kind::duration, "1s", 100 * millisecond, 1 * hour}},
    {"backoff_max", &Collector::backoff_max, {Kind::duration, "5m", 100 * millisecond, 1 * day}},
    {"ack_timeout", &Collector::ack_timeout, {Kind::duration, "60s", 1 * second, 1 * hour}},
};

const Key<Control> control_keys[] = {
    {"socket", &Control::socket, {Kind::path, "/run/teiten-sensor/control.sock"}},
};

const std::vector<Section<SensorConfig>>& sections() {
  static const std::vector<Section<SensorConfig>> all = {
      map_section("sensor", &SensorConfig::sensor, sensor_keys, true),
      map_section("capture", &SensorConfig::capture, capture_keys),
      map_section("storage", &SensorConfig::storage, storage_keys),
      map_section("collector", &SensorConfig::collector, collector_keys),
      map_section("control", &SensorConfig::control, control_keys),
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
  std::string why;
  if (auto hp = parse_host_port(c.collector.address, why)) {
    c.collector.host = hp->host;
    c.collector.port = hp->port;
    if (c.collector.server_name.empty()) c.collector.server_name = hp->host;
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
      path, sections(), [mode](YamlReader& r, SensorConfig& c) { check_across_keys(r, c, mode); });
}

std::vector<KeyInfo> sensor_config_keys() {
  return describe_sections<SensorConfig>(sections());
}

}  // namespace teiten::config
