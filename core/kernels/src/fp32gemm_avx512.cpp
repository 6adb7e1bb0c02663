// SPDX-License-Identifier: GPL-3.0-or-later
// OPTIMIZED: the AVX-512F float32 GEMM (fp32gemm.h), compiled with -mavx512f -mfma (this file
// only; see fp32gemm_kernels.h for why it uses no standard-library templates). Checked against the
// reference within the bound of fp32gemm.h and bit for bit against the AVX2 kernel (tst_fp32gemm).
//
// Register blocking: tiles of up to 6 rows x 4 zmm (64 columns), 24 accumulators; per k, four
// vector loads of B and six broadcasts of a feed 24 fused multiply-adds. Every accumulator is one
// FMA chain over k from 0, so the tile shape never changes a result.
#include <immintrin.h>

#include "fp32gemm_kernels.h"

#if QUANT_FP32GEMM_X86

namespace quant::fp32gemm::kernels {
namespace {

// GCC 12 warns about the deliberately undefined passthrough operand inside its own AVX-512
// intrinsics (_mm512_undefined_ps) once they are inlined: a known false positive.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

constexpr int kMr = 6;
constexpr int kNv = 4;
constexpr int kLanes = 16;

template <int MR, int NV>
void tile(const Problem& p, int m0, int n0) {
  const float* a = p.a + m0 * p.lda;
  const float* b = p.b + (n0 / kLanes) * p.bGroup;
  __m512 acc[MR][NV];
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i) {
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) acc[i][v] = _mm512_setzero_ps();
  }
  for (int k = 0; k < p.K; ++k) {
    __m512 bv[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) bv[v] = _mm512_loadu_ps(b + v * p.bGroup);
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i) {
      const __m512 av = _mm512_set1_ps(a[i * p.lda + k]);
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) acc[i][v] = _mm512_fmadd_ps(av, bv[v], acc[i][v]);
    }
    b += p.bK;
  }
  const int cols = p.N - n0;
  __m512 colBias[NV];
#pragma GCC unroll 4
  for (int v = 0; v < NV; ++v) {
    colBias[v] =
        p.colBias != nullptr ? _mm512_loadu_ps(p.colBias + n0 + v * kLanes) : _mm512_setzero_ps();
  }
  const __m512 zero = _mm512_setzero_ps();
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i) {
    const __m512 rowBias =
        p.rowBias != nullptr ? _mm512_set1_ps(p.rowBias[m0 + i]) : _mm512_setzero_ps();
    float* c = p.c + (m0 + i) * p.ldc + n0;
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) {
      __m512 x = _mm512_add_ps(acc[i][v], p.rowBias != nullptr ? rowBias : colBias[v]);
      // max(x, 0) returns its second operand for NaN: ReLU(NaN) = 0, as the layer defines it.
      if (p.relu) x = _mm512_max_ps(x, zero);
      const int left = cols - v * kLanes;
      if (left >= kLanes) {
        _mm512_storeu_ps(c + v * kLanes, x);
      } else {
        _mm512_mask_storeu_ps(c + v * kLanes, static_cast<__mmask16>((1u << left) - 1u), x);
      }
    }
  }
}

using TileFn = void (*)(const Problem&, int, int);

template <int MR>
constexpr TileFn kRow[kNv] = {&tile<MR, 1>, &tile<MR, 2>, &tile<MR, 3>, &tile<MR, 4>};
constexpr const TileFn* kTiles[kMr] = {kRow<1>, kRow<2>, kRow<3>, kRow<4>, kRow<5>, kRow<6>};

}  // namespace

void avx512Gemm(const Problem& p) {
  constexpr int kCols = kNv * kLanes;
  for (int n0 = 0; n0 < p.N; n0 += kCols) {
    const int cols = p.N - n0 < kCols ? p.N - n0 : kCols;
    const int nv = (cols + kLanes - 1) / kLanes;
    for (int m0 = 0; m0 < p.M; m0 += kMr) {
      const int mr = p.M - m0 < kMr ? p.M - m0 : kMr;
      kTiles[mr - 1][nv - 1](p, m0, n0);
    }
  }
  _mm256_zeroupper();
}

}  // namespace quant::fp32gemm::kernels

#endif
