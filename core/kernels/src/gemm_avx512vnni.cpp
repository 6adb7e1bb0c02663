// SPDX-License-Identifier: GPL-3.0-or-later
// OPTIMIZED: the AVX-512 VNNI int8 GEMM, checked bit-exactly against gemm_reference.cpp
// (tst_int8gemm). vpdpbusd multiplies u8 activations by s8 weights and sums four products straight
// into int32 (no intermediate saturation); int8 activations are shifted to uint8 by +128 together
// with their zero point, and the zero-point correction uses the column sums packed with the
// weights. Requantization is fixedpoint.h's (round half up high multiply, then round half away
// from zero shift), 16 channels at a time. Function-level target attributes only.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#include "gemm_kernels.h"

#if QUANT_GEMM_X86
#include <immintrin.h>

namespace quant::gemm::kernels {
namespace {

// ---------------------------------------------------------------------------------------------
// AVX-512 VNNI: vpdpbusd, u8 activations x s8 weights, 4 products into each int32 lane.

// GCC 12 warns about the deliberately undefined passthrough operand inside its own AVX-512
// intrinsics (_mm512_undefined_epi32) once they are inlined: a known false positive.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

#define QUANT_GEMM_VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

// Bit-exact vector form of requantize() for 16 channels starting at n.
QUANT_GEMM_VNNI inline __m512i vnniRequant(__m512i acc, const PackedWeights& w, int n, __m512i lo,
                                           __m512i hi, __m512i zo) {
  const __m512i mult = _mm512_loadu_si512(w.multPad.data() + n);
  const __m512i left = _mm512_loadu_si512(w.leftShiftPad.data() + n);
  const __m512i right = _mm512_loadu_si512(w.rightShiftPad.data() + n);
  const __m512i x = _mm512_sllv_epi32(acc, left);  // wraps, as MultiplyByQuantizedMultiplier
  // High multiply: 64-bit products of even and odd lanes, floor((ab + 2^30) / 2^31).
  const __m512i nudge = _mm512_set1_epi64(std::int64_t{1} << 30);
  const __m512i maxv = _mm512_set1_epi64(0x7fffffff);
  __m512i even = _mm512_mul_epi32(x, mult);
  __m512i odd = _mm512_mul_epi32(_mm512_srli_epi64(x, 32), _mm512_srli_epi64(mult, 32));
  even = _mm512_min_epi64(_mm512_srai_epi64(_mm512_add_epi64(even, nudge), 31), maxv);
  odd = _mm512_min_epi64(_mm512_srai_epi64(_mm512_add_epi64(odd, nudge), 31), maxv);
  __m512i r = _mm512_mask_blend_epi32(0xAAAA, even, _mm512_slli_epi64(odd, 32));
  // Rounding divide by 2^right, ties away from zero.
  const __m512i one = _mm512_set1_epi32(1);
  const __m512i mask = _mm512_sub_epi32(_mm512_sllv_epi32(one, right), one);
  const __m512i rem = _mm512_and_si512(r, mask);
  const __m512i thr = _mm512_add_epi32(_mm512_srli_epi32(mask, 1), _mm512_srli_epi32(r, 31));
  const __mmask16 up = _mm512_cmpgt_epi32_mask(rem, thr);
  r = _mm512_srav_epi32(r, right);
  r = _mm512_mask_add_epi32(r, up, r, one);
  // clamp(r + zo, lo, hi) without overflow: clamp r to [lo - zo, hi - zo] first.
  r = _mm512_max_epi32(_mm512_min_epi32(r, hi), lo);
  return _mm512_add_epi32(r, zo);
}

// Tiles of up to 6 rows x 4 zmm (64 columns) or 8 rows x 3 zmm: 24 accumulators + the weight
// vectors + 1 broadcast fit the 32 zmm registers. Per group of 4 k: NV weight loads and MR
// broadcasts feed MR * NV vpdpbusd.
constexpr int kVnniMrMax = 8;
constexpr int kVnniNv = 4;

// One accumulator vector's 16 columns (the first `cols` valid) to c (int32) or, with op, to out.
// lo, hi, zo: the output stage's constants (see vnniRequant), set up once per tile because the
// int8 stores may alias op and would make the compiler reload it after each one.
QUANT_GEMM_VNNI inline void vnniEmit(__m512i acc, const PackedWeights& w, int n, int cols,
                                     std::int32_t* c, std::int8_t* out, bool requant, __m512i lo,
                                     __m512i hi, __m512i zo) {
  const int valid = std::min(16, cols);
  const __mmask16 k = static_cast<__mmask16>((1u << valid) - 1u);
  if (!requant) {
    _mm512_mask_storeu_epi32(c, k, acc);
    return;
  }
  _mm512_mask_cvtepi32_storeu_epi8(out, k, vnniRequant(acc, w, n, lo, hi, zo));
}

// rows x (NV * 16) accumulators over `groups` groups of 4 k, started from offset (bias minus the
// zero-point correction), written to row i of c / out at offset i * ldc.
template <int MR, int NV>
QUANT_GEMM_VNNI void vnniTile(const std::uint8_t* a, int lda, const std::int8_t* wb,
                              std::size_t blockStride, int groups, const std::int32_t* offset,
                              const PackedWeights& w, int n0, int cols, std::int32_t* c,
                              std::int8_t* out, int ldc, const OutputParams* op) {
  static_assert(MR >= 1 && MR <= kVnniMrMax && NV >= 1 && NV <= kVnniNv && MR * NV <= 24);
  const __m512i o0 = _mm512_loadu_si512(offset);
  const __m512i o1 = NV > 1 ? _mm512_loadu_si512(offset + 16) : o0;
  const __m512i o2 = NV > 2 ? _mm512_loadu_si512(offset + 32) : o0;
  const __m512i o3 = NV > 3 ? _mm512_loadu_si512(offset + 48) : o0;
#define QG_DECL(i, j) __m512i c##i##_##j = o##j;
#define QG_DECL_ROW(i) QG_J4(QG_DECL, i)
  QG_I8(QG_DECL_ROW)
  const std::int8_t* w0p = wb;
  const std::int8_t* w1p = wb + (NV > 1 ? blockStride : 0);
  const std::int8_t* w2p = wb + (NV > 2 ? 2 * blockStride : 0);
  const std::int8_t* w3p = wb + (NV > 3 ? 3 * blockStride : 0);
  for (int g = 0; g < groups; ++g) {
    const __m512i w0 = _mm512_loadu_si512(w0p + g * 64);
    const __m512i w1 = NV > 1 ? _mm512_loadu_si512(w1p + g * 64) : w0;
    const __m512i w2 = NV > 2 ? _mm512_loadu_si512(w2p + g * 64) : w0;
    const __m512i w3 = NV > 3 ? _mm512_loadu_si512(w3p + g * 64) : w0;
    const std::uint8_t* ap = a + 4 * g;
#define QG_MAC(i, j)                                        \
  if constexpr (MR > i && NV > j) {                         \
    c##i##_##j = _mm512_dpbusd_epi32(c##i##_##j, av, w##j); \
  }
#define QG_ROW(i)                                                            \
  if constexpr (MR > i) {                                                    \
    const __m512i av = _mm512_set1_epi32(load32(ap + std::size_t(i) * lda)); \
    QG_J4(QG_MAC, i)                                                         \
  }
    QG_I8(QG_ROW)
  }
#define QG_EMIT(i, j)                                                                              \
  if constexpr (MR > i && NV > j) {                                                                \
    vnniEmit(c##i##_##j, w, n0 + j * 16, cols - j * 16,                                            \
             c == nullptr ? nullptr : c + std::size_t(i) * ldc + n0 + j * 16,                      \
             out == nullptr ? nullptr : out + std::size_t(i) * ldc + n0 + j * 16, requant, lo, hi, \
             zo);                                                                                  \
  }
#define QG_EMIT_ROW(i) QG_J4(QG_EMIT, i)
  const bool requant = op != nullptr;
  const __m512i zo = _mm512_set1_epi32(requant ? op->zeroPoint : 0);
  const __m512i lo = _mm512_set1_epi32(requant ? op->actMin - op->zeroPoint : 0);
  const __m512i hi = _mm512_set1_epi32(requant ? op->actMax - op->zeroPoint : 0);
  QG_I8(QG_EMIT_ROW)
#undef QG_DECL
#undef QG_DECL_ROW
#undef QG_MAC
#undef QG_ROW
#undef QG_EMIT
#undef QG_EMIT_ROW
}

using VnniTileFn = void (*)(const std::uint8_t*, int, const std::int8_t*, std::size_t, int,
                            const std::int32_t*, const PackedWeights&, int, int, std::int32_t*,
                            std::int8_t*, int, const OutputParams*);
// MR x NV; the driver never picks more than 24 accumulators (6 x 4 or 8 x 3): the entries beyond
// would spill and are not instantiated.
template <int MR>
constexpr VnniTileFn vnniRow[kVnniNv] = {vnniTile<MR, 1>, vnniTile<MR, 2>, vnniTile<MR, 3>,
                                         MR <= 6 ? vnniTile<std::min(MR, 6), 4> : nullptr};
constexpr const VnniTileFn* vnniTable[kVnniMrMax] = {
    vnniRow<1>, vnniRow<2>, vnniRow<3>, vnniRow<4>, vnniRow<5>, vnniRow<6>, vnniRow<7>, vnniRow<8>};

// dst (M x kp, kp = K rounded up to 4, zero padded) = a as uint8 (int8 + 128 = the sign bit
// flipped). Masked 64-byte moves: rows of small K (the first conv's K = 9) cost no library calls.
template <class T>
QUANT_GEMM_VNNI void vnniCopyRows(const T* a, int M, int K, std::uint8_t* dst, int kp) {
  const __m512i flip = _mm512_set1_epi8(std::is_same_v<T, std::int8_t> ? -128 : 0);
  for (int m = 0; m < M; ++m) {
    const T* src = a + std::size_t(m) * K;
    std::uint8_t* d = dst + std::size_t(m) * kp;
    for (int k = 0; k < kp; k += 64) {
      const int valid = std::max(0, std::min(64, K - k));
      const int room = std::min(64, kp - k);
      const __mmask64 in = valid >= 64 ? ~__mmask64{0} : (__mmask64{1} << valid) - 1;
      const __mmask64 outm = room >= 64 ? ~__mmask64{0} : (__mmask64{1} << room) - 1;
      // Lanes past K are the zero padding: only loaded lanes are flipped.
      const __m512i v = _mm512_maskz_loadu_epi8(in, src + k);
      _mm512_mask_storeu_epi8(d + k, outm, _mm512_maskz_mov_epi8(in, _mm512_xor_si512(v, flip)));
    }
  }
}

template <class T>
void vnniDriver(const T* a, int M, std::int32_t za, const PackedWeights& w, std::int32_t* c,
                const OutputParams* op, std::int8_t* out) {
  constexpr bool kSigned = std::is_same_v<T, std::int8_t>;
  const int K = w.K, N = w.N, kp = roundUp(K, 4), groups = kp / 4;
  // Activations as uint8 (int8 + 128 = flipping the sign bit), rows padded with zeros to kp. uint8
  // rows whose K is already a multiple of 4 are read in place.
  thread_local std::vector<std::uint8_t> as;
  const std::uint8_t* ab = nullptr;
  if constexpr (!kSigned) {
    if (kp == K) ab = a;
  }
  if (ab == nullptr) {
    as.resize(std::size_t(M) * kp);
    vnniCopyRows(a, M, K, as.data(), kp);
    ab = as.data();
  }
  const std::int32_t zu = kSigned ? za + 128 : za;
  // offset[n] = bias[n] - zu * colsum[n], modulo 2^32 like the reference's bias addition.
  const int np = roundUp(N, 16);
  thread_local std::vector<std::int32_t> offset;
  offset.resize(std::size_t(np));
  for (int n = 0; n < np; ++n) {
    offset[n] = wrapAdd(w.biasPad[n], wrapMul(-zu, w.colSumPad[n]));
  }
  const std::size_t blockStride = std::size_t(kp) * 16;
  // Panel width: 4 zmm (6-row tiles) when N has 64 columns or more, else all of N (8-row tiles).
  const int nvFull = std::min(kVnniNv, np / 16);
  const int mr = nvFull == kVnniNv ? 6 : kVnniMrMax;
  const int panel = nvFull * 16;
  // Rows split into equal tiles of at most mr (M = 32: 6,6,5,5,5,5 instead of 6 x 5 + 2).
  const int mTiles = (M + mr - 1) / mr;
  for (int n0 = 0; n0 < N; n0 += panel) {
    const int cols = std::min(panel, N - n0);
    const int nv = (cols + 15) / 16;
    const std::int8_t* wb = w.vnni.data() + std::size_t(n0 / 16) * blockStride;
    for (int t = 0, m0 = 0; t < mTiles; ++t) {
      const int left = mTiles - t;
      const int rows = (M - m0 + left - 1) / left;
      vnniTable[rows - 1][nv - 1](ab + std::size_t(m0) * kp, kp, wb, blockStride, groups,
                                  offset.data() + n0, w, n0, cols,
                                  c == nullptr ? nullptr : c + std::size_t(m0) * N,
                                  out == nullptr ? nullptr : out + std::size_t(m0) * N, N, op);
      m0 += rows;
    }
  }
}

}  // namespace

void vnniGemm(const std::uint8_t* a, int M, std::int32_t za, const PackedWeights& w,
              std::int32_t* c, const OutputParams* op, std::int8_t* out) {
  vnniDriver(a, M, za, w, c, op, out);
  clearUpperVectorState();
}
void vnniGemm(const std::int8_t* a, int M, std::int32_t za, const PackedWeights& w, std::int32_t* c,
              const OutputParams* op, std::int8_t* out) {
  vnniDriver(a, M, za, w, c, op, out);
  clearUpperVectorState();
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

}  // namespace quant::gemm::kernels
#endif  // QUANT_GEMM_X86
