#!/usr/bin/env bash
# `systemd-analyze security --offline=yes` must rate each unit's exposure at
# MAX or lower (2.0 by default: "OK"). Prints the measured level and, when it
# regresses, the settings that cost exposure.
#
# usage: security_exposure.sh MAX UNIT...
set -euo pipefail
max=$1; shift
command -v systemd-analyze >/dev/null || { echo "SKIP: systemd-analyze is not installed (apt-get install systemd)"; exit 77; }

failed=0
for unit in "$@"; do
  name=$(basename "$unit")
  out=$(systemd-analyze security --offline=yes --no-pager "$unit" 2>&1) || true
  level=$(sed -n "s/.*Overall exposure level for $name: \([0-9.]*\).*/\1/p" <<<"$out")
  if [ -z "$level" ]; then
    echo "FAIL: $name: no overall exposure level in the output:" >&2
    echo "$out" >&2
    failed=1
    continue
  fi
  # Offline analysis ignores settings it cannot parse; such warnings are
  # errors here (the unit would run with less protection than it says).
  warnings=$(grep -vE '^(  NAME|[✓✗] |→ |$)' <<<"$out" | grep -v '^  *[A-Z]' || true)
  if [ -n "$warnings" ]; then
    echo "FAIL: $name: systemd-analyze warned:" >&2
    echo "$warnings" >&2
    failed=1
  fi
  if awk -v l="$level" -v m="$max" 'BEGIN { exit !(l + 0 <= m + 0) }'; then
    echo "$name: exposure $level (at most $max)"
  else
    echo "FAIL: $name: exposure $level, above $max. Settings that cost exposure:" >&2
    grep '^✗' <<<"$out" >&2 || true
    failed=1
  fi
done
exit "$failed"
