// SPDX-License-Identifier: GPL-3.0-or-later
// The int8 GEMM front: argument checks and the choice of kernel (the best one at or below
// cpu::activeIsa()). The kernels live one per file: gemm_reference.cpp (the specification),
// gemm_avx2.cpp, gemm_avx512vnni.cpp; packing in pack.cpp.
#include "quant/kernels/int8gemm.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <type_traits>
#include <vector>

#include "gemm_kernels.h"
#include "quant/base/tensor.h"

namespace quant::gemm {
namespace {

// The levels with a GEMM kernel of their own, lowest first.
constexpr std::initializer_list<Isa> kKernels = {Isa::Reference, Isa::Avx2, Isa::Avx512Vnni};

template <class T>
void checkCall(std::size_t aSize, int M, std::int32_t za, const PackedWeights& w,
               std::size_t outSize) {
  if (w.K <= 0 || w.N <= 0) throw Error("int8 GEMM: the weights are not packed");
  if (M < 0 || M > (1 << 24)) throw Error("int8 GEMM: M out of range");
  if (aSize != std::size_t(M) * std::size_t(w.K)) {
    throw Error("int8 GEMM: activations have " + std::to_string(aSize) +
                " values, expected M*K = " + std::to_string(std::size_t(M) * w.K));
  }
  if (outSize != std::size_t(M) * std::size_t(w.N)) {
    throw Error("int8 GEMM: output has " + std::to_string(outSize) +
                " values, expected M*N = " + std::to_string(std::size_t(M) * w.N));
  }
  constexpr bool kSigned = std::is_same_v<T, std::int8_t>;
  const std::int32_t lo = kSigned ? -128 : 0, hi = kSigned ? 127 : 255;
  if (za < lo || za > hi) {
    throw Error("int8 GEMM: activation zero point " + std::to_string(za) + " outside [" +
                std::to_string(lo) + ", " + std::to_string(hi) + "]");
  }
}

Isa pick(Isa isa) {
  if (isa != Isa::Auto && !isaSupported(isa)) {
    throw Error(std::string("int8 GEMM: this CPU cannot run the ") + isaName(isa) + " kernel");
  }
  return kernelIsa(isa);
}

template <class T>
void accImpl(Isa isa, std::span<const T> a, int M, std::int32_t za, const PackedWeights& w,
             std::span<std::int32_t> c) {
  checkCall<T>(a.size(), M, za, w, c.size());
  if (M == 0) return;
  switch (pick(isa)) {
#if QUANT_GEMM_X86
    case Isa::Avx512Vnni:
      kernels::vnniGemm(a.data(), M, za, w, c.data(), nullptr, nullptr);
      return;
    case Isa::Avx2:
      kernels::avx2Gemm(a.data(), M, za, w, c.data(), nullptr, nullptr);
      return;
#endif
    default:
      kernels::referenceAcc(a.data(), M, za, w, c.data());
      return;
  }
}

template <class T>
void requantImpl(Isa isa, std::span<const T> a, int M, std::int32_t za, const PackedWeights& w,
                 const OutputParams& op, std::span<std::int8_t> out) {
  checkCall<T>(a.size(), M, za, w, out.size());
  if (std::size_t(w.N) != w.requant.size()) {
    throw Error("int8 GEMM: the packed weights have no requantization multipliers");
  }
  if (op.zeroPoint < -128 || op.zeroPoint > 127 || op.actMin < -128 || op.actMax > 127 ||
      op.actMin > op.actMax) {
    throw Error("int8 GEMM: output zero point or activation range outside int8");
  }
  if (M == 0) return;
  switch (pick(isa)) {
#if QUANT_GEMM_X86
    case Isa::Avx512Vnni:
      kernels::vnniGemm(a.data(), M, za, w, nullptr, &op, out.data());
      return;
    case Isa::Avx2:
      kernels::avx2Gemm(a.data(), M, za, w, nullptr, &op, out.data());
      return;
#endif
    default: {
      // Row blocks keep the int32 scratch small.
      constexpr int kRows = 16;
      std::vector<std::int32_t> acc(std::size_t(kRows) * w.N);
      for (int m0 = 0; m0 < M; m0 += kRows) {
        const int rows = std::min(kRows, M - m0);
        kernels::referenceAcc(a.data() + std::size_t(m0) * w.K, rows, za, w, acc.data());
        kernels::requantRows(acc.data(), rows, w.N, w, op, out.data() + std::size_t(m0) * w.N);
      }
      return;
    }
  }
}

}  // namespace

Isa kernelIsa(Isa level) { return cpu::kernelFor(level, kKernels); }

std::vector<Isa> kernelIsas() { return cpu::supportedKernels(kKernels); }

void gemmAcc(Isa isa, std::span<const std::uint8_t> a, int M, std::int32_t za,
             const PackedWeights& w, std::span<std::int32_t> c) {
  accImpl(isa, a, M, za, w, c);
}
void gemmAcc(Isa isa, std::span<const std::int8_t> a, int M, std::int32_t za,
             const PackedWeights& w, std::span<std::int32_t> c) {
  accImpl(isa, a, M, za, w, c);
}
void gemmRequant(Isa isa, std::span<const std::uint8_t> a, int M, std::int32_t za,
                 const PackedWeights& w, const OutputParams& op, std::span<std::int8_t> out) {
  requantImpl(isa, a, M, za, w, op, out);
}
void gemmRequant(Isa isa, std::span<const std::int8_t> a, int M, std::int32_t za,
                 const PackedWeights& w, const OutputParams& op, std::span<std::int8_t> out) {
  requantImpl(isa, a, M, za, w, op, out);
}
void gemmAcc(std::span<const std::uint8_t> a, int M, std::int32_t za, const PackedWeights& w,
             std::span<std::int32_t> c) {
  accImpl(Isa::Auto, a, M, za, w, c);
}
void gemmAcc(std::span<const std::int8_t> a, int M, std::int32_t za, const PackedWeights& w,
             std::span<std::int32_t> c) {
  accImpl(Isa::Auto, a, M, za, w, c);
}
void gemmRequant(std::span<const std::uint8_t> a, int M, std::int32_t za, const PackedWeights& w,
                 const OutputParams& op, std::span<std::int8_t> out) {
  requantImpl(Isa::Auto, a, M, za, w, op, out);
}
void gemmRequant(std::span<const std::int8_t> a, int M, std::int32_t za, const PackedWeights& w,
                 const OutputParams& op, std::span<std::int8_t> out) {
  requantImpl(Isa::Auto, a, M, za, w, op, out);
}

}  // namespace quant::gemm
