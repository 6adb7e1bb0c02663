// SPDX-License-Identifier: GPL-3.0-or-later
// OPTIMIZED: the AVX2 + FMA float32 GEMM (fp32gemm.h), compiled with -mavx2 -mfma (this file only;
// see fp32gemm_kernels.h for why it uses no standard-library templates). Checked against the
// reference within the bound of fp32gemm.h and bit for bit against the AVX-512 kernel
// (tst_fp32gemm). Tiles of up to 6 rows x 2 ymm (16 columns, one packed panel): 12 accumulators
// of the 16 ymm registers (fp32gemm_tile.h).
#include <immintrin.h>

#include "fp32gemm_kernels.h"

#if QUANT_FP32GEMM_X86

#include "fp32gemm_tile.h"

namespace quant::fp32gemm::kernels {
namespace {

struct Avx2Ops {
  using V = __m256;
  static constexpr int kLanes = 8, kMr = 6, kNv = 2, kPerGroup = 2;
  static V zero() { return _mm256_setzero_ps(); }
  static V load(const float* p) { return _mm256_loadu_ps(p); }
  static V broadcast(const float* p) { return _mm256_broadcast_ss(p); }
  static V fma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  static V add(V a, V b) { return _mm256_add_ps(a, b); }
  static V max(V a, V b) { return _mm256_max_ps(a, b); }
  static void store(float* p, V v, int valid) {
    if (valid >= kLanes) {
      _mm256_storeu_ps(p, v);
    } else {
      const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
      _mm256_maskstore_ps(p, _mm256_cmpgt_epi32(_mm256_set1_epi32(valid), lane), v);
    }
  }
};

}  // namespace

void avx2Gemm(const Problem& p) {
  gemm<Avx2Ops, 0, 1>(p);
  _mm256_zeroupper();
}

}  // namespace quant::fp32gemm::kernels

#endif
