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

QUANT_ROOFLINE_AVX2 float avx2Fp32(std::int64_t iterations) {
  __m256 a = _mm256_set1_ps(0.999f);
  const __m256 b = _mm256_set1_ps(1.0001f);
  // Distinct starting values: identical chains would be merged into one by the compiler.
  __m256 c0 = _mm256_set1_ps(1e-3f), c1 = _mm256_set1_ps(2e-3f), c2 = _mm256_set1_ps(3e-3f),
         c3 = _mm256_set1_ps(4e-3f), c4 = _mm256_set1_ps(5e-3f), c5 = _mm256_set1_ps(6e-3f),
         c6 = _mm256_set1_ps(7e-3f), c7 = _mm256_set1_ps(8e-3f), c8 = _mm256_set1_ps(9e-3f),
         c9 = _mm256_set1_ps(1e-2f);
  for (std::int64_t i = 0; i < iterations; ++i) {
    asm volatile("" : "+x"(a));
    c0 = _mm256_fmadd_ps(c0, a, b);
    c1 = _mm256_fmadd_ps(c1, a, b);
    c2 = _mm256_fmadd_ps(c2, a, b);
    c3 = _mm256_fmadd_ps(c3, a, b);
    c4 = _mm256_fmadd_ps(c4, a, b);
    c5 = _mm256_fmadd_ps(c5, a, b);
    c6 = _mm256_fmadd_ps(c6, a, b);
    c7 = _mm256_fmadd_ps(c7, a, b);
    c8 = _mm256_fmadd_ps(c8, a, b);
    c9 = _mm256_fmadd_ps(c9, a, b);
  }
  const __m256 s =
      _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(_mm256_add_ps(c0, c1), _mm256_add_ps(c2, c3)),
                                  _mm256_add_ps(_mm256_add_ps(c4, c5), _mm256_add_ps(c6, c7))),
                    _mm256_add_ps(c8, c9));
  const float r = _mm256_cvtss_f32(s);
  _mm256_zeroupper();
  return r;
}

QUANT_ROOFLINE_AVX2 std::int32_t avx2Int8(std::int64_t iterations) {
  __m256i b = _mm256_set1_epi16(3);
  const __m256i x0 = _mm256_set1_epi16(1), x1 = _mm256_set1_epi16(2), x2 = _mm256_set1_epi16(-3);
  const __m256i x3 = _mm256_set1_epi16(4), x4 = _mm256_set1_epi16(-5), x5 = _mm256_set1_epi16(6);
  __m256i c0 = _mm256_setzero_si256(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
  for (std::int64_t i = 0; i < iterations; ++i) {
    asm volatile("" : "+x"(b));
    c0 = _mm256_add_epi32(c0, _mm256_madd_epi16(x0, b));
    c1 = _mm256_add_epi32(c1, _mm256_madd_epi16(x1, b));
    c2 = _mm256_add_epi32(c2, _mm256_madd_epi16(x2, b));
    c3 = _mm256_add_epi32(c3, _mm256_madd_epi16(x3, b));
    c4 = _mm256_add_epi32(c4, _mm256_madd_epi16(x4, b));
    c5 = _mm256_add_epi32(c5, _mm256_madd_epi16(x5, b));
  }
  const __m256i s =
      _mm256_add_epi32(_mm256_add_epi32(_mm256_add_epi32(c0, c1), _mm256_add_epi32(c2, c3)),
                       _mm256_add_epi32(c4, c5));
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
