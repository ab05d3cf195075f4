#!/usr/bin/env bash
# `systemd-analyze verify` of both units as a Debian system would load them:
# the build is installed (DESTDIR, prefix /usr) into a temporary root, which
# gets the few targets the units order against, and the units are verified
# there with --root, so ExecStart= must find the installed binaries. Any
# warning fails the test (systemd-analyze only warns about unknown keys and
# unparsable values, and would ignore them). Also checks that every command
# of an Exec*= line exists in the root or, for /bin/kill, on this system.
#
# usage: verify_units.sh BUILD_DIR
set -euo pipefail
build=$1
command -v systemd-analyze >/dev/null || { echo "SKIP: systemd-analyze is not installed (apt-get install systemd)"; exit 77; }
host_units=
for d in /usr/lib/systemd/system /lib/systemd/system; do
  [ -f "$d/multi-user.target" ] && { host_units=$d; break; }
done
[ -n "$host_units" ] || { echo "SKIP: no systemd targets on this system"; exit 77; }

root=$(mktemp -d /tmp/teiten-verify.XXXXXX)
trap 'rm -rf "$root"' EXIT
DESTDIR=$root cmake --install "$build" --prefix /usr >"$root.log" 2>&1 ||
  { cat "$root.log" >&2; rm -f "$root.log"; echo "FAIL: cmake --install failed" >&2; exit 1; }
rm -f "$root.log"
units=$root/usr/lib/systemd/system
for t in sysinit.target basic.target shutdown.target network-online.target multi-user.target; do
  cp "$host_units/$t" "$units/"
done

failed=0
for unit in teiten-sensor.service teiten-collector.service; do
  [ -f "$units/$unit" ] || { echo "FAIL: $unit was not installed into /usr/lib/systemd/system" >&2; failed=1; continue; }
  # Relative unit names are looked up in the root's unit path.
  out=$(cd / && SYSTEMD_LOG_COLOR=0 systemd-analyze verify --root="$root" --man=no "$unit" 2>&1) && rc=0 || rc=$?
  if [ "$rc" -ne 0 ] || [ -n "$out" ]; then
    echo "FAIL: systemd-analyze verify $unit (exit $rc):" >&2
    echo "${out//$root/}" >&2
    failed=1
  else
    echo "$unit: systemd-analyze verify OK"
  fi
  while read -r cmd; do
    if [ -x "$root$cmd" ] || { [ "$cmd" = /bin/kill ] && [ -x /bin/kill ]; }; then
      echo "$unit: $cmd exists"
    else
      echo "FAIL: $unit runs $cmd, which is not installed" >&2
      failed=1
    fi
  done < <(sed -n 's/^Exec[A-Za-z]*=[-@:+!]*\(\/[^ ]*\).*/\1/p' "$units/$unit" | sort -u)
done
exit "$failed"
