#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# baseline_check.sh KERNELS_LIB BINARY...: the shipped binaries must run on any x86-64 CPU, so an
# AVX instruction (VEX/EVEX encoded, or a ymm/zmm/mask register) may appear only in functions
# defined by the per-ISA kernel objects of KERNELS_LIB (members named *_avx2*, *_avx512*,
# *_vnni*), which the dispatcher calls only on CPUs that have them. Those functions must be strong
# or local symbols there: a weak (inline/template) copy compiled for AVX could be the one the
# linker keeps for every caller. Prints each offending function and fails.
set -euo pipefail
lib=$1
shift
command -v objdump >/dev/null && command -v nm >/dev/null || {
  echo "baseline_check: objdump/nm (binutils) not found"
  exit 1
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Symbols (mangled) defined strongly or locally by the per-ISA members, and weak ones there.
nm -A --defined-only "$lib" | awk -v ok="$work/allowed" -v weak="$work/weak" '
  { split($1, p, ":"); member = p[2] }
  member ~ /_(avx2|avx512|vnni)/ {
    type = $(NF - 1); sym = $NF; sub(/\..*$/, "", sym)
    if (type ~ /^[Tt]$/) print sym > ok
    else if (type ~ /^[WwVv]$/) print sym > weak
  }'
[ -s "$work/allowed" ] || {
  echo "baseline_check: no per-ISA kernel objects in $lib (expected *_avx2*.o, *_avx512*.o)"
  exit 1
}
touch "$work/weak"
echo "baseline_check: $(sort -u "$work/allowed" | wc -l) functions of the per-ISA objects may use AVX"

status=0
for bin in "$@"; do
  # Functions of the binary with at least one AVX instruction. Compiler clones (.cold,
  # .constprop.N, .isra.N, .part.N) count as the function they were cut from.
  objdump -d --no-show-raw-insn "$bin" | awk '
    /^[0-9a-f]+ <.*>:$/ { fn = substr($2, 2, length($2) - 3); sub(/\..*$/, "", fn); next }
    /\t(v[a-z0-9]+|kmov[bwdq]|kand[a-z]*|kor[a-z]*|kxor[a-z]*|knot[a-z]*|kshift[a-z]*|ktest[a-z]*)[ \t]/ ||
    /%[yz]mm[0-9]|%k[0-7]/ {
      if (fn != "" && !(fn in seen) && $0 !~ /\t(verr|verw)[ \t]/) { seen[fn] = 1; print fn }
    }' | sort -u > "$work/avx"
  total=$(wc -l < "$work/avx")
  bad=$(sort -u "$work/allowed" | comm -23 "$work/avx" - || true)
  weakUsed=$(sort -u "$work/weak" | comm -12 "$work/avx" - || true)
  if [ -n "$bad$weakUsed" ]; then
    status=1
    echo "FAIL $bin: AVX instructions outside the per-ISA kernels:"
    { echo "$bad"; echo "$weakUsed"; } | grep -v '^$' | c++filt | sed 's/^/  /' | head -40
  else
    echo "ok   $bin: $total functions use AVX, all in the per-ISA kernels"
  fi
done
exit $status
