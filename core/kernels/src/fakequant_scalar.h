// SPDX-License-Identifier: GPL-3.0-or-later
// The scalar fake-quantize loop (fakequant.h's formula, one element at a time, sums in double),
// shared by the reference kernel and by the SIMD kernels' heads and tails. Always inlined: an AVX2
// kernel calling a function compiled for plain x86-64 would run it with dirty upper YMM state (GCC
// keeps YMM values live across such a local call and then cannot emit vzeroupper), which makes
// SSE code slow; inlined, the loop is compiled for the caller's ISA.
#pragma once

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstddef>

#include "quant/kernels/fakequant.h"
#include "quant/kernels/rounding.h"

#define QUANT_FQ_INLINE inline __attribute__((always_inline))

namespace quant::fakequant::kernels {

QUANT_FQ_INLINE bool isFiniteF(float x) { return std::fabs(x) <= FLT_MAX; }

// One element, in the same operation order as the vector kernels. Returns out; r is the rounded
// quotient and v = x / s (for the per-element sum sv).
QUANT_FQ_INLINE float fakeOne(float x, float s, float qlo, float qhi, float& rOut, float& vOut) {
  const float v = x / s;
  float c = v < qlo ? qlo : v;
  c = c > qhi ? qhi : c;
  if (c != c) c = 0.0f;
  const float r = roundTiesToEven(c);
  rOut = r;
  vOut = v;
  return r * s;
}

template <bool kMeasure, bool kVarying, class P>
QUANT_FQ_INLINE void scalarBody(const float* x, float* out, std::size_t n, const P& prm, Sums& L) {
  for (std::size_t i = 0; i < n; ++i) {
    const SlotParams b = prm.at(i);
    const float xi = x[i];
    float r, v;
    const float h = fakeOne(xi, b.scale, b.qlo, b.qhi, r, v);
    out[i] = h;
    if constexpr (kMeasure) {
      if (!isFiniteF(xi)) {
        ++L.nonFinite;
        continue;
      }
      ++L.count;
      if (xi < b.clipLo || xi > b.clipHi) ++L.clipped;
      const float e = xi - h;
      L.see += static_cast<double>(e) * e;
      L.sae += std::fabs(static_cast<double>(e));
      L.sxx += static_cast<double>(xi) * xi;
      L.syy += static_cast<double>(h) * h;
      L.sed += static_cast<double>(e) * (static_cast<double>(xi) + h);
      L.maxAbs = std::max(L.maxAbs, static_cast<double>(std::fabs(e)));
      if constexpr (kVarying) {
        const float dv = v - r;
        L.sv += static_cast<double>(dv) * dv;
      }
    }
  }
}

}  // namespace quant::fakequant::kernels
