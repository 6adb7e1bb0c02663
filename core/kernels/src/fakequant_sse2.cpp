// SPDX-License-Identifier: GPL-3.0-or-later
// OPTIMIZED: the SSE2 fake-quantize kernel (baseline x86-64, 4 floats per vector): the packet
// layer below under fakequant_simd.h's algorithm. Outputs checked bit-exactly against the scalar
// reference (tst_quantize); rounding is roundTiesToEven. No FMA: madd is a multiply and an add.
#include "quant/kernels/fakequant.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

// Baseline ISA: no attribute needed.
#define QUANT_FQ_TARGET
#include "fakequant_simd.h"

namespace quant::fakequant::kernels {
namespace {

struct Sse2Packet {
  using V = __m128;
  using VI = __m128i;
  using VD = __m128d;
  static constexpr std::size_t kLanes = 4;
  static constexpr std::uintptr_t kAlign = 16;
  static constexpr int kAllLanes = 0xf;

  static QUANT_FQ_INLINE V zero() { return _mm_setzero_ps(); }
  static QUANT_FQ_INLINE V set1(float f) { return _mm_set1_ps(f); }
  static QUANT_FQ_INLINE V load(const float* p) { return _mm_loadu_ps(p); }
  static QUANT_FQ_INLINE void store(float* p, V v) { _mm_storeu_ps(p, v); }
  static QUANT_FQ_INLINE void stream(float* p, V v) { _mm_stream_ps(p, v); }
  static QUANT_FQ_INLINE void storeAligned(float* p, V v) { _mm_store_ps(p, v); }
  static QUANT_FQ_INLINE void sfence() { _mm_sfence(); }

  static QUANT_FQ_INLINE V add(V a, V b) { return _mm_add_ps(a, b); }
  static QUANT_FQ_INLINE V sub(V a, V b) { return _mm_sub_ps(a, b); }
  static QUANT_FQ_INLINE V mul(V a, V b) { return _mm_mul_ps(a, b); }
  static QUANT_FQ_INLINE V div(V a, V b) { return _mm_div_ps(a, b); }
  static QUANT_FQ_INLINE V min(V a, V b) { return _mm_min_ps(a, b); }
  static QUANT_FQ_INLINE V max(V a, V b) { return _mm_max_ps(a, b); }
  static QUANT_FQ_INLINE V andV(V a, V b) { return _mm_and_ps(a, b); }
  static QUANT_FQ_INLINE V orV(V a, V b) { return _mm_or_ps(a, b); }
  static QUANT_FQ_INLINE V madd(V a, V b, V c) { return _mm_add_ps(c, _mm_mul_ps(a, b)); }
  static QUANT_FQ_INLINE V round(V c) {
    const V magic = _mm_set1_ps(kRoundTiesToEvenMagic);
    return _mm_sub_ps(_mm_add_ps(c, magic), magic);
  }

  static QUANT_FQ_INLINE V ordered(V v) { return _mm_cmpord_ps(v, v); }
  static QUANT_FQ_INLINE V lt(V a, V b) { return _mm_cmplt_ps(a, b); }
  static QUANT_FQ_INLINE V gt(V a, V b) { return _mm_cmpgt_ps(a, b); }
  static QUANT_FQ_INLINE V le(V a, V b) { return _mm_cmple_ps(a, b); }
  static QUANT_FQ_INLINE V absMask() { return _mm_castsi128_ps(_mm_set1_epi32(0x7fffffff)); }
  static QUANT_FQ_INLINE VI asInt(V v) { return _mm_castps_si128(v); }
  static QUANT_FQ_INLINE int movemask(V v) { return _mm_movemask_ps(v); }

  static QUANT_FQ_INLINE VI iset1(std::int32_t k) { return _mm_set1_epi32(k); }
  // The packs saturate, a no-op on codes already in [-128, 127].
  static QUANT_FQ_INLINE void storeCodes(std::int8_t* p, V r0, V r1, V r2, V r3, VI z) {
    const VI c01 = _mm_packs_epi32(_mm_add_epi32(_mm_cvttps_epi32(r0), z),
                                   _mm_add_epi32(_mm_cvttps_epi32(r1), z));
    const VI c23 = _mm_packs_epi32(_mm_add_epi32(_mm_cvttps_epi32(r2), z),
                                   _mm_add_epi32(_mm_cvttps_epi32(r3), z));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p), _mm_packs_epi16(c01, c23));
  }

  static QUANT_FQ_INLINE VI izero() { return _mm_setzero_si128(); }
  static QUANT_FQ_INLINE VI isub(VI a, VI b) { return _mm_sub_epi32(a, b); }
  static QUANT_FQ_INLINE std::int64_t isum(VI v) {
    alignas(16) std::int32_t t[4];
    _mm_store_si128(reinterpret_cast<__m128i*>(t), v);
    return static_cast<std::int64_t>(t[0]) + t[1] + t[2] + t[3];
  }

  // Lanes 0 + 2 and 1 + 3 in double, then those two.
  static QUANT_FQ_INLINE void flush(V f, double& acc) {
    const __m128d lo = _mm_cvtps_pd(f);
    const __m128d hi = _mm_cvtps_pd(_mm_movehl_ps(f, f));
    const __m128d s = _mm_add_pd(lo, hi);
    acc += _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
  }
  static QUANT_FQ_INLINE VD widen(V f) {
    return _mm_add_pd(_mm_cvtps_pd(f), _mm_cvtps_pd(_mm_movehl_ps(f, f)));
  }
  static QUANT_FQ_INLINE VD dzero() { return _mm_setzero_pd(); }
  static QUANT_FQ_INLINE VD dadd(VD a, VD b) { return _mm_add_pd(a, b); }
  static QUANT_FQ_INLINE double total(VD d) {
    return _mm_cvtsd_f64(_mm_add_sd(d, _mm_unpackhi_pd(d, d)));
  }
};

}  // namespace

void codesSse2(const float* x, std::int8_t* out, std::size_t n, const CodeParams& p) {
  codesWith<Sse2Packet>(x, out, n, p);
}
void runSse2(const float* x, float* out, std::size_t n, const SlotParams& p, Sums* sums) {
  runWith<Sse2Packet>(x, out, n, p, sums);
}
void runSse2(const float* x, float* out, std::size_t n, const ElementParams& p, Sums* sums) {
  runWith<Sse2Packet>(x, out, n, p, sums);
}

}  // namespace quant::fakequant::kernels
#endif
