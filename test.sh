#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The whole test suite: install what is missing, then
#   1. a release build and every CTest test,
#   2. the GUI tests again with a real X11 window under Xvfb (1280x720) instead of offscreen,
#   3. the engine and CLI tests again with the int8 kernels forced to every path this CPU has
#      (QUANTLAB_ISA=reference|sse2|avx2|avx512vnni), so each shipped kernel runs the whole suite,
#   4. the Debian package: built, inspected, installed, run from /usr/bin, removed
#      (packaging/test-deb.sh; the install part needs root),
#   5. the same tests under AddressSanitizer + UndefinedBehaviorSanitizer (with a 60 s random
#      stress run of the window, tst_gui_stress),
#   6. every libFuzzer target for a bounded time (clang), seeded from tests/fuzz/corpus.
# Options: --quick (step 1 only), --no-fuzz, --fuzz-seconds N.
set -euo pipefail
cd "$(dirname "$0")"
quick=0; fuzz=1; fuzz_seconds=${QUANTLAB_FUZZ_SECONDS:-30}
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --no-fuzz) fuzz=0 ;;
    --fuzz-seconds) fuzz_seconds=$2; shift ;;
    *) echo "test.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
packaging/install-deps.sh
jobs=$(nproc)

echo "== release build and tests"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"
[ "$quick" -eq 1 ] && exit 0

echo "== GUI tests in a real X11 window (Xvfb 1280x720)"
for t in build/tests/tst_gui_*; do
  [ -f "$t" ] && [ -x "$t" ] || continue
  echo "-- $(basename "$t")"
  QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x720x24" "$t" -silent
done

# The 2 GiB case of tst_gui_large_file (QUANTLAB_BIGFILE_MIB=2048, ~2 min, 6.5 GB) is run by hand:
# its load-phase event-loop gap was 65-92 ms on an idle machine, too close to the 100 ms limit to
# gate every CI run on it. CI checks the same properties on 256 MiB (step 1).

isas="reference sse2"  # every x86-64 CPU has SSE2
grep -qw avx2 /proc/cpuinfo && isas="$isas avx2"
grep -qw avx512_vnni /proc/cpuinfo && grep -qw avx512bw /proc/cpuinfo && isas="$isas avx512vnni"
for isa in $isas; do
  echo "== engine and CLI tests with QUANTLAB_ISA=$isa"
  # isa_* check the binaries and the real (or emulated) CPU: they ran in step 1 already.
  QUANTLAB_ISA=$isa ctest --test-dir build --output-on-failure -j "$jobs" -E '^(tst_gui_|isa_)'
done

echo "== Debian package"
packaging/test-deb.sh build

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build and tests"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DQUANTLAB_SANITIZE=ON \
  -DQUANTLAB_BUILD_BENCHMARKS=OFF -DCMAKE_CXX_FLAGS="-O1" >/dev/null
cmake --build build-asan -j "$jobs"
# tst_gui_stress runs its random window session for 60 s here (10 s in the other stages).
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 QUANTLAB_STRESS_SECONDS=60 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs" -E '^isa_'

if [ "$fuzz" -eq 1 ]; then
  echo "== libFuzzer targets, ${fuzz_seconds}s each"
  CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DQUANTLAB_BUILD_FUZZERS=ON -DQUANTLAB_BUILD_GUI=OFF -DQUANTLAB_BUILD_TESTS=OFF \
    -DQUANTLAB_BUILD_BENCHMARKS=OFF -DQUANTLAB_FUZZ_SECONDS="$fuzz_seconds" >/dev/null
  cmake --build build-fuzz -j "$jobs"
  ctest --test-dir build-fuzz --output-on-failure -L fuzz -j "$jobs"
fi
