#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Quick start: install what is missing, build, and run QuantLab's main job.
# Until the GUI views exist this runs the quantlab-cli demo (the worked examples of the course).
set -euo pipefail
cd "$(dirname "$0")"
packaging/install-deps.sh
BUILD=${BUILD_DIR:-build}
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DQUANTLAB_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD" --target quantlab-cli
exec "$BUILD/app/quantlab-cli" demo "$@"
