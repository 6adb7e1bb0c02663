#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Quick start: install what is missing, build, and open the QuantLab window on its built-in sample.
# Arguments go to quantlab (e.g. ./run.sh weights.npz:conv1.weight). Without a display (an SSH
# session, CI) it runs the quantlab-cli demo instead: the course's worked examples.
set -euo pipefail
cd "$(dirname "$0")"
packaging/install-deps.sh
BUILD=${BUILD_DIR:-build}
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" --target quantlab quantlab-cli
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$BUILD/app/quantlab" "$@"
fi
echo "run.sh: no display found; running the command-line demo instead" >&2
exec "$BUILD/app/quantlab-cli" demo
