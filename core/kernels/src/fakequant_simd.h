// SPDX-License-Identifier: GPL-3.0-or-later
// OPTIMIZED: the SIMD fake-quantize algorithm, written once over a per-ISA packet layer (Eigen's
// PacketMath idea) and checked bit-exactly against the scalar reference (fakequant_reference.cpp)
// for the outputs by tst_quantize; the measured sums agree to ~1e-7 relative (tst_metrics).
// Rounding is roundTiesToEven (rounding.h) as Packet::round.
//
// Included once by each per-ISA file (fakequant_sse2.cpp, fakequant_avx2.cpp), which first
// defines QUANT_FQ_TARGET (the function attribute of its ISA, e.g. target("avx2,fma")) and a
// packet struct P with:
//   V, VI, VD           float, int32 and double vectors; kLanes floats per V, kAlign bytes,
//                       kAllLanes = movemask of a V whose lanes are all set
//   zero set1 load store stream storeAligned      memory and broadcast
//   add sub mul div min max andV orV             element-wise float (min/max: x86 semantics, the
//                                                 second operand is returned when one is NaN)
//   madd(a, b, c) = a * b + c                    fused on ISAs that have FMA
//   round                                        roundTiesToEven
//   ordered(v) lt gt le absMask asInt movemask   masks
//   izero isub isum                              int32 lane counters
//   flush(V, double&)  widen(V) -> VD  dzero dadd total(VD)    float sums into double
//   sfence                                       after streaming stores
//   iset1 storeCodes(int8*, r0..r3, VI zero)     int8 codes of four vectors of rounded quotients
//                                                 (integers with r + zero in [-128, 127]), in
//                                                 element order
// measurePairs (the error sums of a given reconstruction) is instantiated by fakequant_avx2.cpp
// only: the other levels use the reference sums, as computeMetrics always did.
// Everything here has internal linkage (each including file gets its own copy, compiled for its
// ISA): no out-of-line copy compiled for one ISA can be picked by the linker for another.
#pragma once

#include <algorithm>
#include <cfloat>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "fakequant_kernels.h"
#include "fakequant_scalar.h"

#ifndef QUANT_FQ_TARGET
#error "define QUANT_FQ_TARGET (the ISA's function attribute) before including fakequant_simd.h"
#endif

namespace quant::fakequant::kernels {
namespace {

// Arrays at least this large are written with non-temporal stores: they cannot stay in cache
// anyway, and streaming avoids reading every output line before overwriting it.
constexpr std::size_t kStreamMinElements = std::size_t{1} << 22;
// Float partial sums run over this many vectors per lane before being flushed into double.
constexpr std::size_t kBlockVectors = 16;
// Blocks of the fast measuring kernel, in vectors.
constexpr std::size_t kFastBlock = 32;
// Blocks of measurePairs, in vectors.
constexpr std::size_t kPairBlockVectors = 32;

template <bool kMeasure, bool kVarying, class Prm>
QUANT_FQ_TARGET void scalarRun(const float* x, float* out, std::size_t n, const Prm& prm, Sums& L) {
  scalarBody<kMeasure, kVarying>(x, out, n, prm, L);
}

template <class P>
QUANT_FQ_TARGET inline void addLaneMax(typename P::V mx, double& maxAbs) {
  alignas(64) float t[P::kLanes];
  P::storeAligned(t, mx);
  for (float m : t) maxAbs = std::max(maxAbs, static_cast<double>(m));
}

// The five error sums of a block, per lane: err^2, |err|, x^2, out^2, err * (x + out); in float
// vectors, and widened into double vectors.
template <class P>
struct VectorSums {
  typename P::V see, sae, sxx, syy, sed;
};
template <class P>
struct WideSums {
  typename P::VD see, sae, sxx, syy, sed;
};

// Adds one vector of inputs x and outputs h (err = x - h) to the block's sums; returns |err|.
template <class P>
QUANT_FQ_TARGET QUANT_FQ_INLINE typename P::V accumulate(VectorSums<P>& a, typename P::V x,
                                                         typename P::V h, typename P::V absMask) {
  const typename P::V e = P::sub(x, h);
  const typename P::V ae = P::andV(e, absMask);
  a.see = P::madd(e, e, a.see);
  a.sae = P::add(a.sae, ae);
  a.sxx = P::madd(x, x, a.sxx);
  a.syy = P::madd(h, h, a.syy);
  a.sed = P::madd(e, P::add(x, h), a.sed);
  return ae;
}

// The block's float sums added to the double ones, and the double ones' totals.
template <class P>
QUANT_FQ_TARGET QUANT_FQ_INLINE void widenInto(WideSums<P>& d, const VectorSums<P>& f) {
  d.see = P::dadd(d.see, P::widen(f.see));
  d.sae = P::dadd(d.sae, P::widen(f.sae));
  d.sxx = P::dadd(d.sxx, P::widen(f.sxx));
  d.syy = P::dadd(d.syy, P::widen(f.syy));
  d.sed = P::dadd(d.sed, P::widen(f.sed));
}

template <class P>
QUANT_FQ_TARGET QUANT_FQ_INLINE void addTotals(const WideSums<P>& d, Sums& L) {
  L.see += P::total(d.see);
  L.sae += P::total(d.sae);
  L.sxx += P::total(d.sxx);
  L.syy += P::total(d.syy);
  L.sed += P::total(d.sed);
}

// The general kernel: any parameters, NaN and infinities masked lane by lane.
template <class P, bool kMeasure, bool kVarying, bool kStream, class Prm>
QUANT_FQ_TARGET void vectorRun(const float* x, float* out, std::size_t n, const Prm& prm, Sums& L) {
  using V = typename P::V;
  using VI = typename P::VI;
  constexpr std::size_t W = P::kLanes;
  const V absMask = P::absMask();
  const V fltMax = P::set1(FLT_MAX);
  V s{}, qlo{}, qhi{}, cl{}, ch{};
  if constexpr (!kVarying) {
    s = P::set1(prm.scale);
    qlo = P::set1(prm.qlo);
    qhi = P::set1(prm.qhi);
    cl = P::set1(prm.clipLo);
    ch = P::set1(prm.clipHi);
  }
  V mx = P::zero();
  std::size_t i = 0;
  if constexpr (kStream) {
    while (i < n && (reinterpret_cast<std::uintptr_t>(out + i) & (P::kAlign - 1)) != 0) ++i;
    scalarRun<kMeasure, kVarying>(x, out, i, prm, L);
  }
  while (i + W <= n) {
    const std::size_t nv = std::min(kBlockVectors, (n - i) / W);
    const V zero = P::zero();
    VectorSums<P> sums{zero, zero, zero, zero, zero};
    V sv = zero;
    VI cnt = P::izero(), clp = cnt;
    for (std::size_t k = 0; k < nv; ++k, i += W) {
      if constexpr (kVarying) {
        s = P::load(prm.scale + i);
        qlo = P::load(prm.qlo + i);
        qhi = P::load(prm.qhi + i);
      }
      const V xv = P::load(x + i);
      const V v = P::div(xv, s);
      // max returns its second operand for NaN: a NaN becomes qlo here and is zeroed below.
      V c = P::min(P::max(v, qlo), qhi);
      c = P::andV(c, P::ordered(v));
      const V r = P::round(c);
      const V h = P::mul(r, s);
      if constexpr (kStream) {
        P::stream(out + i, h);
      } else {
        P::store(out + i, h);
      }
      if constexpr (kMeasure) {
        if constexpr (kVarying) {
          cl = P::load(prm.clipLo + i);
          ch = P::load(prm.clipHi + i);
        }
        const V fin = P::le(P::andV(xv, absMask), fltMax);
        mx = P::max(mx, accumulate(sums, P::andV(xv, fin), P::andV(h, fin), absMask));
        const V outside = P::orV(P::lt(xv, cl), P::gt(xv, ch));
        cnt = P::isub(cnt, P::asInt(fin));
        clp = P::isub(clp, P::asInt(P::andV(outside, fin)));
        if constexpr (kVarying) {
          const V dv = P::andV(P::sub(v, r), fin);
          sv = P::madd(dv, dv, sv);
        }
      }
    }
    if constexpr (kMeasure) {
      P::flush(sums.see, L.see);
      P::flush(sums.sae, L.sae);
      P::flush(sums.sxx, L.sxx);
      P::flush(sums.syy, L.syy);
      P::flush(sums.sed, L.sed);
      if constexpr (kVarying) P::flush(sv, L.sv);
      const std::int64_t c = P::isum(cnt);
      L.count += c;
      L.nonFinite += static_cast<std::int64_t>(nv * W) - c;
      L.clipped += P::isum(clp);
    }
  }
  if constexpr (kMeasure) addLaneMax<P>(mx, L.maxAbs);
  if constexpr (kStream) P::sfence();
  if (i < n) {
    if constexpr (kVarying) {
      scalarRun<kMeasure, kVarying>(x + i, out + i, n - i, prm.from(i), L);
    } else {
      scalarRun<kMeasure, kVarying>(x + i, out + i, n - i, prm, L);
    }
  }
}

// The hot case of a measured run: one slot over a long run, x and out distinct, finite scale > 0.
// Blocks of kFastBlock vectors are computed without any finite-masking; a non-finite x (or a
// square that overflows float) makes that block's float sums non-finite, and then the block is
// redone by the scalar loop in double, which needs the inputs again (hence x != out). The outputs
// are identical to vectorRun's.
template <class P, bool kStream>
QUANT_FQ_TARGET void measureFast(const float* x, float* out, std::size_t n, const SlotParams& prm,
                                 Sums& L) {
  using V = typename P::V;
  using VI = typename P::VI;
  constexpr std::size_t W = P::kLanes;
  const V absMask = P::absMask();
  const V fltMax = P::set1(FLT_MAX);
  const V s = P::set1(prm.scale);
  const V qlo = P::set1(prm.qlo);
  const V qhi = P::set1(prm.qhi);
  const V cl = P::set1(prm.clipLo);
  const V ch = P::set1(prm.clipHi);
  const typename P::VD dzero = P::dzero();
  WideSums<P> wide{dzero, dzero, dzero, dzero, dzero};
  V mx = P::zero();
  std::size_t i = 0;
  if constexpr (kStream) {
    while (i < n && (reinterpret_cast<std::uintptr_t>(out + i) & (P::kAlign - 1)) != 0) ++i;
    scalarRun<true, false>(x, out, i, prm, L);
  }
  while (i + W * kFastBlock <= n) {
    const V zero = P::zero();
    VectorSums<P> sums{zero, zero, zero, zero, zero};
    V bmx = zero;
    VI clp = P::izero();
    for (std::size_t k = 0; k < kFastBlock; ++k) {
      const std::size_t j = i + W * k;
      const V xv = P::load(x + j);
      const V v = P::div(xv, s);
      const V c = P::min(P::max(v, qlo), qhi);
      // No NaN masking: a NaN x makes the block's sums NaN and the block is redone.
      const V r = P::round(c);
      const V h = P::mul(r, s);
      if constexpr (kStream) {
        P::stream(out + j, h);
      } else {
        P::store(out + j, h);
      }
      bmx = P::max(bmx, accumulate(sums, xv, h, absMask));
      const V outside = P::orV(P::lt(xv, cl), P::gt(xv, ch));
      clp = P::isub(clp, P::asInt(outside));
    }
    const V t = P::add(P::add(sums.see, sums.sxx), P::add(sums.syy, sums.sed));
    const V ok = P::le(P::andV(t, absMask), fltMax);
    if (P::movemask(ok) != P::kAllLanes) {
      // Redo in double: skips non-finite x and does not overflow on huge finite ones.
      scalarRun<true, false>(x + i, out + i, W * kFastBlock, prm, L);
      i += W * kFastBlock;
      continue;
    }
    widenInto(wide, sums);
    mx = P::max(mx, bmx);
    L.count += static_cast<std::int64_t>(W * kFastBlock);
    L.clipped += P::isum(clp);
    i += W * kFastBlock;
  }
  addTotals(wide, L);
  addLaneMax<P>(mx, L.maxAbs);
  if constexpr (kStream) P::sfence();
  if (i < n) vectorRun<P, true, false, false>(x + i, out + i, n - i, prm, L);
}

// Error sums of a given reconstruction y of x (fakequant::measure): float partial sums over
// blocks of kPairBlockVectors vectors per lane, flushed into double vectors; the tail by the
// reference kernel, compiled for the baseline ISA in its own file (no YMM value is live across
// the call, so the compiler clears the upper state first).
template <class P>
QUANT_FQ_TARGET Sums measurePairs(const float* x, const float* y, std::size_t n) {
  using V = typename P::V;
  using VI = typename P::VI;
  constexpr std::size_t W = P::kLanes;
  const V absMask = P::absMask();
  const V fltMax = P::set1(FLT_MAX);
  const typename P::VD dzero = P::dzero();
  WideSums<P> wide{dzero, dzero, dzero, dzero, dzero};
  V mx = P::zero();
  std::int64_t count = 0;
  std::size_t i = 0;
  while (i + W <= n) {
    const std::size_t nv = std::min(kPairBlockVectors, (n - i) / W);
    const V zero = P::zero();
    VectorSums<P> sums{zero, zero, zero, zero, zero};
    VI cnt = P::izero();
    for (std::size_t k = 0; k < nv; ++k, i += W) {
      const V xv = P::load(x + i);
      const V fin = P::le(P::andV(xv, absMask), fltMax);
      const V ae = accumulate(sums, P::andV(xv, fin), P::andV(P::load(y + i), fin), absMask);
      // max returns its second operand when one is NaN: a NaN error (from y) is ignored, as in
      // the reference.
      mx = P::max(ae, mx);
      cnt = P::isub(cnt, P::asInt(fin));
    }
    widenInto(wide, sums);
    count += P::isum(cnt);
  }
  Sums v;
  addTotals(wide, v);
  addLaneMax<P>(mx, v.maxAbs);
  v.count = count;
  Sums s = measureReference(x + i, y + i, n - i);
  s += v;
  s.nonFinite = static_cast<std::int64_t>(n) - s.count;
  return s;
}

// int8 codes (quantizeCodes), codeOne's formula per lane: a NaN quotient is zeroed before the
// clamp, so it clamps to clamp(0, lo, hi) = nanCode - zero. Four vectors per step, narrowed by
// P::storeCodes into one store; the tail by codeOne.
template <class P>
QUANT_FQ_TARGET QUANT_FQ_INLINE typename P::V roundedQuotient(const float* x, typename P::V s,
                                                              typename P::V lo, typename P::V hi) {
  const typename P::V v = P::div(P::load(x), s);
  return P::round(P::min(P::max(P::andV(v, P::ordered(v)), lo), hi));
}

template <class P>
QUANT_FQ_TARGET void codesWith(const float* x, std::int8_t* out, std::size_t n,
                               const CodeParams& p) {
  using V = typename P::V;
  constexpr std::size_t W = P::kLanes;
  const V s = P::set1(p.scale), lo = P::set1(p.lo), hi = P::set1(p.hi);
  const typename P::VI z = P::iset1(p.zero);
  std::size_t i = 0;
  for (; i + 4 * W <= n; i += 4 * W) {
    P::storeCodes(out + i, roundedQuotient<P>(x + i, s, lo, hi),
                  roundedQuotient<P>(x + i + W, s, lo, hi),
                  roundedQuotient<P>(x + i + 2 * W, s, lo, hi),
                  roundedQuotient<P>(x + i + 3 * W, s, lo, hi), z);
  }
  for (; i < n; ++i) out[i] = codeOne(x[i], p);
}

// Picks the variant for a run: streaming stores for long single-slot runs, the fast measuring
// kernel when its preconditions hold.
template <class P, bool kMeasure, bool kVarying, class Prm>
void dispatch(const float* x, float* out, std::size_t n, const Prm& prm, Sums& L) {
  const bool stream = !kVarying && n >= kStreamMinElements;
  if constexpr (kMeasure && !kVarying) {
    // The fast kernel assumes a NaN quotient can only come from a NaN x (detected through the
    // sums), which holds for any finite scale > 0.
    if (x != out && prm.scale > 0 && prm.scale <= FLT_MAX) {
      if (stream) {
        measureFast<P, true>(x, out, n, prm, L);
      } else {
        measureFast<P, false>(x, out, n, prm, L);
      }
      return;
    }
  }
  if (stream) {
    vectorRun<P, kMeasure, kVarying, true>(x, out, n, prm, L);
  } else {
    vectorRun<P, kMeasure, kVarying, false>(x, out, n, prm, L);
  }
}

// The entry point of a per-ISA file: sums == nullptr runs without measuring.
template <class P, class Prm>
void runWith(const float* x, float* out, std::size_t n, const Prm& prm, Sums* sums) {
  constexpr bool kVarying = std::is_same_v<Prm, ElementParams>;
  if (sums != nullptr) {
    dispatch<P, true, kVarying>(x, out, n, prm, *sums);
  } else {
    Sums unused;
    dispatch<P, false, kVarying>(x, out, n, prm, unused);
  }
}

}  // namespace
}  // namespace quant::fakequant::kernels
