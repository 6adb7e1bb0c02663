// SPDX-License-Identifier: GPL-3.0-or-later
// Engine helpers several tests share: building a spec and per-tensor parameters in one line,
// restoring the kernel level a test forced (cpu::forceIsa) however the test returns, and comparing
// two tensors bit for bit.
#pragma once

#include <bit>
#include <cstdint>
#include <span>
#include <vector>

#include "quant/base/tensor.h"
#include "quant/kernels/cpu.h"
#include "quant/kernels/fakequant.h"
#include "quant/numeric/quantize.h"

namespace quantlab::testing {

// Same shape and the same bits in every element (NaNs of equal payload compare equal).
inline bool bitEqual(const quant::Tensor& a, const quant::Tensor& b) {
  if (a.shape != b.shape || a.data.size() != b.data.size()) return false;
  for (std::size_t i = 0; i < a.data.size(); ++i)
    if (std::bit_cast<std::uint32_t>(a.data[i]) != std::bit_cast<std::uint32_t>(b.data[i]))
      return false;
  return true;
}

inline quant::QuantSpec makeSpec(int bits, bool isSigned, quant::Scheme scheme,
                                 bool narrow = false) {
  quant::QuantSpec s;
  s.bits = bits;
  s.isSigned = isSigned;
  s.scheme = scheme;
  s.narrowRange = narrow;
  return s;
}

// Per-tensor parameters of `spec` for n values with the range [lo, hi].
inline quant::QuantParams perTensor(const quant::QuantSpec& spec, std::size_t n, float lo,
                                    float hi) {
  const std::vector<std::int64_t> shape{static_cast<std::int64_t>(n)};
  const quant::Range r{lo, hi};
  return quant::makeParams(spec, shape, std::span<const quant::Range>(&r, 1));
}

// Every fake-quantize kernel this CPU can run (the dispatcher's list), the reference first.
inline std::vector<quant::cpu::Isa> fakeQuantIsas() { return quant::fakequant::kernelIsas(); }

// Puts back the kernel level that was active when it was made.
struct IsaGuard {
  quant::cpu::Isa saved = quant::cpu::activeIsa();
  ~IsaGuard() { quant::cpu::forceIsa(saved); }
};

}  // namespace quantlab::testing
