#!/usr/bin/env bash
# The units against what the daemons really do. Runs teiten-sensor (live
# capture on a veth interface in a private network namespace, shipping over
# TLS) and teiten-collector as systemd would run them: as an unprivileged
# user (nobody here) with no new privileges, the sensor with CAP_NET_RAW as
# its only (ambient) capability and the collector with none, each with a
# notify socket and WATCHDOG_USEC. A second namespace sends the sensor a few
# probes. Then, by MODE:
#
# sandbox (under strace):
#   - every socket family either daemon opened is in its unit's
#     RestrictAddressFamilies= (else the unit would break it: EAFNOSUPPORT);
#   - with ProcSubset=pid, neither read anything in /proc but its own
#     process directories (/proc/self, /proc/<pid>);
#   - neither opened a file for writing outside its state and runtime
#     directories (ProtectSystem=strict makes everything else read-only);
#   - every system call either daemon made is allowed by its unit's
#     SystemCallFilter= lines (else it would fail with EPERM);
#   - the capture worked: the sensor's rollup counts the probes.
# notify (Type=notify, WatchdogSec=, ExecReload=kill -HUP, SIGTERM):
#   - each daemon sends READY=1, then WATCHDOG=1 at least every
#     WATCHDOG_USEC/2, survives SIGHUP (and says READY=1 again after it),
#     and sends STOPPING=1 and exits 0 on SIGTERM.
#
# Needs root, network namespaces, strace, setpriv, python3, openssl and
# sqlite3; exits 77 (skipped) without them.
#
# usage: service_run.sh sandbox|notify SENSOR_BIN COLLECTOR_BIN UNIT_DIR MAKE_CERTS
set -euo pipefail

mode=$1 sensor_bin=$2 collector_bin=$3 unit_dir=$4 make_certs=$5
case "$mode" in sandbox|notify) ;; *) echo "usage: $0 sandbox|notify SENSOR COLLECTOR UNIT_DIR MAKE_CERTS" >&2; exit 2 ;; esac

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; failed=1; }
failed=0

[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces, CAP_NET_RAW)"
for tool in strace ip setpriv python3 openssl sqlite3; do
  command -v "$tool" >/dev/null || skip "$tool is not installed"
done
for bin in "$sensor_bin" "$collector_bin"; do
  [ -x "$bin" ] || { echo "FAIL: $bin is not built" >&2; exit 1; }
done

work=$(mktemp -d /tmp/teiten-run.XXXXXX)
chmod 0755 "$work"
uid=65534 gid=65534  # nobody, nogroup
suffix=$$
ns=teiten-run-$suffix      # sensor and collector
peer=teiten-runp-$suffix   # the scanner
pids=()
cleanup() {
  local p c
  for p in "${pids[@]}"; do
    for c in $(pgrep -P "$p" || true); do kill -KILL "$c" 2>/dev/null || true; done  # a traced daemon
    kill -KILL "$p" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  ip netns del "$peer" 2>/dev/null || true
  if [ "$failed" -eq 0 ] && [ -z "${KEEP_WORK:-}" ]; then rm -rf "$work"; else echo "work: $work"; fi
}
trap cleanup EXIT

ip netns add "$ns" 2>/dev/null || skip "cannot create network namespaces"
ip netns add "$peer"
ip -n "$ns" link add tafs0 type veth peer name tafp0 netns "$peer"
ip -n "$ns" link set lo up
ip -n "$ns" addr add 192.0.2.10/24 dev tafs0
ip -n "$ns" link set tafs0 up
ip -n "$peer" addr add 192.0.2.20/24 dev tafp0
ip -n "$peer" link set tafp0 up

"$make_certs" "$work/etc/pki" s01 >/dev/null
mkdir -p "$work/state-s" "$work/run-s" "$work/state-c" "$work/run-c"
cat >"$work/etc/collector.yaml" <<EOF
listen: {address: "127.0.0.1:7450", ca: pki/ca.pem, cert: pki/collector.pem, key: pki/collector.key}
sensors: [s01]
storage: {path: $work/state-c/collector.db}
control: {socket: $work/run-c/control.sock}
EOF
cat >"$work/etc/sensor.yaml" <<EOF
sensor: {id: s01}
capture: {interface: tafs0, promiscuous: true}
storage: {path: $work/state-s/sensor.db, flush_interval: 1s}
collector: {address: "localhost:7450", ca: pki/ca.pem, cert: pki/s01.pem, key: pki/s01.key}
control: {socket: $work/run-s/control.sock}
EOF
chown -R "$uid:$gid" "$work/etc" "$work"/state-? "$work"/run-?

# sandbox: every system call; notify: what shows the daemon is up.
trace=all
[ "$mode" = sandbox ] || trace=socket,open,openat,creat
watchdog_usec=2000000
# notify_listener NAME: receives NAME's sd_notify datagrams, one per line
# ("|" between assignments) into NAME.notify.
notify_listener() {
  local sock=$work/$1.notify.sock
  python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o777)
with open(sys.argv[2], "a", buffering=1) as out:
    while True:
        out.write(s.recv(65536).decode(errors="replace").strip().replace("\n", "|") + "\n")
' "$sock" "$work/$1.notify" &
  pids+=($!)
  wait_for_socket "$sock"
}
wait_for_socket() {
  local i
  for ((i = 0; i < 50; i++)); do [ -S "$1" ] && return 0; sleep 0.1; done
  fail "notify listener $1 did not start"
}
# start NAME BIN CAPS: runs the daemon as nobody with only the capabilities
# CAPS (",+net_raw" or ""), under strace, in the namespace, in the background.
start() {
  local name=$1 bin=$2 caps=$3
  : >"$work/$name.strace"
  : >"$work/$name.notify"
  chown "$uid:$gid" "$work/$name.strace"
  notify_listener "$name"
  # In the sanitizer build (scripts/test --sanitize) LeakSanitizer cannot
  # stop a traced process's threads at exit ("LeakSanitizer does not work
  # under ptrace") and ends it with 86: no leak check under strace, every
  # other ASan check stays on (the last detect_leaks wins).
  ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
  NOTIFY_SOCKET=$work/$name.notify.sock WATCHDOG_USEC=$watchdog_usec \
  ip netns exec "$ns" setpriv --reuid="$uid" --regid="$gid" --clear-groups --no-new-privs \
    --inh-caps="-all$caps" --ambient-caps="-all$caps" --bounding-set="-all$caps" \
    strace -f -qq -e trace=$trace -o "$work/$name.strace" \
    "$bin" -c "$work/etc/$name.yaml" >"$work/$name.log" 2>&1 &
  pids+=($!)
}
# Waits until the file contains the pattern (at most $3 seconds).
wait_for() {
  local file=$1 pattern=$2 i
  for ((i = 0; i < $3 * 10; i++)); do
    grep -q "$pattern" "$file" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
# The daemon traced by strace process $1.
daemon_of() { pgrep -P "$1" || true; }
# Stops the daemon traced by strace process $1 with SIGTERM, as systemd
# would, and records its exit status in NAME.exit.
stop() {
  local tracer=$1 name=$2 child i
  child=$(daemon_of "$tracer")
  [ -n "$child" ] && kill -TERM "$child" 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do
    if ! kill -0 "$tracer" 2>/dev/null; then
      wait "$tracer" && echo 0 >"$work/$name.exit" || echo $? >"$work/$name.exit"
      return 0
    fi
    sleep 0.1
  done
  fail "$name did not stop within 30 s of SIGTERM"
}

start collector "$collector_bin" ""
collector_tracer=${pids[-1]}
wait_for "$work/collector.strace" 'AF_INET' 10 || fail "collector did not open its listener"
wait_for "$work/collector.notify" '^READY=1\|[|]READY=1' 10 || true
start sensor "$sensor_bin" ",+net_raw"
sensor_tracer=${pids[-1]}
wait_for "$work/sensor.strace" 'AF_PACKET' 15 || fail "sensor did not open a packet socket"
wait_for "$work/sensor.notify" '^READY=1\|[|]READY=1' 10 || true
sleep 2

# The scanner, with bash alone: SYNs to 445/tcp (refused by the kernel) and
# datagrams to 5060/udp.
for _ in 1 2; do
  ip netns exec "$peer" timeout 2 bash -c 'exec 3<>/dev/tcp/192.0.2.10/445' 2>/dev/null || true
  ip netns exec "$peer" bash -c 'echo OPTIONS >/dev/udp/192.0.2.10/5060' 2>/dev/null || true
done
sleep 3

if [ "$mode" = notify ]; then
  # systemctl reload: ExecReload= sends SIGHUP; the daemon must live on.
  for tracer in "$sensor_tracer" "$collector_tracer"; do
    child=$(daemon_of "$tracer")
    [ -n "$child" ] && kill -HUP "$child"
  done
  sleep 2
  for name in sensor collector; do
    tracer=${name}_tracer
    [ -n "$(daemon_of "${!tracer}")" ] || fail "$name died on SIGHUP (ExecReload=/bin/kill -HUP \$MAINPID)"
  done
fi

stop "$sensor_tracer" sensor
stop "$collector_tracer" collector
sleep 0.5  # the last datagrams

echo "--- sensor log (tail)"; tail -n 5 "$work/sensor.log" || true
echo "--- collector log (tail)"; tail -n 5 "$work/collector.log" || true

# Families as strace prints them: socket(AF_PACKET, ...
families() { grep -o 'socket(AF_[A-Z0-9]*' "$1" | sed 's/socket(//' | sort -u | tr '\n' ' '; }
# RestrictAddressFamilies= of a unit (allow list; a deny list is not supported here).
allowed() {
  local v
  v=$(sed -n 's/^RestrictAddressFamilies=//p' "$1" | tr '\n' ' ')
  case "$v" in "~"*) echo "unsupported deny list in $1" >&2; return 1 ;; esac
  echo "$v"
}

# The system calls a filter group stands for, nested groups expanded.
expand_group() {
  local entry
  for entry in $(systemd-analyze syscall-filter "$1" | sed -n 's/^    \([^#].*\)$/\1/p'); do
    case "$entry" in @*) expand_group "$entry" ;; *) echo "$entry" ;; esac
  done
}
# The system calls a unit's SystemCallFilter= lines allow: an allow list,
# then lines with "~" taking groups away and lines without adding them.
allowed_syscalls() {
  local line first=1 item
  declare -A set=()
  while read -r line; do
    local deny=0
    case "$line" in "~"*) deny=1; line=${line#\~} ;; esac
    if [ "$first" -eq 1 ] && [ "$deny" -eq 1 ]; then echo "deny-list filters are not supported" >&2; return 1; fi
    first=0
    for item in $line; do
      for item in $( case "$item" in @*) expand_group "$item" ;; *) echo "$item" ;; esac ); do
        if [ "$deny" -eq 1 ]; then unset "set[$item]"; else set[$item]=1; fi
      done
    done
  done < <(sed -n 's/^SystemCallFilter=//p' "$1")
  printf '%s\n' "${!set[@]}"
}

check_unit() {
  local name=$1 unit=$2 used allow fam path
  used=$(families "$work/$name.strace")
  allow=$(allowed "$unit")
  echo "$name: opened socket families: $used"
  echo "$name: RestrictAddressFamilies=$allow"
  [ -n "$used" ] || fail "$name: strace saw no socket() call at all"
  for fam in $used; do
    [[ " $allow " == *" $fam "* ]] ||
      fail "$name opened an $fam socket, which $(basename "$unit") does not allow (RestrictAddressFamilies=)"
  done
  if grep -q '^ProcSubset=pid' "$unit"; then
    while read -r path; do
      [ -n "$path" ] && fail "$name read $path, hidden by ProcSubset=pid in $(basename "$unit")"
    # glibc's malloc reads overcommit_memory when a thread's heap may shrink
    # (arena.c, check_may_shrink_heap) and falls back when it cannot: harmless.
    done < <(grep -o '"/proc/[^"]*"' "$work/$name.strace" | tr -d '"' |
             grep -Ev '^/proc/(self|thread-self|[0-9]+)(/|$)' |
             grep -vx '/proc/sys/vm/overcommit_memory' | sort -u)
  fi
  if grep -q '^SystemCallFilter=' "$unit"; then
    local calls denied
    calls=$(sed -n 's/^[0-9]* *\([a-z_0-9]*\)(.*/\1/p' "$work/$name.strace" | sort -u)
    echo "$name: $(wc -w <<<"$calls") distinct system calls"
    denied=$(comm -23 <(echo "$calls") <(allowed_syscalls "$unit" | sort -u) | tr '\n' ' ')
    [ -z "$denied" ] || fail "$name made system calls that $(basename "$unit")'s SystemCallFilter= refuses: $denied"
  fi
  if grep -q '^ProtectSystem=strict' "$unit"; then
    while read -r path; do
      [ -n "$path" ] && fail "$name opened $path for writing, read-only under ProtectSystem=strict"
    done < <(grep -E 'O_(WRONLY|RDWR|CREAT)|creat\(' "$work/$name.strace" | grep -v ' = -1 ' |
             grep -o '"/[^"]*"' | tr -d '"' | grep -v "^$work/" |
             grep -Ev '^/dev/(null|zero|full|u?random|tty|pts/)' | sort -u)
  fi
}
# check_notify NAME: the notify protocol as the unit expects it.
check_notify() {
  local name=$1 file=$work/$1.notify n
  echo "$name: notify messages: $(cut -c1-60 "$file" | sort | uniq -c | sed 's/^ *//' | tr '\n' ';')"
  grep -Eq '(^|[|])READY=1($|[|])' "$file" || fail "$name never sent READY=1 (Type=notify: the start would time out)"
  n=$(grep -Ec '(^|[|])WATCHDOG=1($|[|])' "$file" || true)
  # At least one ping per WATCHDOG_USEC/2 of the ~8 s the daemons ran.
  [ "$n" -ge 3 ] || fail "$name sent WATCHDOG=1 $n times in ~8 s with WATCHDOG_USEC=$watchdog_usec (WatchdogSec= would kill it)"
  if [ "$mode" = notify ]; then
    grep -Eq '(^|[|])STOPPING=1($|[|])' "$file" || fail "$name did not send STOPPING=1 on SIGTERM"
    [ "$(grep -Ec '(^|[|])READY=1($|[|])' "$file")" -ge 2 ] || fail "$name did not send READY=1 again after the reload"
    [ "$(cat "$work/$name.exit" 2>/dev/null)" = 0 ] ||
      fail "$name exited with status $(cat "$work/$name.exit" 2>/dev/null) on SIGTERM, not 0 (Restart=on-failure would restart it)"
  fi
}

if [ "$mode" = notify ]; then
  check_notify sensor
  check_notify collector
  [ "$failed" -eq 0 ] && echo "PASS"
  exit "$failed"
fi

check_unit sensor "$unit_dir/teiten-sensor.service"
check_unit collector "$unit_dir/teiten-collector.service"

# The capture itself worked inside these limits.
rows=$(sqlite3 -readonly "$work/state-s/sensor.db" \
  "SELECT proto || '/' || port || ' ' || kind || ' ' || accesses FROM rollup WHERE src = '192.0.2.20' ORDER BY proto, port" 2>&1) ||
  fail "cannot read the sensor's rollup: $rows"
echo "sensor rollup rows from the scanner: ${rows//$'\n'/; }"
grep -q '^udp/5060 probe ' <<<"$rows" || fail "the sensor did not count the datagrams to 5060/udp"
grep -q '^tcp/445 probe ' <<<"$rows" || fail "the sensor did not count the SYNs to 445/tcp"

[ "$failed" -eq 0 ] && echo "PASS"
exit "$failed"
