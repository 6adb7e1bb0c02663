// SPDX-License-Identifier: GPL-3.0-or-later
// QuantizeMultiplier, the one non-constexpr primitive of fixedpoint.h (it throws quant::Error).
#include "quant/kernels/fixedpoint.h"

#include <cmath>
#include <cstdint>

#include "quant/base/tensor.h"

namespace quant {

QuantizedMultiplier QuantizeMultiplier(double real_multiplier) {
  if (!(real_multiplier >= 0.0) || !std::isfinite(real_multiplier)) {
    throw Error("QuantizeMultiplier: the real multiplier must be finite and >= 0");
  }
  if (real_multiplier == 0.0) return {};
  int shift = 0;
  const double frac = std::frexp(real_multiplier, &shift);  // [0.5, 1)
  // frac * 2^31 is in [2^30, 2^31): the cast cannot overflow.
  auto q = static_cast<std::int64_t>(std::round(frac * 2147483648.0));
  if (q == (std::int64_t{1} << 31)) {
    q /= 2;
    ++shift;
  }
  if (shift < -31) return {};
  if (shift > 30) throw Error("QuantizeMultiplier: the real multiplier must be below 2^30");
  return {static_cast<std::int32_t>(q), shift};
}

}  // namespace quant
