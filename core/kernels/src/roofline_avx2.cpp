// SPDX-License-Identifier: GPL-3.0-or-later
// Roofline micro-kernels for AVX2 + FMA (see roofline_kernels.h): vfmadd231ps ymm, and
// vpmaddwd ymm + vpaddd, the multiply-add of the AVX2 int8 GEMM (gemm_avx2.cpp). Function-level
// target attributes only, as in the GEMM kernels; the empty asm statements make the multiplier
// opaque once per round so the products cannot be hoisted out of the loop.
#include <cstdint>

#include "roofline_kernels.h"

#if QUANT_ROOFLINE_X86
#include <immintrin.h>

namespace quant::roofline::kernels {

#define QUANT_ROOFLINE_AVX2 __attribute__((target("avx2,fma")))

// Distinct starting values in every accumulator: identical chains would be merged into one.
QUANT_ROOFLINE_AVX2 float avx2Fp32(std::int64_t iterations) {
  __m256 a = _mm256_set1_ps(0.999f);
  const __m256 b = _mm256_set1_ps(1.0001f);
#define QR_INIT(i) __m256 c##i = _mm256_set1_ps(1e-3f * (i + 1));
#define QR_STEP(i) c##i = _mm256_fmadd_ps(c##i, a, b);
#define QR_SUM(i) s = _mm256_add_ps(s, c##i);
  QR_EACH10(QR_INIT)
  for (std::int64_t i = 0; i < iterations; ++i) {
    asm volatile("" : "+x"(a));
    QR_EACH10(QR_STEP)
  }
  __m256 s = _mm256_setzero_ps();
  QR_EACH10(QR_SUM)
#undef QR_INIT
#undef QR_STEP
#undef QR_SUM
  const float r = _mm256_cvtss_f32(s);
  _mm256_zeroupper();
  return r;
}

// vpmaddwd(x<i>, b) with distinct x<i> and an opaque b: six independent products per round,
// each added into its own accumulator.
QUANT_ROOFLINE_AVX2 std::int32_t avx2Int8(std::int64_t iterations) {
  __m256i b = _mm256_set1_epi16(3);
#define QR_INIT(i)                                                    \
  const __m256i x##i = _mm256_set1_epi16((i) % 2 ? -(i)-1 : (i) + 1); \
  __m256i c##i = _mm256_setzero_si256();
#define QR_STEP(i) c##i = _mm256_add_epi32(c##i, _mm256_madd_epi16(x##i, b));
#define QR_SUM(i) s = _mm256_add_epi32(s, c##i);
  QR_EACH6(QR_INIT)
  for (std::int64_t i = 0; i < iterations; ++i) {
    asm volatile("" : "+x"(b));
    QR_EACH6(QR_STEP)
  }
  __m256i s = _mm256_setzero_si256();
  QR_EACH6(QR_SUM)
#undef QR_INIT
#undef QR_STEP
#undef QR_SUM
  const std::int32_t r = _mm256_extract_epi32(s, 0);
  _mm256_zeroupper();
  return r;
}

QUANT_ROOFLINE_AVX2 std::int64_t avx2Read(const std::int32_t* p, std::int64_t count) {
  __m256i c0 = _mm256_setzero_si256(), c1 = c0, c2 = c0, c3 = c0;
  for (std::int64_t i = 0; i < count; i += 32) {
    c0 = _mm256_add_epi32(c0, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i)));
    c1 = _mm256_add_epi32(c1, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i + 8)));
    c2 = _mm256_add_epi32(c2, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i + 16)));
    c3 = _mm256_add_epi32(c3, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i + 24)));
  }
  const __m256i s = _mm256_add_epi32(_mm256_add_epi32(c0, c1), _mm256_add_epi32(c2, c3));
  const std::int64_t r = _mm256_extract_epi32(s, 0);
  _mm256_zeroupper();
  return r;
}

}  // namespace quant::roofline::kernels
#endif  // QUANT_ROOFLINE_X86
