#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# sse_only.sh BUILD_DIR: runs the engine's kernel and model tests on an emulated x86-64 CPU
# without AVX (qemu-user, CPU model qemu64: SSE2/SSE3 only), so the run-time dispatch is proven
# on a CPU that really lacks AVX, not one told to pretend (QUANTLAB_ISA). Checks that detection
# finds sse2 there, that the tests pass, and that quantlab-cli's int8 evaluation gives the same
# numbers as the native run forced to sse2. Exit 77 (skipped) without qemu-x86_64.
set -euo pipefail
build=$1
qemu=$(command -v qemu-x86_64 || true)
if [ -z "$qemu" ]; then
  echo "sse_only: qemu-x86_64 not found (Debian package qemu-user); skipped"
  exit 77
fi
cpu=qemu64
# Test functions that cannot run under emulation: they read the host's /proc/cpuinfo or start
# child processes (which would run natively, outside the emulated CPU).
excluded=" detectionMatchesCpuinfo environmentSelectsIsa "
tests="tst_cpu tst_int8gemm tst_fp32gemm tst_quantizecodes tst_fixedpoint tst_roofline tst_model
       tst_layers_extra tst_int8model"
export QUANTLAB_EXPECT_BEST_ISA=sse2
unset QUANTLAB_ISA
status=0
for t in $tests; do
  bin=$build/tests/$t
  [ -x "$bin" ] || { echo "sse_only: $bin missing"; status=1; continue; }
  functions=()
  while read -r f; do
    f=${f%()}
    [[ $excluded == *" $f "* ]] || functions+=("$f")
  done < <("$bin" -functions)
  start=$SECONDS
  if out=$("$qemu" -cpu "$cpu" "$bin" "${functions[@]}" 2>&1); then
    echo "ok   $t ($(grep -m1 '^Totals' <<<"$out"), $((SECONDS - start)) s under $cpu)"
  else
    status=1
    echo "FAIL $t under $cpu:"
    grep -E '^(FAIL|   Loc|Totals)' <<<"$out" | head -20
  fi
done

# The CLI end to end: int8 evaluation of the MLP, emulated vs native at level sse2. Timing keys
# differ from run to run and are dropped. Everything else must be identical except the output
# SQNRs, which are measured against the float32 forward pass: on the sse2 level that runs on
# Eigen, whose GEMM blocking follows the cache sizes CPUID reports, so its float sums may round
# differently on another CPU (the int8 results, accuracies and agreements do not move).
cli=$build/app/quantlab-cli
args=(eval --model mlp --limit 300 --calib-images 100 --json)
lines() { sed -E 's/"[a-z_]*(seconds|per_second)[a-z_]*": [-0-9.e+]+,? ?//g' | tr ',' '\n'; }
native=$(QUANTLAB_ISA=sse2 "$cli" "${args[@]}" | lines)
emulated=$("$qemu" -cpu "$cpu" "$cli" "${args[@]}" | lines)
if [ -n "$native" ] && paste -d '\t' <(echo "$native") <(echo "$emulated") | awk -F '\t' '
    $1 == $2 { next }
    $1 ~ /"sqnr_db": [0-9]/ && $2 ~ /"sqnr_db": [0-9]/ {
      a = $1; b = $2; sub(/.*: /, "", a); sub(/.*: /, "", b)
      d = a - b; if (d < 0) d = -d
      if (d <= 1e-6 * a) next
    }
    { print "  native:   " $1; print "  emulated: " $2; bad = 1 }
    END { exit bad }' && [ "$(wc -l <<<"$native")" = "$(wc -l <<<"$emulated")" ]; then
  echo "ok   quantlab-cli ${args[*]}: same results under $cpu as natively at sse2"
else
  status=1
  echo "FAIL quantlab-cli ${args[*]}: results differ under $cpu"
fi
exit $status
