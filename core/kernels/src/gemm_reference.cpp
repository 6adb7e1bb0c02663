// SPDX-License-Identifier: GPL-3.0-or-later
// NORMATIVE: the reference int8 GEMM, the specification every other kernel must match bit for bit
// (tst_int8gemm compares them on many shapes, odd sizes and edge values).
//
//   c[m][n] = wrap32(sum_k (a[m][k] - za) * w[k][n] + bias[n])
//   out[m][n] = requantize(c[m][n], requant[n], op)        (fixedpoint.h: round half up, then
//                                                           round half away from zero)
//
// A plain loop over m, n, k with an exact 64-bit sum; only the bias addition wraps modulo 2^32.
// Always compiled, for every CPU: QUANTLAB_ISA=reference selects it.
#include <cstddef>
#include <cstdint>

#include "gemm_kernels.h"

namespace quant::gemm::kernels {
namespace {

template <class T>
void referenceKernel(const T* a, int M, std::int32_t za, const PackedWeights& w, std::int32_t* c) {
  const int K = w.K, N = w.N;
  for (int m = 0; m < M; ++m) {
    for (int n = 0; n < N; ++n) {
      std::int64_t sum = 0;
      for (int k = 0; k < K; ++k) {
        sum += (std::int64_t{a[std::size_t(m) * K + k]} - za) * w.w[std::size_t(k) * N + n];
      }
      // |sum| <= 255 * 127 * 65536 < 2^31: exact; only the bias addition can wrap.
      c[std::size_t(m) * N + n] = wrapAdd(static_cast<std::int32_t>(sum), w.bias[n]);
    }
  }
}

}  // namespace

void requantRows(const std::int32_t* acc, int rows, int N, const PackedWeights& w,
                 const OutputParams& op, std::int8_t* out) {
  for (int m = 0; m < rows; ++m) {
    for (int n = 0; n < N; ++n) {
      out[std::size_t(m) * N + n] = requantize(acc[std::size_t(m) * N + n], w.requant[n], op);
    }
  }
}

void referenceAcc(const std::uint8_t* a, int M, std::int32_t za, const PackedWeights& w,
                  std::int32_t* c) {
  referenceKernel(a, M, za, w, c);
}
void referenceAcc(const std::int8_t* a, int M, std::int32_t za, const PackedWeights& w,
                  std::int32_t* c) {
  referenceKernel(a, M, za, w, c);
}

}  // namespace quant::gemm::kernels
