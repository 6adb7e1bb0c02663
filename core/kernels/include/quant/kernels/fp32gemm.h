// SPDX-License-Identifier: GPL-3.0-or-later
// float32 GEMM with a fused output stage: the compute core of the float32 forward pass.
//
//   c[m][n] = act(bias + sum_k a[m][k] * b[k][n])            act = identity or ReLU (max(x, 0))
//
// Two operand forms, both row-major with explicit leading dimensions:
//   - gemmPacked:  B is a weight matrix packed once (packFp32Weights), bias per column (Linear:
//                  a = activations, one sample per row).
//   - gemmStrided: B is a plain K x N matrix (im2col columns), bias per row (Conv2d: a = the
//                  weights [outC x K], c = the NCHW output plane block).
//
// Arithmetic: the SIMD kernels (fp32gemm_avx2.cpp, fp32gemm_avx512.cpp) accumulate each output
// in one float32 fused multiply-add chain over k = 0, 1, ..., K-1 starting from 0, then add the
// bias and apply the activation (each one rounding to nearest, ties to even). Every output thus
// depends only on its own row of a and column of b, never on the tile, the thread split or the
// kernel, so the AVX2 and AVX-512 kernels agree bit for bit. The reference (fp32gemm.cpp, the
// specification) is a plain loop accumulating in double; the kernels differ from it by the float
// rounding of the chain, at most about (K + 1) * 2^-24 * (|bias| + sum_k |a[m][k] * b[k][n]|)
// (tst_fp32gemm checks that bound). ReLU maps NaN to 0, as the layer does.
//
// Kernels: reference / avx2 (AVX2 + FMA) / avx512vnni level (AVX-512F only), the best at or below
// cpu::activeIsa(). The AVX kernels sit in files compiled with their own -m flags; nothing else
// in the library is, so the binary runs on any x86-64.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "quant/kernels/cpu.h"

namespace quant::fp32gemm {

using cpu::Isa;

// The kernel a level runs: reference, avx2 or avx512vnni (Auto = cpu::activeIsa()).
Isa kernelIsa(Isa level = Isa::Auto);
// The kernels this CPU can run, reference first.
std::vector<Isa> kernelIsas();

// Columns per packed panel (one AVX-512 vector, two AVX2 vectors).
inline constexpr int kPanel = 16;

// Weights packed once: ceil(N / 16) panels of K x 16 floats (panel p holds columns
// [16p, 16p + 16) of B, row k at offset 16k), zero padded past N; the bias padded likewise.
struct PackedWeights {
  int K = 0;
  int N = 0;
  std::vector<float> panels;
  std::vector<float> bias;  // roundUp(N, 16) values (zero when none was given)
};

// How the source matrix of packFp32Weights is laid out.
enum class Layout {
  KxN,  // row k holds the N weights of input k
  NxK,  // row n holds the K weights of output n (Linear's [out, in], PyTorch / ONNX Gemm transB)
};

// Packs B (K x N). bias: N values or empty. Throws quant::Error for K or N < 1 or wrong sizes.
PackedWeights packWeights(std::span<const float> w, int K, int N, Layout layout,
                          std::span<const float> bias = {});

// c (M x N, row stride ldc) = act(a (M x K, row stride lda) * B + bias). M may be 0.
void gemmPacked(Isa isa, const float* a, int M, std::ptrdiff_t lda, const PackedWeights& w,
                bool relu, float* c, std::ptrdiff_t ldc);

// c (M x N, row stride ldc) = act(a (M x K, row stride lda) * b (K x N, row stride ldb) +
// rowBias[m]). rowBias may be null. The SIMD kernels read whole 16-column vectors of b: every row
// must be readable up to column roundUp(N, 16) - 1, so ldb >= roundUp(N, 16) (stridedRowFloats).
void gemmStrided(Isa isa, const float* a, int M, int K, std::ptrdiff_t lda, const float* b, int N,
                 std::ptrdiff_t ldb, const float* rowBias, bool relu, float* c, std::ptrdiff_t ldc);

// The row stride a b of N columns needs for gemmStrided.
inline std::ptrdiff_t stridedRowFloats(int N) { return (N + kPanel - 1) / kPanel * kPanel; }

}  // namespace quant::fp32gemm
