// teiten::process::Notifier — the daemons' side of systemd's notify
// protocol (Type=notify): READY=1, STATUS=, WATCHDOG=1, RELOADING=1,
// STOPPING=1, through libsystemd's sd_notify. Outside systemd (no
// NOTIFY_SOCKET) every call is a cheap no-op. Thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace teiten::process {

class Notifier {
 public:
  void ready(const std::string& status);
  void status(const std::string& status);
  void watchdog();
  void reloading();
  void stopping(const std::string& status);
  /// WatchdogSec of the unit, when the watchdog is enabled for this process.
  static std::optional<std::chrono::microseconds> watchdog_interval();
};

}  // namespace teiten::process
