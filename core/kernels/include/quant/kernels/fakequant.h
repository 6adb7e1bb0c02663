// SPDX-License-Identifier: GPL-3.0-or-later
// Fake-quantize kernels: quantize then dequantize in float32, optionally measuring the error in
// the same pass. For each element, with a slot's scale s and integer bounds qlo = qmin - zp,
// qhi = qmax - zp (as floats):
//
//   c     = clamp(x / s, qlo, qhi)           (float32 division; NaN -> 0)
//   r     = roundTiesToEven(c)               (rounding.h: exact, |c| <= 2^17 after the clamp)
//   out   = r * s                            (= dequantizeValue(quantizeValue(x)), bit for bit)
//
// r * s is exactly scale * (q - zp) because r is a small integer. The outputs are bit-identical
// on every kernel. The measured sums (finite x only, clipped = x outside [clipLo, clipHi]) are
// accumulated in float over short blocks and flushed into double; their last bits depend on the
// kernel's lane count and on whether it uses FMA, so they agree across kernels to ~1e-7
// relative, not bit for bit.
//
// Kernels: the scalar reference (the specification, fakequant_reference.cpp, always compiled) and
// one algorithm written once over a per-ISA packet layer (fakequant_simd.h), instantiated for
// SSE2 (fakequant_sse2.cpp) and AVX2 + FMA (fakequant_avx2.cpp). The kernel is the best one at or
// below cpu::activeIsa() (cpu.h).
//
// The same kernels also quantize to int8 codes (quantizeCodes, the int8 model's input): the
// formula of codeOne below, which equals quantizeValue(x, scale, zero, -128, 127) for the int8
// zero points the models use.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "quant/kernels/cpu.h"
#include "quant/kernels/rounding.h"

namespace quant::fakequant {

using cpu::Isa;

// One slot's parameters, the same for every element of a run.
struct SlotParams {
  float scale, qlo, qhi, clipLo, clipHi;
  SlotParams at(std::size_t) const { return *this; }
};

// Per-element parameters (structure of arrays), for runs whose slot changes every element.
struct ElementParams {
  const float *scale, *qlo, *qhi, *clipLo, *clipHi;
  SlotParams at(std::size_t i) const { return {scale[i], qlo[i], qhi[i], clipLo[i], clipHi[i]}; }
  ElementParams from(std::size_t i) const {
    return {scale + i, qlo + i, qhi + i, clipLo + i, clipHi + i};
  }
};

// Error sums of a run (finite x only). sed = sum(err * (x + out)), i.e. sxx - syy accumulated
// without cancellation. sv = sum((x / s - r)^2), measured by ElementParams runs only.
struct Sums {
  std::int64_t count = 0, nonFinite = 0, clipped = 0;
  double see = 0, sae = 0, sxx = 0, syy = 0, sed = 0, maxAbs = 0, sv = 0;

  // The sums of two disjoint runs (maxAbs: the larger).
  Sums& operator+=(const Sums& o) {
    count += o.count;
    nonFinite += o.nonFinite;
    clipped += o.clipped;
    see += o.see;
    sae += o.sae;
    sxx += o.sxx;
    syy += o.syy;
    sed += o.sed;
    maxAbs = std::max(maxAbs, o.maxAbs);
    sv += o.sv;
    return *this;
  }
};

// out[0, n) = fake-quantized x[0, n) (out may equal x); with sums, the run's error sums are added
// to *sums. The kernel is kernelIsa(level).
void run(Isa level, const float* x, float* out, std::size_t n, const SlotParams& p, Sums* sums);
void run(Isa level, const float* x, float* out, std::size_t n, const ElementParams& p, Sums* sums);

// The error sums of a given reconstruction y of x (count, nonFinite and the float sums of a
// measured run; clipped and sv stay 0): for outputs that did not come from run(). The kernel is
// the best of reference / avx2 at or below the level; like run()'s, its sums agree across
// kernels to ~1e-7 relative.
Sums measure(Isa level, const float* x, const float* y, std::size_t n);

// One scale and zero point for int8 codes, with the float bounds lo = -128 - zero and
// hi = 127 - zero of the quotient and the code of a NaN quotient (zero clamped to [-128, 127]).
struct CodeParams {
  float scale;
  std::int32_t zero;
  float lo, hi;
  std::int8_t nanCode;
  CodeParams(float s, std::int32_t z)
      : scale(s),
        zero(z),
        lo(static_cast<float>(std::int64_t{-128} - z)),
        hi(static_cast<float>(std::int64_t{127} - z)),
        nanCode(static_cast<std::int8_t>(std::clamp(z, -128, 127))) {}
};

// The int8 code of x: the specification of quantizeCodes, which every kernel matches bit for bit.
// The float32 division stays a division (a reciprocal multiply can differ in the last bit, which
// moves ties). roundTiesToEven is exact while |lo|, |hi| <= 2^22, i.e. |zero| <= 2^22 - 128
// (every int8 zero point and more); there the code equals quantizeValue(x, scale, zero, -128, 127).
[[gnu::always_inline]] inline std::int8_t codeOne(float x, const CodeParams& p) {
  float v = x / p.scale;
  if (v != v) return p.nanCode;
  v = v < p.lo ? p.lo : v;
  v = v > p.hi ? p.hi : v;
  return static_cast<std::int8_t>(static_cast<std::int32_t>(roundTiesToEven(v)) + p.zero);
}

// out[0, n) = codeOne(x[i], {scale, zero}). The kernel is kernelIsa(level); zero points with
// |zero| > 2^22 - 128 (outside the exact range of the vector rounding) run the reference.
void quantizeCodes(Isa level, const float* x, std::int8_t* out, std::size_t n, float scale,
                   std::int32_t zero);

// The fake-quantize kernel a level runs: the best of reference / sse2 / avx2 at or below it
// (Auto = cpu::activeIsa(); avx512vnni runs the AVX2 kernel).
Isa kernelIsa(Isa level = Isa::Auto);
// The fake-quantize kernels this CPU can run, reference first.
std::vector<Isa> kernelIsas();

}  // namespace quant::fakequant
