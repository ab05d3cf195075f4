#include "common/config/collector_config.h"

#include "common/config/section_table.h"
#include "common/config/value_rules.h"
#include "common/config/yaml_reader.h"

namespace teiten::config {
namespace {

using namespace detail;
using Listen = CollectorConfig::Listen;
using Fleet = CollectorConfig::Fleet;
using Storage = CollectorConfig::Storage;
using Control = CollectorConfig::Control;
using Process = CollectorConfig::Process;
using Log = CollectorConfig::Log;

// Every key of teiten-collector's file: name, field, kind, default (as
// YAML), range. config/collector.yaml mirrors these rows; tests check it does.
const Key<Listen> listen_keys[] = {
    {"address", &Listen::address, {Kind::address, "0.0.0.0:7450"}},
    {"ca", &Listen::ca, {.kind = Kind::path, .required = true}},
    {"cert", &Listen::cert, {.kind = Kind::path, .required = true}},
    {"key", &Listen::key, {.kind = Kind::path, .required = true}},
    {"idle_timeout", &Listen::idle_timeout, {Kind::duration, "120s", 1 * second, 1 * hour}},
    {"handshake_timeout",
     &Listen::handshake_timeout,
     {Kind::duration, "10s", 1 * second, 1 * hour}},
    {"max_frame", &Listen::max_frame, {Kind::size, "16MiB", 1 * KiB, 256 * MiB}},
    {"max_connections", &Listen::max_connections, {Kind::count, "1024", 1, 100'000}},
};

const Key<Fleet> fleet_keys[] = {
    {"timezone", &Fleet::timezone, {Kind::zone, "UTC"}},
};

const Key<Storage> storage_keys[] = {
    {"path", &Storage::path, {Kind::path, "/var/lib/teiten-collector/collector.db"}},
};

const Key<Control> control_keys[] = {
    {"socket", &Control::socket, {Kind::path, "/run/teiten-collector/control.sock"}},
};

const std::vector<Section<CollectorConfig>>& sections() {
  static const std::vector<Section<CollectorConfig>> all = {
      map_section("listen", &CollectorConfig::listen, listen_keys, true),
      value_section<CollectorConfig>("sensors", &CollectorConfig::sensors,
                                     {.kind = Kind::sensor_ids, .required = true}),
      map_section("fleet", &CollectorConfig::fleet, fleet_keys),
      map_section("storage", &CollectorConfig::storage, storage_keys),
      map_section("control", &CollectorConfig::control, control_keys),
      map_section("process", &CollectorConfig::process, process_keys<Process>),
      map_section("log", &CollectorConfig::log, log_keys<Log>),
  };
  return all;
}

}  // namespace

CollectorConfig load_collector_config(const std::string& path) {
  return load_document<CollectorConfig>(path, sections(), [](YamlReader&, CollectorConfig& c) {
    std::string why;
    if (auto hp = parse_host_port(c.listen.address, why)) {
      c.listen.host = hp->host;
      c.listen.port = hp->port;
    }
  });
}

std::vector<KeyInfo> collector_config_keys() {
  return describe_sections<CollectorConfig>(sections());
}

}  // namespace teiten::config
