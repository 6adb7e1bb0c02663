#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerates the classroom screenshot set: every workspace and every view, in normal and
# presenter mode, at 1280x720 and 1920x1080, in English, Spanish and Vietnamese
# (tst_gui_layout_720p's screenshots() writes them). Needs an X server: run it as is on a
# desktop, or under `xvfb-run -a` on a headless machine (a 1920x1080 screen is asked for, so
# presenter mode's full screen is the real one at that size).
#   tools/screenshots.sh [BUILD_DIR] [OUT_DIR]      defaults: build, screenshots
set -eu
build=${1:-build}
out=${2:-screenshots}
test_bin="$build/tests/tst_gui_layout_720p"
if [ ! -x "$test_bin" ]; then
  echo "screenshots.sh: $test_bin not found; build it first: ninja -C $build tst_gui_layout_720p" >&2
  exit 2
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  exec xvfb-run -a -s "-screen 0 1920x1080x24" env QUANTLAB_SCREENSHOT_DIR="$out" "$test_bin" screenshots
fi
QUANTLAB_SCREENSHOT_DIR="$out" "$test_bin" screenshots
echo "screenshots in $out"
