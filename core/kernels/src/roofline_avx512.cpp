// SPDX-License-Identifier: GPL-3.0-or-later
// Roofline micro-kernels for AVX-512 (see roofline_kernels.h): vfmadd231ps zmm, and vpdpbusd zmm,
// the multiply-add of the VNNI int8 GEMM (gemm_avx512vnni.cpp). Function-level target attributes
// only; run only where the dispatcher reports avx512vnni.
#include <cstdint>

#include "roofline_kernels.h"

#if QUANT_ROOFLINE_X86
#include <immintrin.h>

namespace quant::roofline::kernels {

#define QUANT_ROOFLINE_AVX512 \
  __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx2,fma")))

QUANT_ROOFLINE_AVX512 float avx512Fp32(std::int64_t iterations) {
  __m512 a = _mm512_set1_ps(0.999f);
  const __m512 b = _mm512_set1_ps(1.0001f);
  // Distinct starting values: identical chains would be merged into one by the compiler.
  __m512 c0 = _mm512_set1_ps(1e-3f), c1 = _mm512_set1_ps(2e-3f), c2 = _mm512_set1_ps(3e-3f),
         c3 = _mm512_set1_ps(4e-3f), c4 = _mm512_set1_ps(5e-3f), c5 = _mm512_set1_ps(6e-3f),
         c6 = _mm512_set1_ps(7e-3f), c7 = _mm512_set1_ps(8e-3f), c8 = _mm512_set1_ps(9e-3f),
         c9 = _mm512_set1_ps(1e-2f), c10 = _mm512_set1_ps(1.1e-2f), c11 = _mm512_set1_ps(1.2e-2f);
  for (std::int64_t i = 0; i < iterations; ++i) {
    asm volatile("" : "+v"(a));
    c0 = _mm512_fmadd_ps(c0, a, b);
    c1 = _mm512_fmadd_ps(c1, a, b);
    c2 = _mm512_fmadd_ps(c2, a, b);
    c3 = _mm512_fmadd_ps(c3, a, b);
    c4 = _mm512_fmadd_ps(c4, a, b);
    c5 = _mm512_fmadd_ps(c5, a, b);
    c6 = _mm512_fmadd_ps(c6, a, b);
    c7 = _mm512_fmadd_ps(c7, a, b);
    c8 = _mm512_fmadd_ps(c8, a, b);
    c9 = _mm512_fmadd_ps(c9, a, b);
    c10 = _mm512_fmadd_ps(c10, a, b);
    c11 = _mm512_fmadd_ps(c11, a, b);
  }
  const __m512 s =
      _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(_mm512_add_ps(c0, c1), _mm512_add_ps(c2, c3)),
                                  _mm512_add_ps(_mm512_add_ps(c4, c5), _mm512_add_ps(c6, c7))),
                    _mm512_add_ps(_mm512_add_ps(c8, c9), _mm512_add_ps(c10, c11)));
  const float r = _mm512_reduce_add_ps(s);
  _mm256_zeroupper();
  return r;
}

QUANT_ROOFLINE_AVX512 std::int32_t avx512Int8(std::int64_t iterations) {
  __m512i a = _mm512_set1_epi8(3);
  const __m512i b = _mm512_set1_epi8(-2);
  __m512i c0 = _mm512_set1_epi32(0), c1 = _mm512_set1_epi32(1), c2 = _mm512_set1_epi32(2),
          c3 = _mm512_set1_epi32(3), c4 = _mm512_set1_epi32(4), c5 = _mm512_set1_epi32(5),
          c6 = _mm512_set1_epi32(6), c7 = _mm512_set1_epi32(7), c8 = _mm512_set1_epi32(8),
          c9 = _mm512_set1_epi32(9), c10 = _mm512_set1_epi32(10), c11 = _mm512_set1_epi32(11);
  for (std::int64_t i = 0; i < iterations; ++i) {
    asm volatile("" : "+v"(a));
    c0 = _mm512_dpbusd_epi32(c0, a, b);
    c1 = _mm512_dpbusd_epi32(c1, a, b);
    c2 = _mm512_dpbusd_epi32(c2, a, b);
    c3 = _mm512_dpbusd_epi32(c3, a, b);
    c4 = _mm512_dpbusd_epi32(c4, a, b);
    c5 = _mm512_dpbusd_epi32(c5, a, b);
    c6 = _mm512_dpbusd_epi32(c6, a, b);
    c7 = _mm512_dpbusd_epi32(c7, a, b);
    c8 = _mm512_dpbusd_epi32(c8, a, b);
    c9 = _mm512_dpbusd_epi32(c9, a, b);
    c10 = _mm512_dpbusd_epi32(c10, a, b);
    c11 = _mm512_dpbusd_epi32(c11, a, b);
  }
  const __m512i s = _mm512_add_epi32(
      _mm512_add_epi32(_mm512_add_epi32(_mm512_add_epi32(c0, c1), _mm512_add_epi32(c2, c3)),
                       _mm512_add_epi32(_mm512_add_epi32(c4, c5), _mm512_add_epi32(c6, c7))),
      _mm512_add_epi32(_mm512_add_epi32(c8, c9), _mm512_add_epi32(c10, c11)));
  const std::int32_t r = _mm512_reduce_add_epi32(s);
  _mm256_zeroupper();
  return r;
}

QUANT_ROOFLINE_AVX512 std::int64_t avx512Read(const std::int32_t* p, std::int64_t count) {
  __m512i c0 = _mm512_setzero_si512(), c1 = c0, c2 = c0, c3 = c0;
  for (std::int64_t i = 0; i < count; i += 64) {
    c0 = _mm512_add_epi32(c0, _mm512_loadu_si512(p + i));
    c1 = _mm512_add_epi32(c1, _mm512_loadu_si512(p + i + 16));
    c2 = _mm512_add_epi32(c2, _mm512_loadu_si512(p + i + 32));
    c3 = _mm512_add_epi32(c3, _mm512_loadu_si512(p + i + 48));
  }
  const std::int64_t r =
      _mm512_reduce_add_epi32(_mm512_add_epi32(_mm512_add_epi32(c0, c1), _mm512_add_epi32(c2, c3)));
  _mm256_zeroupper();
  return r;
}

}  // namespace quant::roofline::kernels
#endif  // QUANT_ROOFLINE_X86
