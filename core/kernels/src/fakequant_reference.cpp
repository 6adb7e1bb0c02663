// SPDX-License-Identifier: GPL-3.0-or-later
// NORMATIVE: the scalar fake-quantize kernel, the specification of fakequant.h's formula (one
// element at a time, roundTiesToEven, sums in double). It equals quantizeValue + dequantizeValue
// bit for bit (tst_quantize), and the SIMD kernels' outputs must equal it bit for bit. Also the
// reference error sums of a given reconstruction (measure). Always compiled;
// QUANTLAB_ISA=reference selects it.
#include <algorithm>
#include <cmath>
#include <cstdint>
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

// Four independent accumulator sets so the double additions are not one serial dependency chain.
Sums measureReference(const float* x, const float* y, std::size_t n) {
  Sums s;
  double see[4] = {}, sae[4] = {}, sxx[4] = {}, syy[4] = {}, sed[4] = {}, mx[4] = {};
  std::int64_t cnt[4] = {};
  std::size_t i = 0;
  const auto one = [&](std::size_t k, int lane) {
    const float xi = x[k];
    if (!isFiniteF(xi)) return;
    const double a = xi, b = y[k], e = a - b;
    ++cnt[lane];
    see[lane] += e * e;
    sae[lane] += std::fabs(e);
    sxx[lane] += a * a;
    syy[lane] += b * b;
    sed[lane] += e * (a + b);
    mx[lane] = std::max(mx[lane], std::fabs(e));
  };
  for (; i + 4 <= n; i += 4) {
    one(i, 0);
    one(i + 1, 1);
    one(i + 2, 2);
    one(i + 3, 3);
  }
  for (; i < n; ++i) one(i, 0);
  for (int l = 0; l < 4; ++l) {
    s.count += cnt[l];
    s.see += see[l];
    s.sae += sae[l];
    s.sxx += sxx[l];
    s.syy += syy[l];
    s.sed += sed[l];
    s.maxAbs = std::max(s.maxAbs, mx[l]);
  }
  s.nonFinite = static_cast<std::int64_t>(n) - s.count;
  return s;
}

void codesReference(const float* x, std::int8_t* out, std::size_t n, const CodeParams& p) {
  for (std::size_t i = 0; i < n; ++i) out[i] = codeOne(x[i], p);
}

}  // namespace quant::fakequant::kernels
