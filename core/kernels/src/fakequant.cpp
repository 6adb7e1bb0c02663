// SPDX-License-Identifier: GPL-3.0-or-later
// The fake-quantize front: the kernel for a level (cpu.h) and the call into its file.
#include "quant/kernels/fakequant.h"

#include <initializer_list>

#include "fakequant_kernels.h"

namespace quant::fakequant {
namespace {

// The levels with a fake-quantize kernel of their own, lowest first.
constexpr std::initializer_list<Isa> kKernels = {Isa::Reference, Isa::Sse2, Isa::Avx2};
// The levels with a measure kernel of their own.
constexpr std::initializer_list<Isa> kMeasureKernels = {Isa::Reference, Isa::Avx2};

template <class Prm>
void runOn(Isa level, const float* x, float* out, std::size_t n, const Prm& p, Sums* sums) {
  switch (kernelIsa(level)) {
#if defined(__x86_64__) || defined(__i386__)
    case Isa::Avx2:
      kernels::runAvx2(x, out, n, p, sums);
      return;
    case Isa::Sse2:
      kernels::runSse2(x, out, n, p, sums);
      return;
#endif
    default:
      kernels::runReference(x, out, n, p, sums);
      return;
  }
}

}  // namespace

void run(Isa level, const float* x, float* out, std::size_t n, const SlotParams& p, Sums* sums) {
  runOn(level, x, out, n, p, sums);
}
void run(Isa level, const float* x, float* out, std::size_t n, const ElementParams& p, Sums* sums) {
  runOn(level, x, out, n, p, sums);
}

Sums measure(Isa level, const float* x, const float* y, std::size_t n) {
#if defined(__x86_64__) || defined(__i386__)
  if (cpu::kernelFor(level, kMeasureKernels) == Isa::Avx2) return kernels::measureAvx2(x, y, n);
#endif
  return kernels::measureReference(x, y, n);
}

void quantizeCodes(Isa level, const float* x, std::int8_t* out, std::size_t n, float scale,
                   std::int32_t zero) {
  const CodeParams p(scale, zero);
  constexpr std::int32_t kMaxVectorZero = (std::int32_t{1} << 22) - 128;
  const bool exact = zero >= -kMaxVectorZero && zero <= kMaxVectorZero;
  switch (exact ? kernelIsa(level) : Isa::Reference) {
#if defined(__x86_64__) || defined(__i386__)
    case Isa::Avx2:
      kernels::codesAvx2(x, out, n, p);
      return;
    case Isa::Sse2:
      kernels::codesSse2(x, out, n, p);
      return;
#endif
    default:
      kernels::codesReference(x, out, n, p);
      return;
  }
}

Isa kernelIsa(Isa level) { return cpu::kernelFor(level, kKernels); }

std::vector<Isa> kernelIsas() { return cpu::supportedKernels(kKernels); }

}  // namespace quant::fakequant
