// SPDX-License-Identifier: GPL-3.0-or-later
// Integer GEMM of the gemmlowp / TFLite int8 scheme: the compute core of integer-only inference.
//
//   acc[m][n] = sum_k (a[m][k] - za) * w[k][n] + bias[n]                       (int32)
//   out[m][n] = clamp(MultiplyByQuantizedMultiplier(acc[m][n], mult[n], shift[n]) + zo,
//                     act_min, act_max)                                        (int8)
//
// A is M x K row-major activations, uint8 (zero point za in [0, 255]) or int8 (za in [-128, 127]),
// asymmetric per tensor. W is K x N row-major int8 weights, symmetric per output channel (zero
// point 0) and restricted to [-127, 127]: -128 is refused so that |w| <= 127 on every path (the
// TFLite int8 spec does the same; a u8 x s8 pair product sum 2 * 255 * 128 = 65280 would be even
// further past the int16 range of vpmaddubsw). Requantization uses per-channel Q0.31 multipliers
// (see fixedpoint.h for the exact rounding: round-half-up high multiply, then round-half-away
// right shift). act_min / act_max implement fused ReLU (zo..127) and ReLU6 (zo..q(6)) as a clamp.
//
// Integer arithmetic is exact: |a - za| <= 255 and |w| <= 127 so with K <= 65536 every partial
// dot product fits in int32. Adding bias wraps modulo 2^32 (two's complement) on every kernel, so
// all kernels agree bit for bit even when a huge bias overflows. The requantized value is clamped
// in exact arithmetic (no wrap when adding zo).
//
// Kernels: a plain triple-loop reference (the specification, always present; gemm_reference.cpp),
// AVX2 and AVX-512 VNNI (gemm_avx2.cpp, gemm_avx512vnni.cpp). All three produce identical bits.
// The kernel is the best one at or below cpu::activeIsa(), i.e. picked at run time from the
// CPU's features unless QUANTLAB_ISA or forceIsa() says otherwise (cpu.h).
//
// AVX2 design choice: vpmaddubsw (u8 x s8 -> saturating int16 pair sums) would overflow: a pair of
// 255 * 127 products is 64770 > 32767. The AVX2 kernel therefore widens both sides to int16
// ((a - za) in [-255, 255] at copy time, weights at pack time) and uses vpmaddwd (int16 x int16 ->
// int32 pair sums, max 2 * 255 * 127 = 64770, no saturation possible). The VNNI kernel uses
// vpdpbusd (u8 x s8, four products summed straight into int32, no intermediate saturation); int8
// activations are shifted to uint8 by +128 and the zero point with them (a + 128 - (za + 128)),
// and the za' * colsum(w) correction uses column sums precomputed at pack time.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "quant/kernels/cpu.h"
#include "quant/kernels/fixedpoint.h"

namespace quant::gemm {

// The ISA levels and the run-time choice are the engine's one dispatcher (cpu.h); these names
// are kept here for the GEMM's callers.
using cpu::activeIsa;
using cpu::bestIsa;
using cpu::fallbackNote;
using cpu::forceIsa;
using cpu::Isa;
using cpu::isaName;
using cpu::isaSupported;

// The GEMM kernel a level runs: the best of reference / avx2 / avx512vnni at or below it
// (Auto = activeIsa(); sse2 runs the reference kernel).
Isa kernelIsa(Isa level = Isa::Auto);
// The GEMM kernels this CPU can run, reference first (tests compare each with the reference).
std::vector<Isa> kernelIsas();

// Weights prepared once: the plain copy for the reference kernel, a layout per ISA the CPU
// supports, column sums and per-channel requantization parameters.
struct PackedWeights {
  int K = 0;
  int N = 0;
  std::vector<std::int8_t> w;                // K x N row-major, as given (reference kernel)
  std::vector<std::int32_t> colSum;          // N: sum_k w[k][n]
  std::vector<std::int32_t> bias;            // N
  std::vector<QuantizedMultiplier> requant;  // N
  // VNNI layout: 16-column blocks; per block, K rounded up to 4, for each group of 4 k's
  // 16 columns x 4 bytes (the 4 k's of one column adjacent, as vpdpbusd consumes them).
  // Padding (columns >= N, k >= K) is zero.
  std::vector<std::int8_t> vnni;
  // AVX2 layout: 8-column blocks; per block, K rounded up to 2, for each pair of k's
  // 8 columns x 2 int16 (as vpmaddwd consumes them). Zero padded.
  std::vector<std::int16_t> avx2;
  // Per-channel shift split for the vector requantizers (padded to a multiple of 16 columns).
  std::vector<std::int32_t> multPad, leftShiftPad, rightShiftPad, colSumPad, biasPad;
};

// Packs K x N row-major weights. bias: N values or empty (zero); requant: N values, or one value
// used for every channel, or empty (only int32 output is then available). Throws quant::Error on
// K or N outside [1, 65536], wrong span sizes, a weight of -128, or a shift outside [-31, 30].
PackedWeights packWeights(std::span<const std::int8_t> w, int K, int N,
                          std::span<const std::int32_t> bias = {},
                          std::span<const QuantizedMultiplier> requant = {});

// Output stage of the requantized GEMM. act_min <= act_max, both in [-128, 127].
struct OutputParams {
  std::int32_t zeroPoint = 0;  // zo in [-128, 127]
  std::int32_t actMin = -128;
  std::int32_t actMax = 127;
};

// C (M x N row-major, ldc = N) = int32 accumulators. a: M x K row-major (lda = K).
// Throws quant::Error for inconsistent sizes or a zero point out of range.
void gemmAcc(std::span<const std::uint8_t> a, int M, std::int32_t za, const PackedWeights& w,
             std::span<std::int32_t> c);
void gemmAcc(std::span<const std::int8_t> a, int M, std::int32_t za, const PackedWeights& w,
             std::span<std::int32_t> c);
// out (M x N row-major) = requantized int8. Needs w.requant.
void gemmRequant(std::span<const std::uint8_t> a, int M, std::int32_t za, const PackedWeights& w,
                 const OutputParams& op, std::span<std::int8_t> out);
void gemmRequant(std::span<const std::int8_t> a, int M, std::int32_t za, const PackedWeights& w,
                 const OutputParams& op, std::span<std::int8_t> out);

// The same with an explicit level (must be supported; Auto = activeIsa(); the kernel is
// kernelIsa(level)): for tests and the benchmark, which compare kernels within one process.
void gemmAcc(Isa isa, std::span<const std::uint8_t> a, int M, std::int32_t za,
             const PackedWeights& w, std::span<std::int32_t> c);
void gemmAcc(Isa isa, std::span<const std::int8_t> a, int M, std::int32_t za,
             const PackedWeights& w, std::span<std::int32_t> c);
void gemmRequant(Isa isa, std::span<const std::uint8_t> a, int M, std::int32_t za,
                 const PackedWeights& w, const OutputParams& op, std::span<std::int8_t> out);
void gemmRequant(Isa isa, std::span<const std::int8_t> a, int M, std::int32_t za,
                 const PackedWeights& w, const OutputParams& op, std::span<std::int8_t> out);

// The output stage for one accumulator (the specification the kernels match).
inline std::int8_t requantize(std::int32_t acc, QuantizedMultiplier q, const OutputParams& op) {
  const std::int64_t v =
      std::int64_t{MultiplyByQuantizedMultiplier(acc, q.multiplier, q.shift)} + op.zeroPoint;
  return static_cast<std::int8_t>(v < op.actMin ? op.actMin : (v > op.actMax ? op.actMax : v));
}

}  // namespace quant::gemm
