// SPDX-License-Identifier: GPL-3.0-or-later
// Roofline micro-kernels at the baseline level (SSE2 on x86-64, plain C++ elsewhere); see
// roofline_kernels.h. The empty asm statements make the multiplier opaque once per round, so the
// products cannot be hoisted out of the loop; they emit no instruction.
#include <cstdint>

#include "roofline_kernels.h"

#if QUANT_ROOFLINE_X86
#include <emmintrin.h>
#endif

namespace quant::roofline::kernels {

#if QUANT_ROOFLINE_X86

float sse2Fp32(std::int64_t iterations) {
  __m128 b = _mm_set1_ps(0.999f);
  const __m128 x0 = _mm_set1_ps(1e-3f), x1 = _mm_set1_ps(2e-3f), x2 = _mm_set1_ps(3e-3f);
  const __m128 x3 = _mm_set1_ps(4e-3f), x4 = _mm_set1_ps(5e-3f), x5 = _mm_set1_ps(6e-3f);
  __m128 c0 = _mm_setzero_ps(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
  for (std::int64_t i = 0; i < iterations; ++i) {
    asm volatile("" : "+x"(b));
    c0 = _mm_add_ps(c0, _mm_mul_ps(x0, b));
    c1 = _mm_add_ps(c1, _mm_mul_ps(x1, b));
    c2 = _mm_add_ps(c2, _mm_mul_ps(x2, b));
    c3 = _mm_add_ps(c3, _mm_mul_ps(x3, b));
    c4 = _mm_add_ps(c4, _mm_mul_ps(x4, b));
    c5 = _mm_add_ps(c5, _mm_mul_ps(x5, b));
  }
  const __m128 s =
      _mm_add_ps(_mm_add_ps(_mm_add_ps(c0, c1), _mm_add_ps(c2, c3)), _mm_add_ps(c4, c5));
  return _mm_cvtss_f32(s);
}

std::int32_t sse2Int8(std::int64_t iterations) {
  __m128i b = _mm_set1_epi16(3);
  const __m128i x0 = _mm_set1_epi16(1), x1 = _mm_set1_epi16(2), x2 = _mm_set1_epi16(-3);
  const __m128i x3 = _mm_set1_epi16(4), x4 = _mm_set1_epi16(-5), x5 = _mm_set1_epi16(6);
  __m128i c0 = _mm_setzero_si128(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
  for (std::int64_t i = 0; i < iterations; ++i) {
    asm volatile("" : "+x"(b));
    c0 = _mm_add_epi32(c0, _mm_madd_epi16(x0, b));
    c1 = _mm_add_epi32(c1, _mm_madd_epi16(x1, b));
    c2 = _mm_add_epi32(c2, _mm_madd_epi16(x2, b));
    c3 = _mm_add_epi32(c3, _mm_madd_epi16(x3, b));
    c4 = _mm_add_epi32(c4, _mm_madd_epi16(x4, b));
    c5 = _mm_add_epi32(c5, _mm_madd_epi16(x5, b));
  }
  const __m128i s = _mm_add_epi32(_mm_add_epi32(_mm_add_epi32(c0, c1), _mm_add_epi32(c2, c3)),
                                  _mm_add_epi32(c4, c5));
  return _mm_cvtsi128_si32(s);
}

std::int64_t sse2Read(const std::int32_t* p, std::int64_t count) {
  __m128i c0 = _mm_setzero_si128(), c1 = c0, c2 = c0, c3 = c0;
  for (std::int64_t i = 0; i < count; i += 16) {
    c0 = _mm_add_epi32(c0, _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)));
    c1 = _mm_add_epi32(c1, _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 4)));
    c2 = _mm_add_epi32(c2, _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 8)));
    c3 = _mm_add_epi32(c3, _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 12)));
  }
  return _mm_cvtsi128_si32(_mm_add_epi32(_mm_add_epi32(c0, c1), _mm_add_epi32(c2, c3)));
}

#else  // not x86: the same loops in plain C++ (the compiler's baseline vectorization)

float sse2Fp32(std::int64_t iterations) {
  float c[24] = {}, b = 0.999f;
  for (std::int64_t i = 0; i < iterations; ++i) {
    asm volatile("" : "+m"(b));
    for (int j = 0; j < 24; ++j) c[j] += static_cast<float>(j + 1) * 1e-3f * b;
  }
  float s = 0;
  for (float v : c) s += v;
  return s;
}

std::int32_t sse2Int8(std::int64_t iterations) {
  std::int32_t c[48] = {}, b = 3;
  for (std::int64_t i = 0; i < iterations; ++i) {
    asm volatile("" : "+m"(b));
    for (int j = 0; j < 48; ++j) c[j] += static_cast<std::int16_t>(j - 24) * b;
  }
  std::int32_t s = 0;
  for (std::int32_t v : c) s += v;
  return s;
}

std::int64_t sse2Read(const std::int32_t* p, std::int64_t count) {
  std::int64_t s = 0;
  for (std::int64_t i = 0; i < count; ++i) s += p[i];
  return s;
}

#endif

}  // namespace quant::roofline::kernels
