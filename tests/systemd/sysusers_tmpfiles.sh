#!/usr/bin/env bash
# teiten.sysusers and teiten.tmpfiles applied to an empty root (--root), as
# a package install would apply them: the accounts, their groups, and
# /etc/teiten 0750 root:teiten.
#
# usage: sysusers_tmpfiles.sh SYSUSERS_FILE TMPFILES_FILE
set -euo pipefail
sysusers=$1 tmpfiles=$2
for tool in systemd-sysusers systemd-tmpfiles; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (apt-get install systemd)"; exit 77; }
done
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (tmpfiles sets owners)"; exit 77; }

root=$(mktemp -d /tmp/teiten-sysusers.XXXXXX)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/etc" "$root/usr/lib/sysusers.d" "$root/usr/lib/tmpfiles.d"
cp "$sysusers" "$root/usr/lib/sysusers.d/teiten.conf"
cp "$tmpfiles" "$root/usr/lib/tmpfiles.d/teiten.conf"

failed=0
fail() { echo "FAIL: $*" >&2; failed=1; }
out=$(systemd-sysusers --root="$root" teiten.conf 2>&1) || fail "systemd-sysusers: $out"
warn=$(grep -v "^Creating " <<<"$out" || true)  # it reports what it creates
[ -z "$warn" ] || fail "systemd-sysusers warned: $warn"
out=$(systemd-tmpfiles --root="$root" --create teiten.conf 2>&1) || fail "systemd-tmpfiles: $out"
[ -z "$out" ] || fail "systemd-tmpfiles warned: $out"

field() { awk -F: -v n="$2" -v f="$3" '$1 == n { print $f }' "$root/etc/$1"; }
gid_teiten=$(field group teiten 3)
[ -n "$gid_teiten" ] || fail "group teiten was not created"
for user in teiten-sensor teiten-collector; do
  uid=$(field passwd "$user" 3)
  [ -n "$uid" ] || { fail "user $user was not created"; continue; }
  [ "$uid" -lt 1000 ] || fail "$user has uid $uid, not a system uid"
  [ "$(field passwd "$user" 4)" = "$(field group "$user" 3)" ] || fail "$user's primary group is not $user"
  [ "$(field passwd "$user" 6)" = "/var/lib/$user" ] || fail "$user's home is not /var/lib/$user"
  case "$(field passwd "$user" 7)" in
    */nologin|/bin/false) ;;
    *) fail "$user can log in (shell $(field passwd "$user" 7))" ;;
  esac
  [[ ",$(field group teiten 4)," == *",$user,"* ]] || fail "$user is not a member of group teiten"
  echo "$user: uid $uid, groups $user and teiten, no login"
done

# stat in the root: owner names would be looked up on this host, so compare ids.
read -r mode uid gid < <(stat -c '%a %u %g' "$root/etc/teiten" 2>/dev/null) || fail "/etc/teiten was not created"
[ "${mode:-}" = 750 ] || fail "/etc/teiten has mode ${mode:-?}, not 0750"
[ "${uid:-}" = 0 ] || fail "/etc/teiten is owned by uid ${uid:-?}, not root"
[ "${gid:-}" = "$gid_teiten" ] || fail "/etc/teiten has gid ${gid:-?}, not teiten ($gid_teiten)"
[ "$failed" -ne 0 ] || echo "/etc/teiten: 0750 root:teiten"
exit "$failed"
