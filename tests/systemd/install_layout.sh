#!/usr/bin/env bash
# The install layout a Debian system expects (cmake/install.cmake):
#  1. DESTDIR=ROOT cmake --install BUILD --prefix /usr puts every file where
#     a package would, with the right modes, and nothing anywhere else; the
#     units, sysusers, tmpfiles, configs and ports.yaml arrive unchanged.
#  2. cmake --install BUILD --prefix DIR relocates everything below DIR,
#     the units' ExecStart= and -c paths included.
#  3. Installing again straight into a prefix keeps an edited configuration.
#
# usage: install_layout.sh BUILD_DIR SOURCE_DIR PROGRAM...
#   PROGRAM: a binary the build installs, relative to the prefix
#            (sbin/teiten-sensor, bin/teiten-synth, ...)
set -euo pipefail
build=$1 src=$2; shift 2
programs=("$@")

work=$(mktemp -d /tmp/teiten-install.XXXXXX)
trap 'rm -rf "$work"' EXIT
failed=0
fail() { echo "FAIL: $*" >&2; failed=1; }
install_to() {  # install_to LOG ARGS...: cmake --install with ARGS, quiet unless it fails
  local log=$1; shift
  cmake --install "$build" "$@" >"$log" 2>&1 || { cat "$log" >&2; fail "cmake --install $* failed"; return 1; }
}
# expect FILE MODE [SOURCE]: FILE exists with MODE (and the content of SOURCE).
expect() {
  local file=$1 mode=$2 source=${3:-} actual
  if [ ! -f "$file" ]; then fail "missing: ${file#"$root"}"; return; fi
  actual=$(stat -c %a "$file")
  [ "$actual" = "$mode" ] || fail "${file#"$root"} has mode $actual, not $mode"
  if [ -n "$source" ] && ! cmp -s "$file" "$source"; then
    fail "${file#"$root"} differs from ${source#"$src"/}"
  fi
}

# 1. The Debian layout.
root=$work/root
DESTDIR=$root install_to "$work/1.log" --prefix /usr || exit 1
declare -A expected=()
for p in "${programs[@]}"; do
  expect "$root/usr/$p" 755
  expected[/usr/$p]=1
  # One completion file serves every program, installed under each name.
  c=/usr/share/bash-completion/completions/$(basename "$p")
  expect "$root$c" 644 "$src/scripts/bash-completion/teiten"
  expected[$c]=1
done
for page in man8/teiten-sensor.8 man8/teiten-collector.8 man1/teitenctl.1 man1/teiten-report.1 \
            man1/teiten-synth.1; do
  expect "$root/usr/share/man/$page" 644
done
while read -r path mode source; do
  expect "$root$path" "$mode" "$src/$source"
  expected[$path]=1
done <<EOF
/usr/lib/systemd/system/teiten-sensor.service     644 systemd/teiten-sensor.service
/usr/lib/systemd/system/teiten-collector.service  644 systemd/teiten-collector.service
/usr/lib/sysusers.d/teiten.conf                   644 systemd/teiten.sysusers
/usr/lib/tmpfiles.d/teiten.conf                   644 systemd/teiten.tmpfiles
/etc/teiten/sensor.yaml                           644 config/sensor.yaml
/etc/teiten/collector.yaml                        644 config/collector.yaml
/usr/share/doc/teiten/examples/sensor.yaml        644 config/sensor.yaml
/usr/share/doc/teiten/examples/collector.yaml     644 config/collector.yaml
/usr/share/teiten/ports.yaml                      644 config/ports.yaml
/usr/share/teiten/make-certs                      755 scripts/make-certs
/usr/share/doc/teiten/README.md                   644 README.md
/usr/share/doc/teiten/operations.md               644 docs/operations.md
/usr/share/doc/teiten/systemd.md                  644 systemd/README.md
/usr/share/doc/teiten/LICENSE                     644 LICENSE
EOF
for doc in "$src"/docs/*.md; do
  expect "$root/usr/share/doc/teiten/$(basename "$doc")" 644 "$doc"
done
# Nothing outside the expected places (a stray /usr/etc, /usr/local, a
# library or header would show here).
while read -r file; do
  path=${file#"$root"}
  [ -n "${expected[$path]:-}" ] && continue
  case "$path" in /usr/share/doc/teiten/* | /usr/share/man/man[1-8]/*) continue ;; esac
  fail "unexpected file installed: $path (a new install rule? add it to this test's list)"
done < <(find "$root" -type f -o -type l)
[ "$failed" -ne 0 ] || echo "DESTDIR install with prefix /usr: $(find "$root" -type f | wc -l) files, Debian layout"

# 2. Relocated with --prefix: nothing outside DIR, units point into DIR.
prefix=$work/prefix
install_to "$work/2.log" --prefix "$prefix" || exit 1
for p in "${programs[@]}"; do [ -x "$prefix/$p" ] || fail "--prefix: missing $p"; done
for name in sensor collector; do
  unit=$prefix/lib/systemd/system/teiten-$name.service
  [ -f "$unit" ] || { fail "--prefix: missing lib/systemd/system/teiten-$name.service"; continue; }
  grep -qx "ExecStart=$prefix/sbin/teiten-$name -c $prefix/etc/teiten/$name.yaml" "$unit" ||
    fail "--prefix: $(basename "$unit") has $(grep '^ExecStart=' "$unit")"
  grep -Eq '(^|[ =])(/usr/sbin/|/etc/teiten/)' "$unit" && fail "--prefix: $(basename "$unit") still names /usr/sbin or /etc/teiten"
  [ -f "$prefix/etc/teiten/$name.yaml" ] || fail "--prefix: missing etc/teiten/$name.yaml"
done
[ -f "$prefix/share/teiten/ports.yaml" ] || fail "--prefix: missing share/teiten/ports.yaml"
[ "$failed" -ne 0 ] || echo "install with --prefix DIR: relocated, units point into DIR"

# 3. A reinstall keeps the operator's configuration.
echo "# edited by the operator" >>"$prefix/etc/teiten/sensor.yaml"
install_to "$work/3.log" --prefix "$prefix" || exit 1
grep -q '^# edited by the operator$' "$prefix/etc/teiten/sensor.yaml" ||
  fail "reinstalling overwrote an edited etc/teiten/sensor.yaml"
[ "$failed" -ne 0 ] || echo "reinstall: edited configuration kept"
exit "$failed"
