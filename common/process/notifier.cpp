#include "common/process/notifier.h"

#include <systemd/sd-daemon.h>

#include <cstdint>

namespace teiten::process {
namespace {

void send(const std::string& state) {
  sd_notify(0, state.c_str());
}

}  // namespace

void Notifier::ready(const std::string& status) {
  send("READY=1\nSTATUS=" + status);
}
void Notifier::status(const std::string& status) {
  send("STATUS=" + status);
}
void Notifier::watchdog() {
  send("WATCHDOG=1");
}
void Notifier::reloading() {
  send("RELOADING=1");
}
void Notifier::stopping(const std::string& status) {
  send("STOPPING=1\nSTATUS=" + status);
}

std::optional<std::chrono::microseconds> Notifier::watchdog_interval() {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::microseconds(usec);
}

}  // namespace teiten::process
