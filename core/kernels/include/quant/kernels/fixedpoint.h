// SPDX-License-Identifier: GPL-3.0-or-later
// Integer-only requantization primitives of the gemmlowp / TFLite int8 scheme.
//
// An int8 layer computes an int32 accumulator `acc` whose real value is acc * s_in * s_w; the
// output wants real / s_out, i.e. acc * M with the real multiplier M = s_in * s_w / s_out. Integer
// inference never touches floating point at run time: M is stored once as a Q0.31 fixed-point
// mantissa m in [2^30, 2^31) and a power-of-two exponent, M ~= m * 2^-31 * 2^shift, and acc * M is
// evaluated with the two primitives below. Each one is bit-exact with gemmlowp's fixedpoint.h /
// TFLite's reference kernels for every input where those are defined; where they have undefined
// behaviour (signed overflow of a left shift) this file defines a result (documented below), so
// everything here is clean under UBSan.
#pragma once

#include <cstdint>
#include <limits>

namespace quant {

// round_half_up(a * b / 2^31), i.e. the high 32 bits of the doubled 64-bit product 2*a*b with a
// rounding nudge: ARM's VQRDMULH. Ties (a*b an odd multiple of 2^30) round toward +infinity:
// (+0.5 -> 1, -0.5 -> 0, -1.5 -> -1). gemmlowp writes this as (ab + nudge) / 2^31 with C's
// truncating division and nudge = 2^30 for ab >= 0, 1 - 2^30 for ab < 0; that is the same number
// as floor((ab + 2^30) / 2^31). The single case whose result does not fit in int32,
// a == b == INT32_MIN (exact result 2^31), saturates to INT32_MAX.
constexpr std::int32_t SaturatingRoundingDoublingHighMul(std::int32_t a, std::int32_t b) {
  constexpr std::int32_t kMin = std::numeric_limits<std::int32_t>::min();
  if (a == kMin && b == kMin) return std::numeric_limits<std::int32_t>::max();
  const std::int64_t ab = static_cast<std::int64_t>(a) * static_cast<std::int64_t>(b);
  const std::int64_t nudge = ab >= 0 ? (std::int64_t{1} << 30) : (1 - (std::int64_t{1} << 30));
  return static_cast<std::int32_t>((ab + nudge) / (std::int64_t{1} << 31));
}

// x / 2^exponent rounded to nearest, ties AWAY from zero (+2.5 -> 3, -2.5 -> -3), for exponent in
// [0, 31]. gemmlowp's formulation: the arithmetic shift floors, and one is added back when the
// discarded bits exceed half (for negative x, "exceed half" includes exactly half, which turns
// floor's tie toward -infinity into a tie away from zero).
constexpr std::int32_t RoundingDivideByPOT(std::int32_t x, int exponent) {
  // Built in 64 bits: (1 << 31) - 1 must not overflow when exponent == 31.
  const std::int32_t mask = static_cast<std::int32_t>((std::int64_t{1} << exponent) - 1);
  const std::int32_t remainder = x & mask;
  const std::int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

// x * M for M = multiplier * 2^-31 * 2^shift, composed exactly as TFLite's
// MultiplyByQuantizedMultiplier (the "double rounding" form): for shift > 0, x is first multiplied
// by 2^shift; then SaturatingRoundingDoublingHighMul by multiplier (round half up); then for
// shift < 0, RoundingDivideByPOT by -shift (round half away from zero). shift must lie in
// [-31, 30]. TFLite's left shift overflows (undefined behaviour) when |x| * 2^shift >= 2^31; here
// it wraps modulo 2^32, which is what TFLite's compiled code and every SIMD kernel does, so the
// results stay bit-identical (and meaningless) on that out-of-range input.
constexpr std::int32_t MultiplyByQuantizedMultiplier(std::int32_t x, std::int32_t multiplier,
                                                     int shift) {
  const int left = shift > 0 ? shift : 0;
  const int right = shift > 0 ? 0 : -shift;
  const auto shifted = static_cast<std::int32_t>(static_cast<std::uint32_t>(x) << left);
  return RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(shifted, multiplier), right);
}

// A real multiplier as Q0.31 mantissa and exponent: real ~= multiplier * 2^-31 * 2^shift.
struct QuantizedMultiplier {
  std::int32_t multiplier = 0;  // 0, or in [2^30, 2^31 - 1]
  int shift = 0;                // in [-31, 30]
};

// TFLite's QuantizeMultiplier: frexp splits real = frac * 2^shift with frac in [0.5, 1);
// multiplier = round(frac * 2^31) with ties away from zero (std::round); a frac that rounds up to
// 2^31 becomes 2^30 with shift + 1. Multipliers below 2^-32 (shift < -31) cannot be represented
// and become {0, 0} (the layer's output is then the zero point). real == 0 gives {0, 0}.
// Throws quant::Error for negative, NaN or infinite input and for real >= 2^30 (shift > 30).
QuantizedMultiplier QuantizeMultiplier(double real_multiplier);

}  // namespace quant
