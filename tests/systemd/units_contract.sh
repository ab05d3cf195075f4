#!/usr/bin/env bash
# What the units promise the daemons and the operators (README.md,
# docs/operations.md, systemd/README.md), checked line by line, and checked against the
# defaults of the example configurations: the database lies in the unit's
# StateDirectory=, the control socket in its RuntimeDirectory=, and the two
# daemons never share either.
#
# usage: units_contract.sh SOURCE_DIR
set -euo pipefail
src=$1
failed=0
fail() { echo "FAIL: $*" >&2; failed=1; }

# has UNIT LINE...: each LINE appears in UNIT exactly as given.
has() {
  local unit=$1 line; shift
  for line in "$@"; do
    grep -qxF -- "$line" "$src/systemd/$unit" || fail "$unit lacks: $line"
  done
}
# lacks UNIT REGEX...: no line of UNIT matches.
lacks() {
  local unit=$1 re; shift
  for re in "$@"; do
    if grep -qE -- "$re" "$src/systemd/$unit"; then fail "$unit must not have: $(grep -E -- "$re" "$src/systemd/$unit")"; fi
  done
}
# The commented default of KEY in a config/*.yaml file ("  #key: value").
default_of() { sed -n "s/^  #$2: *//p" "$src/config/$1" | head -n 1; }

common=(
  "Type=notify" "NotifyAccess=main" "WatchdogSec=60s" "Restart=on-failure" "TimeoutStopSec=90s"
  "Group=teiten" "UMask=0027" "RuntimeDirectoryMode=0750" "StateDirectoryMode=0750"
  "ConfigurationDirectory=teiten" "ConfigurationDirectoryMode=0750" "NoNewPrivileges=yes"
  "ProtectSystem=strict" "ProtectHome=yes" "PrivateTmp=yes" "PrivateDevices=yes"
  "DevicePolicy=closed" "ProtectKernelTunables=yes" "ProtectKernelModules=yes"
  "ProtectKernelLogs=yes" "ProtectControlGroups=yes" "ProtectClock=yes" "ProtectHostname=yes"
  "ProtectProc=invisible" "RestrictNamespaces=yes" "RestrictRealtime=yes"
  "RestrictSUIDSGID=yes" "LockPersonality=yes" "MemoryDenyWriteExecute=yes" "RemoveIPC=yes"
  "KeyringMode=private" "SystemCallArchitectures=native" "SystemCallFilter=@system-service"
  "SystemCallFilter=~@privileged @resources" "WantedBy=multi-user.target"
)
declare -A state runtime
for name in sensor collector; do
  unit=teiten-$name.service
  [ -f "$src/systemd/$unit" ] || { fail "missing systemd/$unit"; continue; }
  has "$unit" "${common[@]}"
  has "$unit" \
    "ExecStartPre=/usr/sbin/teiten-$name -c /etc/teiten/$name.yaml -t$([ $name = sensor ] || echo ' --no-connect')" \
    "ExecStart=/usr/sbin/teiten-$name -c /etc/teiten/$name.yaml" \
    "ExecReload=/bin/kill -HUP \$MAINPID" \
    "User=teiten-$name" "RuntimeDirectory=teiten-$name" "StateDirectory=teiten-$name"
  # Nothing may quietly loosen the sandbox further down the file.
  lacks "$unit" '^(PrivateTmp|ProtectHome|NoNewPrivileges|MemoryDenyWriteExecute)=(no|false)' \
    '^(User|Group)=root$' '^DynamicUser=' '^PermissionsStartOnly='
  state[$name]=$(sed -n 's/^StateDirectory=//p' "$src/systemd/$unit")
  runtime[$name]=$(sed -n 's/^RuntimeDirectory=//p' "$src/systemd/$unit")

  # The example configuration's defaults live in this unit's directories.
  db=$(default_of "$name.yaml" path)
  sock=$(default_of "$name.yaml" socket)
  [ "$(dirname "$db")" = "/var/lib/${state[$name]}" ] ||
    fail "config/$name.yaml's default storage.path $db is not in StateDirectory=${state[$name]}"
  [ "$(dirname "$sock")" = "/run/${runtime[$name]}" ] ||
    fail "config/$name.yaml's default control.socket $sock is not in RuntimeDirectory=${runtime[$name]}"
  echo "$unit: database $db, control socket $sock"
done
[ "${state[sensor]:-}" != "${state[collector]:-}" ] || fail "sensor and collector share StateDirectory="
[ "${runtime[sensor]:-}" != "${runtime[collector]:-}" ] || fail "sensor and collector share RuntimeDirectory="

# The sensor: CAP_NET_RAW and nothing else; no user namespace (capabilities
# in one do not reach the host's network namespace).
has teiten-sensor.service "AmbientCapabilities=CAP_NET_RAW" "CapabilityBoundingSet=CAP_NET_RAW"
lacks teiten-sensor.service '^PrivateUsers=(yes|true|1)' '^PrivateNetwork=(yes|true|1)'
grep -q '^RestrictAddressFamilies=.*AF_PACKET' "$src/systemd/teiten-sensor.service" ||
  fail "teiten-sensor.service must allow AF_PACKET"
# The collector: no capability at all, no packet sockets.
has teiten-collector.service "CapabilityBoundingSet=" "AmbientCapabilities="
grep -q '^RestrictAddressFamilies=.*AF_PACKET' "$src/systemd/teiten-collector.service" &&
  fail "teiten-collector.service must not allow AF_PACKET"

[ "$failed" -ne 0 ] || echo "PASS"
exit "$failed"
