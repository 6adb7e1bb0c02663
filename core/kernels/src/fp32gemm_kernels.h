// SPDX-License-Identifier: GPL-3.0-or-later
// The float32 GEMM kernels behind fp32gemm.cpp's front (fp32gemm.h). The front checks the
// arguments; the kernels trust them.
//
// The AVX files are compiled with -m flags of their own (core/CMakeLists.txt). Anything inline or
// templated that they share with other files could be emitted there with AVX instructions and be
// picked by the linker for every caller, so this header holds plain data and declarations only and
// the AVX files use no standard-library templates.
#pragma once

#include <cstddef>

namespace quant::fp32gemm::kernels {

// c[m][n] = act(bias + sum_k a[m * lda + k] * B(k, n)) for m < M, n < N, where the 16 columns
// [16j, 16j + 16) of row k of B start at b + j * bGroup + k * bK and may be read whole (zero or
// finite padding past N). colBias: roundUp(N, 16) values or null; rowBias: M values or null.
struct Problem {
  const float* a = nullptr;
  std::ptrdiff_t lda = 0;
  const float* b = nullptr;
  std::ptrdiff_t bGroup = 0, bK = 0;
  int M = 0, N = 0, K = 0;
  float* c = nullptr;
  std::ptrdiff_t ldc = 0;
  const float* colBias = nullptr;
  const float* rowBias = nullptr;
  bool relu = false;
};

#if defined(__x86_64__) || defined(__i386__)
#define QUANT_FP32GEMM_X86 1
// Both return with the upper vector state cleared (see gemm_kernels.h for why that matters).
void avx2Gemm(const Problem& p);
void avx512Gemm(const Problem& p);
#else
#define QUANT_FP32GEMM_X86 0
#endif

}  // namespace quant::fp32gemm::kernels
