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
using Metrics = CollectorConfig::Metrics;

constexpr auto hot = Reload::hot;
constexpr auto restart = Reload::restart;

// Every key of teiten-collector's file: name, field, kind, default (as
// YAML), range, and whether config-reload applies it (hot) or it waits for
// a restart. config/collector.yaml mirrors these rows; tests check it does.
// The listener and its TLS context are made once, before privileges go;
// the limits apply to the next connection or frame.
const Key<Listen> listen_keys[] = {
    {"address", &Listen::address, {Kind::address, "0.0.0.0:7450"}, restart},
    {"ca", &Listen::ca, {.kind = Kind::path, .required = true}, restart},
    {"cert", &Listen::cert, {.kind = Kind::path, .required = true}, restart},
    {"key", &Listen::key, {.kind = Kind::path, .required = true}, restart},
    {"idle_timeout", &Listen::idle_timeout, {Kind::duration, "120s", 1 * second, 1 * hour}, hot},
    {"handshake_timeout",
     &Listen::handshake_timeout,
     {Kind::duration, "5s", 1 * second, 1 * hour},
     hot},
    {"max_frame", &Listen::max_frame, {Kind::size, "16MiB", 1 * KiB, 256 * MiB}, hot},
    {"max_connections", &Listen::max_connections, {Kind::count, "1024", 1, 100'000}, hot},
    // Peers that have not identified themselves get a bounded share of the
    // slots, and few per address, so idle connections cannot lock sensors out.
    {"max_unauthenticated", &Listen::max_unauthenticated, {Kind::count, "256", 1, 100'000}, hot},
    {"max_unauthenticated_per_address",
     &Listen::max_unauthenticated_per_address,
     {Kind::count, "8", 1, 100'000},
     hot},
    {"frame_memory", &Listen::frame_memory, {Kind::size, "256MiB", 1 * MiB, 64 * GiB}, hot},
};

// Every stored day is a day of this zone.
const Key<Fleet> fleet_keys[] = {
    {"timezone", &Fleet::timezone, {Kind::zone, "UTC"}, restart},
};

// Exactly one of path (SQLite) and postgres (docs/postgresql.md); the
// store is opened once, at start.
const Key<Storage> storage_keys[] = {
    {"path", &Storage::path, {Kind::path, "/var/lib/teiten-collector/collector.db"}, restart},
    {"postgres", &Storage::postgres, {Kind::text}, restart},
    {"password_file", &Storage::password_file, {Kind::path}, restart},
};

const Key<Control> control_keys[] = {
    {"socket", &Control::socket, {Kind::path, "/run/teiten-collector/control.sock"}, restart},
};

const std::vector<Section<CollectorConfig>>& sections() {
  static const std::vector<Section<CollectorConfig>> all = {
      map_section("listen", &CollectorConfig::listen, listen_keys, true),
      // The allowlist applies at once: a sensor taken off it is disconnected.
      value_section<CollectorConfig>("sensors", &CollectorConfig::sensors,
                                     {.kind = Kind::sensor_ids, .required = true}, hot),
      map_section("fleet", &CollectorConfig::fleet, fleet_keys),
      map_section("storage", &CollectorConfig::storage, storage_keys),
      map_section("control", &CollectorConfig::control, control_keys),
      map_section("metrics", &CollectorConfig::metrics, metrics_keys<Metrics>),
      map_section("process", &CollectorConfig::process, process_keys<Process>),
      map_section("log", &CollectorConfig::log, log_keys<Log>),
  };
  return all;
}

// path has a default, so "exactly one" means: postgres written replaces
// it, and writing both is a mistake to point at.
void check_storage_keys(YamlReader& r, Storage& s) {
  const auto& written = r.marks().positions;
  if (written.contains("storage.postgres")) {
    if (written.contains("storage.path"))
      r.error_at_value("storage.postgres",
                       "exactly one of storage.path (SQLite) and storage.postgres may be set");
    else if (s.postgres.empty() && !r.failed("storage.postgres"))
      r.error_at_value("storage.postgres",
                       "is empty (expected a libpq connection string or postgresql:// URI)");
    s.path.clear();
  } else if (written.contains("storage.password_file")) {
    r.error_at_value("storage.password_file", "is only for storage.postgres");
  }
}

}  // namespace

CollectorConfig load_collector_config(const std::string& path) {
  return load_document<CollectorConfig>(
      YamlReader(path), sections(), [](YamlReader& r, CollectorConfig& c) {
        check_storage_keys(r, c.storage);
        std::string why;
        if (auto hp = parse_host_port(c.listen.address, why)) {
          c.listen.host = hp->host;
          c.listen.port = hp->port;
        }
        // A frame the budget cannot hold could never be received.
        if (c.listen.frame_memory < c.listen.max_frame && !r.failed("listen.frame_memory") &&
            !r.failed("listen.max_frame"))
          r.error_at_value("listen.frame_memory", format_size(c.listen.frame_memory) +
                                                      " is less than listen.max_frame (" +
                                                      format_size(c.listen.max_frame) + ")");
      });
}

std::vector<KeyInfo> collector_config_keys() {
  return describe_sections<CollectorConfig>(sections());
}

std::vector<KeyChange> changed_keys(const CollectorConfig& running, const CollectorConfig& fresh) {
  return compare_sections<CollectorConfig>(sections(), running, fresh, nullptr);
}

CollectorConfig with_hot_keys(const CollectorConfig& running, const CollectorConfig& fresh) {
  return with_hot_keys_of<CollectorConfig>(sections(), running, fresh);
}

}  // namespace teiten::config
