// SPDX-License-Identifier: GPL-3.0-or-later
// OPTIMIZED: the AVX2 + FMA fake-quantize kernel (8 floats per vector): the packet layer below
// under fakequant_simd.h's algorithm, compiled with function-level target("avx2,fma") only.
// Outputs checked bit-exactly against the scalar reference (tst_quantize); rounding is
// roundTiesToEven. madd is a fused multiply-add, so the measured sums differ from SSE2's in the
// last bits.
#include "quant/kernels/fakequant.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define QUANT_FQ_TARGET __attribute__((target("avx2,fma")))
#include "fakequant_simd.h"

#define QUANT_FQ_AVX2_INLINE QUANT_FQ_INLINE QUANT_FQ_TARGET

namespace quant::fakequant::kernels {
namespace {

struct Avx2Packet {
  using V = __m256;
  using VI = __m256i;
  using VD = __m256d;
  static constexpr std::size_t kLanes = 8;
  static constexpr std::uintptr_t kAlign = 32;
  static constexpr int kAllLanes = 0xff;

  static QUANT_FQ_AVX2_INLINE V zero() { return _mm256_setzero_ps(); }
  static QUANT_FQ_AVX2_INLINE V set1(float f) { return _mm256_set1_ps(f); }
  static QUANT_FQ_AVX2_INLINE V load(const float* p) { return _mm256_loadu_ps(p); }
  static QUANT_FQ_AVX2_INLINE void store(float* p, V v) { _mm256_storeu_ps(p, v); }
  static QUANT_FQ_AVX2_INLINE void stream(float* p, V v) { _mm256_stream_ps(p, v); }
  static QUANT_FQ_AVX2_INLINE void storeAligned(float* p, V v) { _mm256_store_ps(p, v); }
  static QUANT_FQ_AVX2_INLINE void sfence() { _mm_sfence(); }

  static QUANT_FQ_AVX2_INLINE V add(V a, V b) { return _mm256_add_ps(a, b); }
  static QUANT_FQ_AVX2_INLINE V sub(V a, V b) { return _mm256_sub_ps(a, b); }
  static QUANT_FQ_AVX2_INLINE V mul(V a, V b) { return _mm256_mul_ps(a, b); }
  static QUANT_FQ_AVX2_INLINE V div(V a, V b) { return _mm256_div_ps(a, b); }
  static QUANT_FQ_AVX2_INLINE V min(V a, V b) { return _mm256_min_ps(a, b); }
  static QUANT_FQ_AVX2_INLINE V max(V a, V b) { return _mm256_max_ps(a, b); }
  static QUANT_FQ_AVX2_INLINE V andV(V a, V b) { return _mm256_and_ps(a, b); }
  static QUANT_FQ_AVX2_INLINE V orV(V a, V b) { return _mm256_or_ps(a, b); }
  static QUANT_FQ_AVX2_INLINE V madd(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  static QUANT_FQ_AVX2_INLINE V round(V c) {
    const V magic = _mm256_set1_ps(kRoundTiesToEvenMagic);
    return _mm256_sub_ps(_mm256_add_ps(c, magic), magic);
  }

  static QUANT_FQ_AVX2_INLINE V ordered(V v) { return _mm256_cmp_ps(v, v, _CMP_ORD_Q); }
  static QUANT_FQ_AVX2_INLINE V lt(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
  static QUANT_FQ_AVX2_INLINE V gt(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_GT_OQ); }
  static QUANT_FQ_AVX2_INLINE V le(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_LE_OQ); }
  static QUANT_FQ_AVX2_INLINE V absMask() {
    return _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
  }
  static QUANT_FQ_AVX2_INLINE VI asInt(V v) { return _mm256_castps_si256(v); }
  static QUANT_FQ_AVX2_INLINE int movemask(V v) { return _mm256_movemask_ps(v); }

  static QUANT_FQ_AVX2_INLINE VI iset1(std::int32_t k) { return _mm256_set1_epi32(k); }
  // The packs saturate (a no-op on codes already in [-128, 127]) and interleave the two 128-bit
  // halves; the permutation puts the 4-byte groups back in element order.
  static QUANT_FQ_AVX2_INLINE void storeCodes(std::int8_t* p, V r0, V r1, V r2, V r3, VI z) {
    const VI c01 = _mm256_packs_epi32(_mm256_add_epi32(_mm256_cvttps_epi32(r0), z),
                                      _mm256_add_epi32(_mm256_cvttps_epi32(r1), z));
    const VI c23 = _mm256_packs_epi32(_mm256_add_epi32(_mm256_cvttps_epi32(r2), z),
                                      _mm256_add_epi32(_mm256_cvttps_epi32(r3), z));
    const VI mixed = _mm256_packs_epi16(c01, c23);
    _mm256_storeu_si256(
        reinterpret_cast<__m256i*>(p),
        _mm256_permutevar8x32_epi32(mixed, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7)));
  }

  static QUANT_FQ_AVX2_INLINE VI izero() { return _mm256_setzero_si256(); }
  static QUANT_FQ_AVX2_INLINE VI isub(VI a, VI b) { return _mm256_sub_epi32(a, b); }
  static QUANT_FQ_AVX2_INLINE std::int64_t isum(VI v) {
    alignas(32) std::int32_t t[8];
    _mm256_store_si256(reinterpret_cast<__m256i*>(t), v);
    std::int64_t s = 0;
    for (std::int32_t k : t) s += k;
    return s;
  }

  // Lanes k + k+4 in double, then (0 + 2) + (1 + 3) of those.
  static QUANT_FQ_AVX2_INLINE void flush(V f, double& acc) {
    const __m256d s = _mm256_add_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(f)),
                                    _mm256_cvtps_pd(_mm256_extractf128_ps(f, 1)));
    const __m128d t = _mm_add_pd(_mm256_castpd256_pd128(s), _mm256_extractf128_pd(s, 1));
    acc += _mm_cvtsd_f64(_mm_add_sd(t, _mm_unpackhi_pd(t, t)));
  }
  static QUANT_FQ_AVX2_INLINE VD widen(V f) {
    return _mm256_add_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(f)),
                         _mm256_cvtps_pd(_mm256_extractf128_ps(f, 1)));
  }
  static QUANT_FQ_AVX2_INLINE VD dzero() { return _mm256_setzero_pd(); }
  static QUANT_FQ_AVX2_INLINE VD dadd(VD a, VD b) { return _mm256_add_pd(a, b); }
  static QUANT_FQ_AVX2_INLINE double total(VD d) {
    alignas(32) double t[4];
    _mm256_store_pd(t, d);
    return (t[0] + t[1]) + (t[2] + t[3]);
  }
};

}  // namespace

void runAvx2(const float* x, float* out, std::size_t n, const SlotParams& p, Sums* sums) {
  runWith<Avx2Packet>(x, out, n, p, sums);
}
void runAvx2(const float* x, float* out, std::size_t n, const ElementParams& p, Sums* sums) {
  runWith<Avx2Packet>(x, out, n, p, sums);
}
void codesAvx2(const float* x, std::int8_t* out, std::size_t n, const CodeParams& p) {
  codesWith<Avx2Packet>(x, out, n, p);
}
Sums measureAvx2(const float* x, const float* y, std::size_t n) {
  return measurePairs<Avx2Packet>(x, y, n);
}

}  // namespace quant::fakequant::kernels
#endif
