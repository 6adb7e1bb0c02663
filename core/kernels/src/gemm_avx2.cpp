// SPDX-License-Identifier: GPL-3.0-or-later
// OPTIMIZED: the AVX2 int8 GEMM, checked bit-exactly against gemm_reference.cpp (tst_int8gemm).
// Computes the same int32 accumulators and requantized int8 outputs (fixedpoint.h's rounding:
// round half up high multiply, then round half away from zero shift), in integer arithmetic
// that cannot saturate: activations are widened to int16 (a - za) and multiplied with vpmaddwd
// (see int8gemm.h for why not vpmaddubsw). Function-level target("avx2") attributes only, so
// nothing here runs on a CPU without AVX2 and no AVX2 copy of a shared inline function can leak
// into the rest of the program.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include "gemm_kernels.h"

#if QUANT_GEMM_X86
#include <immintrin.h>

namespace quant::gemm::kernels {
namespace {

#define QUANT_GEMM_AVX2 __attribute__((target("avx2")))

// Bit-exact vector form of requantize() for 8 channels starting at n (gemm_avx512vnni.cpp's
// vnniRequant is the AVX-512 version; AVX2 lacks 64-bit arithmetic shifts and saturating
// narrows, handled below).
QUANT_GEMM_AVX2 inline __m256i avx2Requant(__m256i acc, const PackedWeights& w, int n, __m256i lo,
                                           __m256i hi, __m256i zo) {
  const __m256i mult = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w.multPad.data() + n));
  const __m256i left =
      _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w.leftShiftPad.data() + n));
  const __m256i right =
      _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w.rightShiftPad.data() + n));
  const __m256i x = _mm256_sllv_epi32(acc, left);  // wraps, as MultiplyByQuantizedMultiplier
  // floor((ab + 2^30) / 2^31): only the low 32 bits of the shifted 64-bit value are kept, and
  // those are the same for a logical and an arithmetic shift.
  const __m256i nudge = _mm256_set1_epi64x(std::int64_t{1} << 30);
  __m256i even = _mm256_mul_epi32(x, mult);
  __m256i odd = _mm256_mul_epi32(_mm256_srli_epi64(x, 32), _mm256_srli_epi64(mult, 32));
  even = _mm256_srli_epi64(_mm256_add_epi64(even, nudge), 31);
  odd = _mm256_slli_epi64(_mm256_srli_epi64(_mm256_add_epi64(odd, nudge), 31), 32);
  __m256i r = _mm256_blend_epi32(even, odd, 0xAA);
  // The one overflow, INT32_MIN * INT32_MIN = 2^31, came out as INT32_MIN: flip it to INT32_MAX.
  const __m256i minv = _mm256_set1_epi32(std::numeric_limits<std::int32_t>::min());
  const __m256i both =
      _mm256_and_si256(_mm256_cmpeq_epi32(x, minv), _mm256_cmpeq_epi32(mult, minv));
  r = _mm256_xor_si256(r, both);
  // Rounding divide by 2^right, ties away from zero.
  const __m256i one = _mm256_set1_epi32(1);
  const __m256i mask = _mm256_sub_epi32(_mm256_sllv_epi32(one, right), one);
  const __m256i rem = _mm256_and_si256(r, mask);
  const __m256i thr = _mm256_add_epi32(_mm256_srli_epi32(mask, 1), _mm256_srli_epi32(r, 31));
  const __m256i up = _mm256_cmpgt_epi32(rem, thr);  // -1 where rounding up
  r = _mm256_sub_epi32(_mm256_srav_epi32(r, right), up);
  // clamp(r + zo, lo, hi) without overflow: clamp r to [lo - zo, hi - zo] first.
  r = _mm256_max_epi32(_mm256_min_epi32(r, hi), lo);
  return _mm256_add_epi32(r, zo);
}
// 6 rows x 2 ymm (16 columns): 12 accumulators + 2 weight vectors + 1 broadcast + 1 product = all
// 16 ymm registers. Per pair of k: 2 weight loads and 6 broadcasts feed 12 vpmaddwd.
// Cost: 2 vpmaddwd + 2 vpaddd per 32 products. oneDNN's AVX2 u8 x s8 kernel needs one op fewer
// (vpmaddubsw + vpmaddwd + vpaddd) but its int16 pair sums saturate: with a = 255, w = 127 it
// returns K/2 * 32767 instead of K * 32385. An exact vpmaddubsw form needs a split operand (7-bit
// part + 1-bit part) and 3 multiplies per 32 products, more than the 2 used here.
constexpr int kAvx2Mr = 6;
constexpr int kAvx2Nv = 2;
constexpr int kAvx2Cols = 8;  // columns per packed block (one ymm of int32)

// One accumulator vector's 8 columns (the first `cols` of them valid) to the output: int32 to c,
// or with op the requantized bytes to out.
QUANT_GEMM_AVX2 inline void avx2Emit(__m256i acc, const PackedWeights& w, int n, int cols,
                                     std::int32_t* c, std::int8_t* out, const OutputParams* op) {
  if (op == nullptr) {
    if (cols >= kAvx2Cols) {
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(c), acc);
    } else {
      alignas(32) std::int32_t t[kAvx2Cols];
      _mm256_store_si256(reinterpret_cast<__m256i*>(t), acc);
      std::memcpy(c, t, sizeof(std::int32_t) * std::size_t(cols));
    }
    return;
  }
  const __m256i zo = _mm256_set1_epi32(op->zeroPoint);
  const __m256i lo = _mm256_set1_epi32(op->actMin - op->zeroPoint);
  const __m256i hi = _mm256_set1_epi32(op->actMax - op->zeroPoint);
  // Byte 0 of each int32 lane to the low 4 bytes of each 128-bit half, then the halves together.
  const __m256i pick =
      _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 4, 8, 12, -1,
                       -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
  const __m256i join = _mm256_setr_epi32(0, 4, 0, 0, 0, 0, 0, 0);
  const __m256i r = avx2Requant(acc, w, n, lo, hi, zo);
  const __m128i bytes =
      _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(r, pick), join));
  if (cols >= kAvx2Cols) {
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out), bytes);
  } else {
    alignas(16) std::int8_t t[16];
    _mm_store_si128(reinterpret_cast<__m128i*>(t), bytes);
    std::memcpy(out, t, std::size_t(cols));
  }
}

// rows x (NV * 8) accumulators over `pairs` pairs of k, started from the bias, written to row i of
// c / out at offset i * ldc (only the first `cols` columns).
template <int MR, int NV>
QUANT_GEMM_AVX2 void avx2Tile(const std::int16_t* a, int lda, const std::int16_t* wb,
                              std::size_t blockStride, int pairs, const PackedWeights& w, int n0,
                              int cols, std::int32_t* c, std::int8_t* out, int ldc,
                              const OutputParams* op) {
  static_assert(MR >= 1 && MR <= 6 && NV >= 1 && NV <= 2);
  const __m256i b0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w.biasPad.data() + n0));
  const __m256i b1 =
      NV > 1
          ? _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w.biasPad.data() + n0 + kAvx2Cols))
          : b0;
#define QG_DECL(i, j) __m256i c##i##_##j = b##j;
#define QG_DECL_ROW(i) QG_J2(QG_DECL, i)
  QG_I6(QG_DECL_ROW)
  const std::int16_t* w0p = wb;
  const std::int16_t* w1p = wb + (NV > 1 ? blockStride : 0);
  for (int p = 0; p < pairs; ++p) {
    const __m256i w0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w0p + p * 16));
    const __m256i w1 =
        NV > 1 ? _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w1p + p * 16)) : w0;
    const std::int16_t* ap = a + 2 * p;
#define QG_MAC(i, j)                                                        \
  if constexpr (MR > i && NV > j) {                                         \
    c##i##_##j = _mm256_add_epi32(c##i##_##j, _mm256_madd_epi16(av, w##j)); \
  }
#define QG_ROW(i)                                                            \
  if constexpr (MR > i) {                                                    \
    const __m256i av = _mm256_set1_epi32(load32(ap + std::size_t(i) * lda)); \
    QG_J2(QG_MAC, i)                                                         \
  }
    QG_I6(QG_ROW)
  }
#define QG_EMIT(i, j)                                                                         \
  if constexpr (MR > i && NV > j) {                                                           \
    avx2Emit(c##i##_##j, w, n0 + j * kAvx2Cols, cols - j * kAvx2Cols,                         \
             c == nullptr ? nullptr : c + std::size_t(i) * ldc + n0 + j * kAvx2Cols,          \
             out == nullptr ? nullptr : out + std::size_t(i) * ldc + n0 + j * kAvx2Cols, op); \
  }
#define QG_EMIT_ROW(i) QG_J2(QG_EMIT, i)
  QG_I6(QG_EMIT_ROW)
#undef QG_DECL
#undef QG_DECL_ROW
#undef QG_MAC
#undef QG_ROW
#undef QG_EMIT
#undef QG_EMIT_ROW
}

using Avx2TileFn = void (*)(const std::int16_t*, int, const std::int16_t*, std::size_t, int,
                            const PackedWeights&, int, int, std::int32_t*, std::int8_t*, int,
                            const OutputParams*);
template <int MR>
constexpr Avx2TileFn avx2Row[kAvx2Nv] = {avx2Tile<MR, 1>, avx2Tile<MR, 2>};
constexpr const Avx2TileFn* avx2Table[kAvx2Mr] = {avx2Row<1>, avx2Row<2>, avx2Row<3>,
                                                  avx2Row<4>, avx2Row<5>, avx2Row<6>};

// dst (M x kp, kp = K rounded up to even, the pad column zero) = a - za as int16.
template <class T>
QUANT_GEMM_AVX2 void avx2Widen(const T* a, int M, int K, std::int32_t za, std::int16_t* dst,
                               int kp) {
  const __m256i z = _mm256_set1_epi16(static_cast<std::int16_t>(za));
  for (int m = 0; m < M; ++m) {
    const T* src = a + std::size_t(m) * K;
    std::int16_t* d = dst + std::size_t(m) * kp;
    int k = 0;
    for (; k + 16 <= K; k += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + k));
      const __m256i x =
          std::is_same_v<T, std::int8_t> ? _mm256_cvtepi8_epi16(v) : _mm256_cvtepu8_epi16(v);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(d + k), _mm256_sub_epi16(x, z));
    }
    for (; k < K; ++k) d[k] = static_cast<std::int16_t>(src[k] - za);
    if (kp > K) d[K] = 0;
  }
}

template <class T>
void avx2Driver(const T* a, int M, std::int32_t za, const PackedWeights& w, std::int32_t* c,
                const OutputParams* op, std::int8_t* out) {
  const int K = w.K, N = w.N, kp = roundUp(K, 2), pairs = kp / 2;
  thread_local std::vector<std::int16_t> as;
  as.resize(std::size_t(M) * kp);
  avx2Widen(a, M, K, za, as.data(), kp);
  const std::size_t blockStride = std::size_t(kp) * kAvx2Cols;
  // Rows split into equal tiles of at most kAvx2Mr (M = 32: 6,6,5,5,5,5 instead of 6 x 5 + 2).
  const int mTiles = (M + kAvx2Mr - 1) / kAvx2Mr;
  constexpr int panel = kAvx2Nv * kAvx2Cols;
  for (int n0 = 0; n0 < N; n0 += panel) {
    const int cols = std::min(panel, N - n0);
    const int nv = (cols + kAvx2Cols - 1) / kAvx2Cols;
    const std::int16_t* wb = w.avx2.data() + std::size_t(n0 / kAvx2Cols) * blockStride;
    for (int t = 0, m0 = 0; t < mTiles; ++t) {
      const int left = mTiles - t;
      const int rows = (M - m0 + left - 1) / left;
      avx2Table[rows - 1][nv - 1](as.data() + std::size_t(m0) * kp, kp, wb, blockStride, pairs, w,
                                  n0, cols, c == nullptr ? nullptr : c + std::size_t(m0) * N,
                                  out == nullptr ? nullptr : out + std::size_t(m0) * N, N, op);
      m0 += rows;
    }
  }
}

}  // namespace

QUANT_GEMM_AVX2 void clearUpperVectorState() { _mm256_zeroupper(); }

void avx2Gemm(const std::uint8_t* a, int M, std::int32_t za, const PackedWeights& w,
              std::int32_t* c, const OutputParams* op, std::int8_t* out) {
  avx2Driver(a, M, za, w, c, op, out);
  clearUpperVectorState();
}
void avx2Gemm(const std::int8_t* a, int M, std::int32_t za, const PackedWeights& w, std::int32_t* c,
              const OutputParams* op, std::int8_t* out) {
  avx2Driver(a, M, za, w, c, op, out);
  clearUpperVectorState();
}

}  // namespace quant::gemm::kernels
#endif  // QUANT_GEMM_X86
