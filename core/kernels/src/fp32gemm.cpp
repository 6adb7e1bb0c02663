// SPDX-License-Identifier: GPL-3.0-or-later
// The float32 GEMM front: argument checks, weight packing, the reference kernel (the
// specification: a plain loop accumulating in double) and the choice of kernel (the best at or
// below cpu::activeIsa()). The SIMD kernels live in fp32gemm_avx2.cpp and fp32gemm_avx512.cpp.
#include "quant/kernels/fp32gemm.h"

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <string>

#include "fp32gemm_kernels.h"
#include "quant/base/tensor.h"

namespace quant::fp32gemm {
namespace {

// The levels with a kernel of their own, lowest first. The AVX-512 kernel needs AVX-512F only,
// which the avx512vnni level implies.
constexpr std::initializer_list<Isa> kKernels = {Isa::Reference, Isa::Avx2, Isa::Avx512Vnni};

// Bounds that keep every index below in int range with room to spare.
constexpr int kMaxDim = 1 << 24;

Isa pick(Isa isa) {
  if (isa != Isa::Auto && !cpu::isaSupported(isa)) {
    throw Error(std::string("fp32 GEMM: this CPU cannot run the ") + cpu::isaName(isa) + " kernel");
  }
  return kernelIsa(isa);
}

void checkDims(int M, int K, int N) {
  if (M < 0 || M > kMaxDim || K < 1 || K > kMaxDim || N < 1 || N > kMaxDim) {
    throw Error("fp32 GEMM: sizes out of range (M = " + std::to_string(M) +
                ", K = " + std::to_string(K) + ", N = " + std::to_string(N) + ")");
  }
}

void reference(const kernels::Problem& p) {
  for (int m = 0; m < p.M; ++m) {
    for (int n = 0; n < p.N; ++n) {
      const float* b = p.b + (n / kPanel) * p.bGroup + n % kPanel;
      double acc = 0.0;
      for (int k = 0; k < p.K; ++k) acc += double(p.a[m * p.lda + k]) * b[k * p.bK];
      if (p.colBias != nullptr) acc += p.colBias[n];
      if (p.rowBias != nullptr) acc += p.rowBias[m];
      const float x = static_cast<float>(acc);
      p.c[m * p.ldc + n] = p.relu ? (x > 0.0f ? x : 0.0f) : x;
    }
  }
}

void run(Isa isa, const kernels::Problem& p) {
  if (p.M == 0) return;
  switch (pick(isa)) {
#if QUANT_FP32GEMM_X86
    case Isa::Avx512Vnni:
      kernels::avx512Gemm(p);
      return;
    case Isa::Avx2:
      kernels::avx2Gemm(p);
      return;
#endif
    default:
      reference(p);
      return;
  }
}

}  // namespace

Isa kernelIsa(Isa level) { return cpu::kernelFor(level, kKernels); }

std::vector<Isa> kernelIsas() { return cpu::supportedKernels(kKernels); }

PackedWeights packWeights(std::span<const float> w, int K, int N, Layout layout,
                          std::span<const float> bias) {
  checkDims(0, K, N);
  if (w.size() != std::size_t(K) * std::size_t(N)) {
    throw Error("fp32 packWeights: " + std::to_string(w.size()) +
                " weights, expected K*N = " + std::to_string(std::size_t(K) * std::size_t(N)));
  }
  if (!bias.empty() && bias.size() != std::size_t(N)) {
    throw Error("fp32 packWeights: the bias has " + std::to_string(bias.size()) +
                " values, expected N = " + std::to_string(N));
  }
  PackedWeights p;
  p.K = K;
  p.N = N;
  const std::size_t np = std::size_t(stridedRowFloats(N));
  p.panels.assign(np * std::size_t(K), 0.0f);
  for (int n = 0; n < N; ++n) {
    float* panel = p.panels.data() + std::size_t(n / kPanel) * kPanel * K + n % kPanel;
    for (int k = 0; k < K; ++k) {
      panel[std::size_t(k) * kPanel] =
          layout == Layout::KxN ? w[std::size_t(k) * N + n] : w[std::size_t(n) * K + k];
    }
  }
  p.bias.assign(np, 0.0f);
  std::copy(bias.begin(), bias.end(), p.bias.begin());
  return p;
}

void gemmPacked(Isa isa, const float* a, int M, std::ptrdiff_t lda, const PackedWeights& w,
                bool relu, float* c, std::ptrdiff_t ldc) {
  checkDims(M, w.K, w.N);
  if (w.panels.size() != std::size_t(stridedRowFloats(w.N)) * w.K) {
    throw Error("fp32 GEMM: the weights are not packed");
  }
  if (M > 0 && (a == nullptr || c == nullptr || lda < w.K || ldc < w.N)) {
    throw Error("fp32 GEMM: missing operand or leading dimension too small");
  }
  run(isa, {.a = a,
            .lda = lda,
            .b = w.panels.data(),
            .bGroup = std::ptrdiff_t{kPanel} * w.K,
            .bK = kPanel,
            .M = M,
            .N = w.N,
            .K = w.K,
            .c = c,
            .ldc = ldc,
            .colBias = w.bias.data(),
            .relu = relu});
}

void gemmStrided(Isa isa, const float* a, int M, int K, std::ptrdiff_t lda, const float* b, int N,
                 std::ptrdiff_t ldb, const float* rowBias, bool relu, float* c,
                 std::ptrdiff_t ldc) {
  checkDims(M, K, N);
  if (M > 0 && (a == nullptr || b == nullptr || c == nullptr || lda < K ||
                ldb < stridedRowFloats(N) || ldc < N)) {
    throw Error("fp32 GEMM: missing operand or leading dimension too small");
  }
  run(isa, {.a = a,
            .lda = lda,
            .b = b,
            .bGroup = kPanel,
            .bK = ldb,
            .M = M,
            .N = N,
            .K = K,
            .c = c,
            .ldc = ldc,
            .rowBias = rowBias,
            .relu = relu});
}

}  // namespace quant::fp32gemm
