#!/usr/bin/env bash
# Removes the Edge gateway service installed by deploy/install.sh.
#
#   deploy/uninstall.sh [--root DIR] [--purge]
#
# Keeps the data (/var/lib/edge-gateway: the log) and the configuration (/etc/edge-gateway) unless --purge, which
# also removes the service user. --root as for install.sh.
set -euo pipefail

root=/
purge=false
user=edge-gateway
die() { echo "uninstall.sh: $*" >&2; exit 1; }
while (($#)); do
  case $1 in
    --root) root=${2:?--root needs a directory}; shift 2 ;;
    --purge) purge=true; shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[ "$(id -u)" = 0 ] || die "run as root"
[ -d "$root" ] || die "$root does not exist"
root=$(cd "$root" && pwd)
r=${root%/}
live=false
[ "$root" = / ] && live=true

if $live && [ -d /run/systemd/system ]; then
  systemctl disable --now edge-gateway 2>/dev/null || true
fi
rm -f "$r/lib/systemd/system/edge-gateway.service"
rm -rf "$r/opt/edge-gateway" "$r/opt/edge-gateway.new" "$r/usr/share/doc/edge-gateway"
if $live && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi

if $purge; then
  rm -rf "$r/etc/edge-gateway" "$r/var/lib/edge-gateway"
  if grep -q "^$user:" "$r/etc/passwd" 2>/dev/null; then
    if $live; then userdel "$user"; else userdel --root "$root" "$user"; fi
  fi
  echo "removed edge-gateway, its configuration, its data and its user"
else
  echo "removed edge-gateway; kept $r/etc/edge-gateway and the data in $r/var/lib/edge-gateway (--purge removes them)"
fi
