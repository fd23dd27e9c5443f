#!/usr/bin/env bash
# Builds the edge-gateway .deb with dpkg-deb.
#
#   deploy/deb/build.sh --arch amd64|arm64 [--from PUBLISHED_DIR] [--version X.Y.Z] [--out DIR]
#
#   --arch     Debian architecture: arm64 (Raspberry Pi OS 64-bit, published for linux-arm64) or amd64 (linux-x64).
#   --from     an already published self-contained tree for that architecture; default: dotnet publish from this checkout.
#   --version  package version (default 0.1.0).
#   --out      where the .deb goes (default: the current directory). Prints the .deb's path last.
#
# Same layout as deploy/install.sh; /etc/edge-gateway/appsettings.json is a conffile (dpkg keeps an edited one and
# asks, or installs the new default as appsettings.json.dpkg-dist). Maintainer scripts: postinst, prerm, postrm here.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
deploy=$(dirname "$here")
arch=
from=
version=0.1.0
out=$PWD
die() { echo "build.sh: $*" >&2; exit 1; }
while (($#)); do
  case $1 in
    --arch) arch=${2:?}; shift 2 ;;
    --from) from=${2:?}; shift 2 ;;
    --version) version=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
case $arch in
  arm64) rid=linux-arm64 ;;
  amd64) rid=linux-x64 ;;
  *) die "--arch must be arm64 or amd64" ;;
esac
command -v dpkg-deb >/dev/null || die "dpkg-deb is needed (apt-get install dpkg)"
mkdir -p "$out"
out=$(cd "$out" && pwd)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -z "$from" ]; then
  # Native AOT (gateway/Edge.Gateway.csproj): clang and lld link the program (deploy/README.md "Install").
  command -v clang >/dev/null && command -v ld.lld >/dev/null || die "clang and lld are needed to publish the gateway (apt-get install clang lld); or pass --from a published tree"
  echo "publishing the gateway for $rid (self-contained)..." >&2
  dotnet publish "$deploy/../gateway" -c Release -r "$rid" --self-contained -o "$tmp/publish" -v q -nologo >&2
  from=$tmp/publish
fi
[ -x "$from/edge-gateway" ] || die "$from has no edge-gateway executable: not a published gateway tree"
# The apphost's ELF machine must match the package's architecture (a wrong --from would install a program that cannot run).
machine=$(od -An -tx2 -j18 -N2 "$from/edge-gateway" | tr -d ' ')
case "$arch:$machine" in amd64:003e|arm64:00b7) ;; *) die "$from/edge-gateway is not a $arch executable (ELF machine 0x$machine)" ;; esac

pkg=$tmp/pkg
install -d -m 0755 "$pkg/DEBIAN" "$pkg/opt" "$pkg/etc/edge-gateway" "$pkg/lib/systemd/system" \
  "$pkg/usr/share/doc/edge-gateway" "$pkg/usr/share/lintian/overrides"
cp -R "$from" "$pkg/opt/edge-gateway"
# publish leaves execute bits on assemblies; only the apphost and the runtime's createdump are programs.
find "$pkg/opt/edge-gateway" -type d -exec chmod 0755 {} +
find "$pkg/opt/edge-gateway" -type f -exec chmod 0644 {} +
chmod 0755 "$pkg/opt/edge-gateway/edge-gateway"
[ ! -f "$pkg/opt/edge-gateway/createdump" ] || chmod 0755 "$pkg/opt/edge-gateway/createdump"
install -m 0644 "$deploy/appsettings.json" "$pkg/etc/edge-gateway/appsettings.json"
install -m 0644 "$deploy/systemd/edge-gateway.service" "$pkg/lib/systemd/system/edge-gateway.service"
install -m 0644 "$deploy/README.md" "$pkg/usr/share/doc/edge-gateway/README.md"
install -m 0644 "$here/copyright" "$pkg/usr/share/doc/edge-gateway/copyright"
printf 'edge-gateway (%s) unstable; urgency=medium\n\n  * Release %s.\n\n -- Edge maintainers <edge-maintainers@users.noreply.github.com>  %s\n' \
  "$version" "$version" "$(date -R -d @"${SOURCE_DATE_EPOCH:-0}")" | gzip -9n > "$pkg/usr/share/doc/edge-gateway/changelog.gz"
install -m 0644 "$here/lintian-overrides" "$pkg/usr/share/lintian/overrides/edge-gateway"
install -m 0755 "$here/postinst" "$here/prerm" "$here/postrm" "$pkg/DEBIAN/"
install -m 0644 "$here/conffiles" "$pkg/DEBIAN/conffiles"
size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" "$here/control.in" > "$pkg/DEBIAN/control"
(cd "$pkg" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum > DEBIAN/md5sums)
chmod 0644 "$pkg/DEBIAN/md5sums"

deb=$out/edge-gateway_${version}_${arch}.deb
dpkg-deb --root-owner-group -Zgzip --build "$pkg" "$deb" >&2
echo "$deb"
