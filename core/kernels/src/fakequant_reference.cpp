// SPDX-License-Identifier: GPL-3.0-or-later
// NORMATIVE: the scalar fake-quantize kernel, the specification of fakequant.h's formula (one
// element at a time, roundTiesToEven, sums in double). It equals quantizeValue + dequantizeValue
// bit for bit (tst_quantize), and the SIMD kernels' outputs must equal it bit for bit. Always
// compiled; QUANTLAB_ISA=reference selects it.
#include <type_traits>

#include "fakequant_kernels.h"
#include "fakequant_scalar.h"

namespace quant::fakequant::kernels {
namespace {

template <class Prm>
void referenceRun(const float* x, float* out, std::size_t n, const Prm& p, Sums* sums) {
  constexpr bool kVarying = std::is_same_v<Prm, ElementParams>;
  if (sums != nullptr) {
    scalarBody<true, kVarying>(x, out, n, p, *sums);
  } else {
    Sums unused;
    scalarBody<false, kVarying>(x, out, n, p, unused);
  }
}

}  // namespace

void runReference(const float* x, float* out, std::size_t n, const SlotParams& p, Sums* sums) {
  referenceRun(x, out, n, p, sums);
}
void runReference(const float* x, float* out, std::size_t n, const ElementParams& p, Sums* sums) {
  referenceRun(x, out, n, p, sums);
}

}  // namespace quant::fakequant::kernels
