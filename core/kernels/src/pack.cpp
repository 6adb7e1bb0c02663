// SPDX-License-Identifier: GPL-3.0-or-later
// Weight packing: the checks, the plain copy the reference kernel reads, column sums, bias and
// per-channel requantization parameters, and the weight layout of each SIMD kernel the CPU can
// run (int8gemm.h's PackedWeights describes the layouts). Packing is exact (copies and integer
// sums); it runs once per layer, so it is plain scalar code.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "gemm_kernels.h"
#include "quant/base/tensor.h"
#include "quant/kernels/cpu.h"

namespace quant::gemm {
namespace {

constexpr int kMaxDim = 65536;

}  // namespace

PackedWeights packWeights(std::span<const std::int8_t> w, int K, int N,
                          std::span<const std::int32_t> bias,
                          std::span<const QuantizedMultiplier> requant) {
  if (K < 1 || K > kMaxDim || N < 1 || N > kMaxDim) {
    throw Error("packWeights: K and N must lie in [1, 65536] (K = " + std::to_string(K) +
                ", N = " + std::to_string(N) + ")");
  }
  if (w.size() != std::size_t(K) * N) throw Error("packWeights: weights are not K x N");
  if (!bias.empty() && bias.size() != std::size_t(N)) throw Error("packWeights: bias is not N");
  if (!requant.empty() && requant.size() != 1 && requant.size() != std::size_t(N)) {
    throw Error("packWeights: requant must have 1 or N multipliers");
  }
  PackedWeights p;
  p.K = K;
  p.N = N;
  p.w.assign(w.begin(), w.end());
  for (std::int8_t v : p.w) {
    if (v == -128) {
      throw Error("packWeights: weight -128 (symmetric int8 weights lie in [-127, 127])");
    }
  }
  p.colSum.assign(std::size_t(N), 0);
  for (int k = 0; k < K; ++k) {
    for (int n = 0; n < N; ++n) p.colSum[n] += p.w[std::size_t(k) * N + n];
  }
  p.bias.assign(std::size_t(N), 0);
  if (!bias.empty()) std::copy(bias.begin(), bias.end(), p.bias.begin());
  for (int n = 0; n < N && !requant.empty(); ++n) {
    const QuantizedMultiplier q = requant.size() == 1 ? requant[0] : requant[n];
    if (q.shift < -31 || q.shift > 30) throw Error("packWeights: shift outside [-31, 30]");
    p.requant.push_back(q);
  }
  const int np = kernels::roundUp(N, 16);
  p.colSumPad.assign(std::size_t(np), 0);
  p.biasPad.assign(std::size_t(np), 0);
  p.multPad.assign(std::size_t(np), 0);
  p.leftShiftPad.assign(std::size_t(np), 0);
  p.rightShiftPad.assign(std::size_t(np), 0);
  for (int n = 0; n < N; ++n) {
    p.colSumPad[n] = p.colSum[n];
    p.biasPad[n] = p.bias[n];
    if (!p.requant.empty()) {
      p.multPad[n] = p.requant[n].multiplier;
      p.leftShiftPad[n] = std::max(p.requant[n].shift, 0);
      p.rightShiftPad[n] = std::max(-p.requant[n].shift, 0);
    }
  }
  if (cpu::isaSupported(cpu::Isa::Avx512Vnni)) {
    const int kp = kernels::roundUp(K, 4);
    p.vnni.assign(std::size_t(np) * kp, 0);
    for (int n = 0; n < N; ++n) {
      std::int8_t* block = p.vnni.data() + std::size_t(n / 16) * kp * 16;
      for (int k = 0; k < K; ++k) {
        block[std::size_t(k / 4) * 64 + (n % 16) * 4 + k % 4] = p.w[std::size_t(k) * N + n];
      }
    }
  }
  if (cpu::isaSupported(cpu::Isa::Avx2)) {
    const int kp = kernels::roundUp(K, 2);
    const int nb = kernels::roundUp(N, 16);  // the kernel reads 16-column tiles
    p.avx2.assign(std::size_t(nb) * kp, 0);
    for (int n = 0; n < N; ++n) {
      std::int16_t* block = p.avx2.data() + std::size_t(n / 8) * kp * 8;
      for (int k = 0; k < K; ++k) {
        block[std::size_t(k / 2) * 16 + (n % 8) * 2 + k % 2] = p.w[std::size_t(k) * N + n];
      }
    }
  }
  return p;
}

}  // namespace quant::gemm
