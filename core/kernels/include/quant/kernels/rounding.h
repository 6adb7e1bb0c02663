// SPDX-License-Identifier: GPL-3.0-or-later
// Round to nearest integer, ties to even, in float32 without a library call or a mode switch:
//
//   roundTiesToEven(c) = (c + 1.5 * 2^23) - 1.5 * 2^23          for |c| <= 2^22
//
// Why it is exact: for |c| <= 2^22 the sum c + 1.5 * 2^23 lies in [2^23, 2^24], where consecutive
// floats are exactly 1 apart, so the addition (correctly rounded, in the default round-to-nearest-
// even mode) rounds c to an integer with ties to even; the subtraction of two floats within a
// factor of 2 is then exact (Sterbenz). The result equals std::nearbyint(c) as a value; the one
// difference in bits is the sign of a zero (-0.25 gives +0.0 where nearbyint gives -0.0).
// Outside that range the result is wrong, so callers clamp first: quantization clamps c to
// [qmin - zp, qmax - zp], at most 2^17 in magnitude for 16-bit codes. The compiler must not
// reassociate float arithmetic (no -ffast-math), which would fold the expression to c.
//
// Used by the quantizers (numeric), the fake-quantize kernels (scalar and, as Packet::round, the
// SIMD ones), the calibration error search and the int8 codes of quantizeCodes (fakequant.h).
#pragma once

namespace quant {

// 1.5 * 2^23: the addend of roundTiesToEven (the SIMD kernels broadcast it).
inline constexpr float kRoundTiesToEvenMagic = 12582912.0f;
// Largest |c| for which roundTiesToEven is exact.
inline constexpr float kRoundTiesToEvenMaxAbs = 4194304.0f;  // 2^22

inline float roundTiesToEven(float c) {
  return (c + kRoundTiesToEvenMagic) - kRoundTiesToEvenMagic;
}

}  // namespace quant
