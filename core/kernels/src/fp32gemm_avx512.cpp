// SPDX-License-Identifier: GPL-3.0-or-later
// OPTIMIZED: the AVX-512F float32 GEMM (fp32gemm.h), compiled with -mavx512f -mfma (this file
// only; see fp32gemm_kernels.h for why it uses no standard-library templates). Checked against the
// reference within the bound of fp32gemm.h and bit for bit against the AVX2 kernel (tst_fp32gemm).
// Tiles of up to 6 rows x 4 zmm (64 columns, four packed panels): 24 accumulators of the 32 zmm
// registers (fp32gemm_tile.h).
#include <immintrin.h>

#include "fp32gemm_kernels.h"

#if QUANT_FP32GEMM_X86

// GCC 12 warns about the deliberately undefined passthrough operand inside its own AVX-512
// intrinsics (_mm512_undefined_ps) once they are inlined: a known false positive.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

#include "fp32gemm_tile.h"

namespace quant::fp32gemm::kernels {
namespace {

struct Avx512Ops {
  using V = __m512;
  static constexpr int kLanes = 16, kMr = 6, kNv = 4, kPerGroup = 1;
  static V zero() { return _mm512_setzero_ps(); }
  static V load(const float* p) { return _mm512_loadu_ps(p); }
  static V broadcast(const float* p) { return _mm512_set1_ps(*p); }
  static V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static V add(V a, V b) { return _mm512_add_ps(a, b); }
  static V max(V a, V b) { return _mm512_max_ps(a, b); }
  static void store(float* p, V v, int valid) {
    if (valid >= kLanes) {
      _mm512_storeu_ps(p, v);
    } else {
      _mm512_mask_storeu_ps(p, static_cast<__mmask16>((1u << valid) - 1u), v);
    }
  }
};

}  // namespace

void avx512Gemm(const Problem& p) {
  gemm<Avx512Ops, 0, 1, 2, 3>(p);
  _mm256_zeroupper();
}

}  // namespace quant::fp32gemm::kernels

#endif
