// The environment half of `-t`: what the file names must exist outside it.
// Everything here only looks (stat, open for reading, interface lookup);
// creating the missing directory is the daemon's job, not the check's.
#include <grp.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "common/config/collector_config.h"
#include "common/config/sensor_config.h"
#include "common/config/tls_check.h"
#include "common/config/value_rules.h"

namespace teiten::config {
namespace {

namespace fs = std::filesystem;

// if_nametoindex knows kernel interfaces; libpcap also captures on pseudo
// devices ("any", nflog) that only its own list names.
bool interface_exists(const std::string& name) {
  if (if_nametoindex(name.c_str()) != 0) return true;
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  pcap_if_t* devices = nullptr;
  if (pcap_findalldevs(&devices, errbuf) != 0) return false;
  bool found = false;
  for (pcap_if_t* d = devices; d && !found; d = d->next) found = d->name && name == d->name;
  pcap_freealldevs(devices);
  return found;
}

// A database, socket or metrics file: its directory must exist, or be creatable
// because its parent exists (systemd's StateDirectory/RuntimeDirectory, or
// the daemon, makes the last level).
void check_file_location(const SourceMarks& marks, const std::string& key, const std::string& path,
                         std::vector<ConfigError>& out) {
  std::error_code ec;
  const fs::path file(path);
  if (fs::is_directory(file, ec)) {
    out.push_back(marks.error_at(key, path + " is a directory; name a file inside it"));
    return;
  }
  const fs::path dir = file.parent_path().empty() ? fs::path(".") : file.parent_path();
  auto status = fs::status(dir, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) {
    out.push_back(marks.error_at(key, "cannot inspect " + dir.string() + ": " + ec.message()));
    return;
  }
  if (fs::exists(status)) {
    if (!fs::is_directory(status))
      out.push_back(marks.error_at(key, dir.string() + " is not a directory"));
    return;
  }
  const fs::path parent = dir.parent_path();
  if (!fs::is_directory(parent, ec))
    out.push_back(marks.error_at(key, "directory " + dir.string() +
                                          " does not exist, and neither does " + parent.string() +
                                          " to create it in"));
}

bool is_number(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool user_exists(const std::string& name) {
  passwd entry{}, *result = nullptr;
  std::vector<char> buffer(16384);
  return (getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &result) == 0 && result) ||
         is_number(name);
}

bool group_exists(const std::string& name) {
  group entry{}, *result = nullptr;
  std::vector<char> buffer(16384);
  return (getgrnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &result) == 0 && result) ||
         is_number(name);
}

// process.user and process.group only matter to a daemon started as root,
// so only then is a missing account an error.
void check_process(const SourceMarks& marks, const std::string& user, const std::string& group,
                   std::vector<ConfigError>& out) {
  if (geteuid() != 0) return;
  if (!user.empty() && !user_exists(user))
    out.push_back(marks.error_at("process.user", "no such user '" + user + "'"));
  if (!group.empty() && !group_exists(group))
    out.push_back(marks.error_at("process.group", "no such group '" + group + "'"));
}

void check_level(const SourceMarks& marks, const std::string& level,
                 std::vector<ConfigError>& out) {
  if (!is_log_level(level))
    out.push_back(marks.error_at("log.level", "unknown log level '" + level + "'"));
}

std::vector<ConfigError> in_file_order(std::vector<ConfigError> errors) {
  std::stable_sort(errors.begin(), errors.end(), [](const ConfigError& a, const ConfigError& b) {
    return std::pair{a.line, a.column} < std::pair{b.line, b.column};
  });
  return errors;
}

}  // namespace

std::vector<ConfigError> check_sensor_environment(const SensorConfig& c, SensorMode mode) {
  std::vector<ConfigError> out;
  const SourceMarks& marks = c.marks;
  if (mode == SensorMode::live && !c.capture.interface.empty() &&
      !interface_exists(c.capture.interface))
    out.push_back(
        marks.error_at("capture.interface", "no such interface '" + c.capture.interface + "'"));
  check_file_location(marks, "storage.path", c.storage.path, out);
  if (c.collector.enabled)
    detail::check_tls_files(
        marks, {"collector", c.collector.ca, c.collector.cert, c.collector.key, c.sensor.id}, out);
  check_file_location(marks, "control.socket", c.control.socket, out);
  if (!c.metrics.textfile.empty())
    check_file_location(marks, "metrics.textfile", c.metrics.textfile, out);
  check_process(marks, c.process.user, c.process.group, out);
  check_level(marks, c.log.level, out);
  return in_file_order(std::move(out));
}

std::vector<ConfigError> check_collector_environment(const CollectorConfig& c) {
  std::vector<ConfigError> out;
  const SourceMarks& marks = c.marks;
  // Sensors verify the collector's certificate against their own CA and
  // the address they dial, which this file does not know; so no name check.
  detail::check_tls_files(marks, {"listen", c.listen.ca, c.listen.cert, c.listen.key, ""}, out);
  // A PostgreSQL store (path empty) is checked by the collector, which links libpq.
  if (!c.storage.path.empty()) check_file_location(marks, "storage.path", c.storage.path, out);
  check_file_location(marks, "control.socket", c.control.socket, out);
  if (!c.metrics.textfile.empty())
    check_file_location(marks, "metrics.textfile", c.metrics.textfile, out);
  check_process(marks, c.process.user, c.process.group, out);
  check_level(marks, c.log.level, out);
  return in_file_order(std::move(out));
}

}  // namespace teiten::config
