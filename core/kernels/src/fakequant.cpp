// SPDX-License-Identifier: GPL-3.0-or-later
// The fake-quantize front: the kernel for a level (cpu.h) and the call into its file.
#include "quant/kernels/fakequant.h"

#include "fakequant_kernels.h"

namespace quant::fakequant {
namespace {

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

Isa kernelIsa(Isa level) { return cpu::kernelFor(level, {Isa::Reference, Isa::Sse2, Isa::Avx2}); }

std::vector<Isa> kernelIsas() {
  std::vector<Isa> out;
  for (Isa isa : {Isa::Reference, Isa::Sse2, Isa::Avx2}) {
    if (cpu::isaSupported(isa)) out.push_back(isa);
  }
  return out;
}

}  // namespace quant::fakequant
