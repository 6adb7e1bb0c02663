// SPDX-License-Identifier: GPL-3.0-or-later
// Roofline micro-kernels for AVX-512 (see roofline_kernels.h): vfmadd231ps zmm, and vpdpbusd zmm,
// the multiply-add of the VNNI int8 GEMM (gemm_avx512vnni.cpp). Function-level target attributes
// only; run only where the dispatcher reports avx512vnni.
#include <cstdint>

#include "roofline_kernels.h"

#if QUANT_ROOFLINE_X86
#include <immintrin.h>

namespace quant::roofline::kernels {

// GCC 12 warns about the deliberately undefined operand inside its own AVX-512 reduction
// intrinsics once they are inlined: a known false positive (as in gemm_avx512vnni.cpp).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

#define QUANT_ROOFLINE_AVX512 \
  __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx2,fma")))

// The lanes' sum modulo 2^32: the sums only keep the loops alive, and _mm512_reduce_add_epi32
// adds in signed int, whose overflow is undefined (UBSan reports it).
QUANT_ROOFLINE_AVX512 inline std::uint32_t sumLanes(__m512i v) {
  alignas(64) std::uint32_t lanes[16];
  _mm512_store_si512(lanes, v);
  std::uint32_t sum = 0;
  for (std::uint32_t x : lanes) sum += x;
  return sum;
}

// Distinct starting values in every accumulator: identical chains would be merged into one.
QUANT_ROOFLINE_AVX512 float avx512Fp32(std::int64_t iterations) {
  __m512 a = _mm512_set1_ps(0.999f);
  const __m512 b = _mm512_set1_ps(1.0001f);
#define QR_INIT(i) __m512 c##i = _mm512_set1_ps(1e-3f * (i + 1));
#define QR_STEP(i) c##i = _mm512_fmadd_ps(c##i, a, b);
#define QR_SUM(i) s = _mm512_add_ps(s, c##i);
  QR_EACH12(QR_INIT)
  for (std::int64_t i = 0; i < iterations; ++i) {
    asm volatile("" : "+v"(a));
    QR_EACH12(QR_STEP)
  }
  __m512 s = _mm512_setzero_ps();
  QR_EACH12(QR_SUM)
#undef QR_INIT
#undef QR_STEP
#undef QR_SUM
  const float r = _mm512_reduce_add_ps(s);
  _mm256_zeroupper();
  return r;
}

QUANT_ROOFLINE_AVX512 std::int32_t avx512Int8(std::int64_t iterations) {
  __m512i a = _mm512_set1_epi8(3);
  const __m512i b = _mm512_set1_epi8(-2);
#define QR_INIT(i) __m512i c##i = _mm512_set1_epi32(i);
#define QR_STEP(i) c##i = _mm512_dpbusd_epi32(c##i, a, b);
#define QR_SUM(i) s = _mm512_add_epi32(s, c##i);
  QR_EACH12(QR_INIT)
  for (std::int64_t i = 0; i < iterations; ++i) {
    asm volatile("" : "+v"(a));
    QR_EACH12(QR_STEP)
  }
  __m512i s = _mm512_setzero_si512();
  QR_EACH12(QR_SUM)
#undef QR_INIT
#undef QR_STEP
#undef QR_SUM
  const auto r = static_cast<std::int32_t>(sumLanes(s));
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
      sumLanes(_mm512_add_epi32(_mm512_add_epi32(c0, c1), _mm512_add_epi32(c2, c3)));
  _mm256_zeroupper();
  return r;
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

}  // namespace quant::roofline::kernels
#endif  // QUANT_ROOFLINE_X86
