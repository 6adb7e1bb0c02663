#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the Debian package from a configured release build directory, checks its contents,
# installs it with apt, runs the installed programs from /usr/bin (the GUI and the CLI, the
# shipped models through their installed paths), validates the installed desktop and AppStream
# files, and removes the package again. Needs root (CI machines); elsewhere it only builds and
# inspects the package.
# usage: packaging/test-deb.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
app_id=io.github.quantlab.QuantLab

fail() { echo "test-deb: $*" >&2; exit 1; }

rm -f "$build"/quantlab_*.deb
(cd "$build" && cpack -G DEB >/dev/null) || fail "cpack -G DEB failed in $build"
deb=$(ls "$build"/quantlab_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || fail "no quantlab_*.deb was produced in $build"
echo "test-deb: built $deb ($(du -k "$deb" | cut -f1) KiB)"

contents=$(dpkg-deb --contents "$deb")
for f in ./usr/bin/quantlab-cli ./usr/share/quantlab/models/mlp.onnx \
         ./usr/share/man/man1/quantlab-cli.1.gz ./usr/share/mime/packages/quantlab.xml; do
  grep -q " $f\$" <<<"$contents" || fail "$deb lacks $f"
done
gui=0
if grep -q " ./usr/bin/quantlab\$" <<<"$contents"; then
  gui=1
  for f in ./usr/share/applications/$app_id.desktop ./usr/share/metainfo/$app_id.metainfo.xml \
           ./usr/share/icons/hicolor/scalable/apps/$app_id.svg \
           ./usr/share/quantlab/translations/quantlab_es.qm \
           ./usr/share/quantlab/translations/quantlab_vi.qm; do
    grep -q " $f\$" <<<"$contents" || fail "$deb lacks $f"
  done
fi
depends=$(dpkg-deb --field "$deb" Depends)
[ -n "$depends" ] || fail "$deb has no Depends field (dpkg-shlibdeps did not run?)"
echo "test-deb: Depends: $depends"

if [ "$(id -u)" -ne 0 ]; then
  echo "test-deb: not root: skipping the install/run/remove part"
  exit 0
fi
if dpkg-query -W -f='${Status}' quantlab 2>/dev/null | grep -q "install ok installed"; then
  fail "a quantlab package is already installed; remove it first (apt-get remove quantlab)"
fi

cleanup() { apt-get remove -y quantlab >/dev/null 2>&1 || true; }
trap cleanup EXIT
DEBIAN_FRONTEND=noninteractive apt-get install -y "./$deb" >/dev/null || fail "apt-get install $deb failed"

/usr/bin/quantlab-cli --help >/dev/null || fail "installed quantlab-cli --help failed"
/usr/bin/quantlab-cli format 0.1 --format fp16 >/dev/null || fail "installed quantlab-cli format failed"
/usr/bin/quantlab-cli list /usr/share/quantlab/models/mlp.onnx >/dev/null ||
  fail "installed quantlab-cli cannot read the installed mlp.onnx"
# --model mlp resolves to <exe>/../share/quantlab/models before any source tree.
if [ -d /usr/share/datasets/fashion-mnist ]; then
  (cd / && /usr/bin/quantlab-cli eval --model mlp --mode int8 --limit 200 >/dev/null) ||
    fail "installed quantlab-cli eval --model mlp failed"
fi
if [ "$gui" -eq 1 ]; then
  QT_QPA_PLATFORM=offscreen /usr/bin/quantlab --version || fail "installed quantlab --version failed"
  # The installed catalogues: the help text comes out in Spanish.
  QT_QPA_PLATFORM=offscreen /usr/bin/quantlab --language es --help | grep -q "cuantización" ||
    fail "installed quantlab --language es --help is not in Spanish"
  desktop-file-validate /usr/share/applications/$app_id.desktop || fail "desktop-file-validate"
  appstreamcli validate --no-net --pedantic /usr/share/metainfo/$app_id.metainfo.xml >/dev/null ||
    appstreamcli validate --no-net /usr/share/metainfo/$app_id.metainfo.xml ||
    fail "appstreamcli validate"
fi

trap - EXIT
DEBIAN_FRONTEND=noninteractive apt-get remove -y quantlab >/dev/null || fail "apt-get remove failed"
[ ! -e /usr/bin/quantlab-cli ] || fail "/usr/bin/quantlab-cli still exists after removal"
[ ! -e /usr/share/quantlab/models/mlp.onnx ] || fail "the shipped models remain after removal"
echo "test-deb: installed, ran and removed $deb"
