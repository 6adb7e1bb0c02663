// SPDX-License-Identifier: GPL-3.0-or-later
// Engine helpers several tests share: building a spec and per-tensor parameters in one line, and
// restoring the kernel level a test forced (cpu::forceIsa) however the test returns.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "quant/kernels/cpu.h"
#include "quant/kernels/fakequant.h"
#include "quant/numeric/quantize.h"

namespace quantlab::testing {

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
