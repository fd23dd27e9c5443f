#!/usr/bin/env bash
# Installs (or upgrades) the Edge gateway as the systemd service edge-gateway.
#
#   deploy/install.sh [--root DIR] [--rid linux-arm64|linux-x64] [--from PUBLISHED_DIR]
#
#   --root DIR   destination root (default /). Anything else is a staging or test root: files are laid out the same,
#                the user is created with useradd --root when DIR/etc/passwd exists, and systemctl is not called.
#   --rid RID    runtime to publish for (default: this machine's: aarch64 -> linux-arm64, x86_64 -> linux-x64).
#   --from DIR   an already published tree (dotnet publish gateway -c Release -r RID --self-contained -o DIR: Native AOT)
#                instead of publishing from this checkout.
#
# Layout: /opt/edge-gateway (the program, root-owned), /etc/edge-gateway/appsettings.json (this machine's
# configuration: installed once, never overwritten; the new default goes beside it as appsettings.json.dist),
# /var/lib/edge-gateway (the log, owned by the service user, kept on upgrade), /lib/systemd/system/edge-gateway.service.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=/
rid=
from=
user=edge-gateway

die() { echo "install.sh: $*" >&2; exit 1; }
while (($#)); do
  case $1 in
    --root) root=${2:?--root needs a directory}; shift 2 ;;
    --rid) rid=${2:?--rid needs linux-arm64 or linux-x64}; shift 2 ;;
    --from) from=${2:?--from needs a published directory}; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
if [ -z "$rid" ]; then
  case $(uname -m) in
    aarch64|arm64) rid=linux-arm64 ;;
    x86_64|amd64) rid=linux-x64 ;;
    *) die "no default runtime for $(uname -m): pass --rid linux-arm64 or linux-x64" ;;
  esac
fi
case $rid in linux-arm64|linux-x64) ;; *) die "--rid must be linux-arm64 or linux-x64, not '$rid'" ;; esac
[ "$(id -u)" = 0 ] || die "run as root (it creates a system user and writes under $root)"
mkdir -p "$root"
root=$(cd "$root" && pwd)
r=${root%/} # prefix for paths: empty for /
live=false
[ "$root" = / ] && live=true

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -z "$from" ]; then
  command -v dotnet >/dev/null || die "dotnet (the .NET 10 SDK) is needed to publish; or pass --from a published tree"
  # Native AOT (gateway/Edge.Gateway.csproj): clang and lld link the program (deploy/README.md "Install").
  command -v clang >/dev/null && command -v ld.lld >/dev/null || die "clang and lld are needed to publish the gateway (apt-get install clang lld); or pass --from a published tree"
  echo "publishing the gateway for $rid (self-contained)..."
  dotnet publish "$here/../gateway" -c Release -r "$rid" --self-contained -o "$tmp/publish" -v q -nologo
  from=$tmp/publish
fi
[ -x "$from/edge-gateway" ] || die "$from has no edge-gateway executable: not a published gateway tree"
[ -f "$from/appsettings.json" ] || die "$from has no appsettings.json: not a published gateway tree"
# The apphost's ELF machine (e_machine at byte 18) must match --rid: a tree for the wrong architecture cannot run.
machine=$(od -An -tx2 -j18 -N2 "$from/edge-gateway" | tr -d ' ')
case "$rid:$machine" in linux-x64:003e|linux-arm64:00b7) ;; *) die "$from/edge-gateway is not a $rid executable (ELF machine 0x$machine)" ;; esac

# The system user and the Pi's device groups (Raspberry Pi OS has gpio and i2c; elsewhere they are created so
# the unit's SupplementaryGroups= resolves).
if $live || [ -f "$r/etc/passwd" ]; then
  rootopt=()
  $live || rootopt=(--root "$root")
  for g in gpio i2c; do
    grep -q "^$g:" "$r/etc/group" || groupadd "${rootopt[@]}" --system "$g"
  done
  if ! grep -q "^$user:" "$r/etc/passwd"; then
    useradd "${rootopt[@]}" --system --user-group --home-dir /var/lib/edge-gateway --no-create-home \
      --shell /usr/sbin/nologin --comment "Edge sensor gateway" "$user"
  fi
  usermod "${rootopt[@]}" --append --groups gpio,i2c "$user"
else
  echo "no $r/etc/passwd: would create system user $user in groups gpio,i2c (useradd --system)"
fi
# Numeric ids from the target root's own files, so ownership is right in a staging root too.
uid=$(awk -F: -v u="$user" '$1 == u { print $3 }' "$r/etc/passwd" 2>/dev/null || true)
gid=$(awk -F: -v u="$user" '$1 == u { print $3 }' "$r/etc/group" 2>/dev/null || true)

if $live && [ -d /run/systemd/system ] && systemctl is-active --quiet edge-gateway; then
  echo "stopping edge-gateway for the upgrade (the log flushes on SIGTERM)"
  systemctl stop edge-gateway
fi

# The program: a fresh copy swapped in, so no file of an older version lingers.
install -d -m 0755 "$r/opt"
rm -rf "$r/opt/edge-gateway.new"
cp -R "$from" "$r/opt/edge-gateway.new"
chown -R 0:0 "$r/opt/edge-gateway.new"
# publish leaves execute bits on assemblies; only the apphost and the runtime's createdump are programs.
find "$r/opt/edge-gateway.new" -type d -exec chmod 0755 {} +
find "$r/opt/edge-gateway.new" -type f -exec chmod 0644 {} +
chmod 0755 "$r/opt/edge-gateway.new/edge-gateway"
[ ! -f "$r/opt/edge-gateway.new/createdump" ] || chmod 0755 "$r/opt/edge-gateway.new/createdump"
rm -rf "$r/opt/edge-gateway"
mv "$r/opt/edge-gateway.new" "$r/opt/edge-gateway"

# Configuration: the operator's file is never overwritten. It may hold the broker password: readable by root and
# the service group only.
install -d -m 0755 "$r/etc/edge-gateway"
install -m 0644 "$here/appsettings.json" "$r/etc/edge-gateway/appsettings.json.dist"
if [ ! -e "$r/etc/edge-gateway/appsettings.json" ]; then
  install -m 0640 -o 0 -g "${gid:-0}" "$here/appsettings.json" "$r/etc/edge-gateway/appsettings.json"
  echo "installed the default configuration $r/etc/edge-gateway/appsettings.json"
else
  echo "kept $r/etc/edge-gateway/appsettings.json; the new default is appsettings.json.dist beside it"
fi

# Data: created here so the ownership is right before the first start; never touched again by an upgrade.
install -d -m 0750 -o "${uid:-0}" -g "${gid:-0}" "$r/var/lib/edge-gateway"

install -d -m 0755 "$r/lib/systemd/system" "$r/usr/share/doc/edge-gateway"
install -m 0644 "$here/systemd/edge-gateway.service" "$r/lib/systemd/system/edge-gateway.service"
install -m 0644 "$here/README.md" "$r/usr/share/doc/edge-gateway/README.md"

if $live && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl enable edge-gateway
  systemctl restart edge-gateway
  echo "edge-gateway is running: systemctl status edge-gateway; journalctl -u edge-gateway -f"
elif $live; then
  echo "systemd is not running here: start the gateway later with systemctl enable --now edge-gateway"
else
  echo "installed into $root (not started: not the live root)"
fi
