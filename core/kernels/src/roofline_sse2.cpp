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

// x<i> * b with distinct x<i> and an opaque b: six independent products per round, each added
// into its own accumulator.
float sse2Fp32(std::int64_t iterations) {
  __m128 b = _mm_set1_ps(0.999f);
#define QR_INIT(i)                                  \
  const __m128 x##i = _mm_set1_ps(1e-3f * (i + 1)); \
  __m128 c##i = _mm_setzero_ps();
#define QR_STEP(i) c##i = _mm_add_ps(c##i, _mm_mul_ps(x##i, b));
#define QR_SUM(i) s = _mm_add_ps(s, c##i);
  QR_EACH6(QR_INIT)
  for (std::int64_t i = 0; i < iterations; ++i) {
    asm volatile("" : "+x"(b));
    QR_EACH6(QR_STEP)
  }
  __m128 s = _mm_setzero_ps();
  QR_EACH6(QR_SUM)
#undef QR_INIT
#undef QR_STEP
#undef QR_SUM
  return _mm_cvtss_f32(s);
}

std::int32_t sse2Int8(std::int64_t iterations) {
  __m128i b = _mm_set1_epi16(3);
#define QR_INIT(i)                                                 \
  const __m128i x##i = _mm_set1_epi16((i) % 2 ? -(i)-1 : (i) + 1); \
  __m128i c##i = _mm_setzero_si128();
#define QR_STEP(i) c##i = _mm_add_epi32(c##i, _mm_madd_epi16(x##i, b));
#define QR_SUM(i) s = _mm_add_epi32(s, c##i);
  QR_EACH6(QR_INIT)
  for (std::int64_t i = 0; i < iterations; ++i) {
    asm volatile("" : "+x"(b));
    QR_EACH6(QR_STEP)
  }
  __m128i s = _mm_setzero_si128();
  QR_EACH6(QR_SUM)
#undef QR_INIT
#undef QR_STEP
#undef QR_SUM
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
