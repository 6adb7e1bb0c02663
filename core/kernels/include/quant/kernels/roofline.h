// SPDX-License-Identifier: GPL-3.0-or-later
// The roofline of this CPU, measured: how many fp32 and int8 operations per second one core can
// do at most, and how many bytes per second it can read from each level of memory. The benchmark
// (quant/nn/bench.h) sets each layer's achieved speed against these limits.
//
// Each number comes from a tiny loop that does nothing but the one instruction a kernel family is
// built on, with enough independent accumulators to hide its latency (the best of several timed
// trials, one core, std::chrono::steady_clock):
//   * fp32: a fused multiply-add chain at the widest vector level at or below `level`:
//     vfmadd231ps zmm (avx512vnni implies AVX-512F), vfmadd231ps ymm (avx2), mulps + addps xmm
//     (sse2 / reference: baseline x86-64 has no FMA).
//   * int8: the multiply-add instruction of the int8 GEMM kernel that `level` runs
//     (gemm::kernelIsa): vpdpbusd zmm for avx512vnni (64 u8 x s8 products per instruction),
//     vpmaddwd ymm + vpaddd for avx2 (the AVX2 kernel widens to int16, see int8gemm.h), and for
//     the reference kernel pmaddwd xmm + paddd, the most a baseline-compiled loop can use.
//   * memory: a read-only pass (vector loads summed into integer accumulators) over a buffer
//     that fits in the L2 cache, one that fits in the L3 cache, and one four times larger than a
//     single CCX's L3 (main memory), each level with its capacity from sysconf (defaults when the
//     system does not say).
// One operation is one multiply or one add, so a multiply-accumulate counts two (GOPS as the
// benchmark reports them). The peaks are an upper bound no real kernel reaches: it also loads,
// packs, requantizes and branches.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "quant/kernels/cpu.h"

namespace quant::roofline {

struct MemoryLevel {
  std::string name;              // "L2", "L3", "DRAM"
  std::int64_t capacity = 0;     // bytes a working set may have to count as served from here
  std::int64_t bufferBytes = 0;  // the buffer the read pass went over
  double gbPerSecond = 0.0;      // 1e9 bytes per second
};

struct Peaks {
  cpu::Isa level = cpu::Isa::Reference;          // the dispatcher level the peaks were measured for
  std::string fp32Instruction, int8Instruction;  // e.g. "vfmadd231ps zmm", "vpdpbusd zmm"
  double fp32Gops = 0.0, int8Gops = 0.0;         // 1e9 operations per second, one core
  std::vector<MemoryLevel> memory;               // smallest first; the last one holds anything
  // The level that serves a working set of `bytes` (the first whose capacity holds it).
  const MemoryLevel& levelFor(std::int64_t bytes) const;
};

// Measures the peaks for `level` (Auto = cpu::activeIsa(); must be supported) and keeps them, so
// later calls for the same level in this process return the stored result at once. Thread-safe;
// takes about a quarter of a second the first time. Throws quant::Error for an unsupported level.
const Peaks& peaks(cpu::Isa level = cpu::Isa::Auto);

// The attainable performance of work with `opsPerByte` operations per byte of memory traffic,
// served from `memory`: min(peak, opsPerByte * bandwidth) in GOPS. computeBound tells which term
// is the smaller one.
struct Roof {
  double attainableGops = 0.0;
  bool computeBound = true;
};
Roof roof(double peakGops, double opsPerByte, const MemoryLevel& memory);

}  // namespace quant::roofline
