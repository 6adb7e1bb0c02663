// SPDX-License-Identifier: GPL-3.0-or-later
// OPTIMIZED: the AVX2 + FMA float32 GEMM (fp32gemm.h), compiled with -mavx2 -mfma (this file only;
// see fp32gemm_kernels.h for why it uses no standard-library templates). Checked against the
// reference within the bound of fp32gemm.h and bit for bit against the AVX-512 kernel
// (tst_fp32gemm).
//
// Register blocking: tiles of up to 6 rows x 2 ymm (16 columns, one packed panel), 12
// accumulators of the 16 ymm registers; per k, two vector loads of B and six broadcasts of a feed
// 12 fused multiply-adds. Every accumulator is one FMA chain over k from 0.
#include <immintrin.h>

#include "fp32gemm_kernels.h"

#if QUANT_FP32GEMM_X86

namespace quant::fp32gemm::kernels {
namespace {

constexpr int kMr = 6;
constexpr int kNv = 2;
constexpr int kLanes = 8;
constexpr int kGroup = 16;  // columns per B group (fp32gemm::kPanel)

__m256i laneMask(int valid) {
  const __m256i index = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(valid), index);
}

template <int MR, int NV>
void tile(const Problem& p, int m0, int n0) {
  const float* a = p.a + m0 * p.lda;
  const float* b = p.b + (n0 / kGroup) * p.bGroup;
  __m256 acc[MR][NV];
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i) {
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) acc[i][v] = _mm256_setzero_ps();
  }
  for (int k = 0; k < p.K; ++k) {
    __m256 bv[NV];
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) bv[v] = _mm256_loadu_ps(b + v * kLanes);
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i) {
      const __m256 av = _mm256_broadcast_ss(a + i * p.lda + k);
#pragma GCC unroll 2
      for (int v = 0; v < NV; ++v) acc[i][v] = _mm256_fmadd_ps(av, bv[v], acc[i][v]);
    }
    b += p.bK;
  }
  const int cols = p.N - n0;
  __m256 colBias[NV];
#pragma GCC unroll 2
  for (int v = 0; v < NV; ++v) {
    colBias[v] =
        p.colBias != nullptr ? _mm256_loadu_ps(p.colBias + n0 + v * kLanes) : _mm256_setzero_ps();
  }
  const __m256 zero = _mm256_setzero_ps();
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i) {
    const __m256 rowBias =
        p.rowBias != nullptr ? _mm256_set1_ps(p.rowBias[m0 + i]) : _mm256_setzero_ps();
    float* c = p.c + (m0 + i) * p.ldc + n0;
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) {
      __m256 x = _mm256_add_ps(acc[i][v], p.rowBias != nullptr ? rowBias : colBias[v]);
      // max(x, 0) returns its second operand for NaN: ReLU(NaN) = 0, as the layer defines it.
      if (p.relu) x = _mm256_max_ps(x, zero);
      const int left = cols - v * kLanes;
      if (left >= kLanes) {
        _mm256_storeu_ps(c + v * kLanes, x);
      } else {
        _mm256_maskstore_ps(c + v * kLanes, laneMask(left), x);
      }
    }
  }
}

using TileFn = void (*)(const Problem&, int, int);

template <int MR>
constexpr TileFn kRow[kNv] = {&tile<MR, 1>, &tile<MR, 2>};
constexpr const TileFn* kTiles[kMr] = {kRow<1>, kRow<2>, kRow<3>, kRow<4>, kRow<5>, kRow<6>};

}  // namespace

void avx2Gemm(const Problem& p) {
  for (int n0 = 0; n0 < p.N; n0 += kGroup) {
    const int cols = p.N - n0 < kGroup ? p.N - n0 : kGroup;
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
