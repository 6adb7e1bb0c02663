// SPDX-License-Identifier: GPL-3.0-or-later
// How a model is quantized: one description shared by static PTQ (the int8 executor,
// int8model.h), the fake-quantized sensitivity analysis and mixed-precision search
// (sensitivity.h) and quantization-aware training with its PTQ baseline (qat.h).
//
//   weights      `bits` wide, signed, symmetric (zero point 0), narrow range [-(2^(b-1)-1),
//                2^(b-1)-1], one scale per output channel (or one per layer):
//                s = max|W| / (2^(b-1) - 1), q = clamp(round_half_to_even(W / s)).
//   activations  `bits` wide, signed codes [-2^(b-1), 2^(b-1)-1], asymmetric per tensor, range
//                from `calibration` on the fp32 model's values, widened to include 0
//                (chooseParams), so real 0 is exactly representable.
//
// The default is the int8 executor's rule (W8 narrow, A8 signed, min-max); other widths use the
// same rule with fewer bits. Why narrow range and signed activations at every width, 4 bits
// included: the narrow grid is symmetric, so +max|W| and -max|W| are both codes and negating a
// weight never leaves the grid; the int8 GEMM kernels rely on [-127, 127] weights (no -128 * -128
// product), so a W8 plan in the sensitivity analysis is then exactly the executor's weights.
// Signed activation codes are what the int8 kernels take. With max-abs weight scales the full
// range's extra code -2^(b-1) is never used, and signed and unsigned asymmetric grids differ
// only by a constant shift of the zero point, so either choice reproduces the old full-range /
// unsigned numbers except where a learned weight scale (QAT with LSQ) would clip to -2^(b-1).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "quant/numeric/calibrate.h"
#include "quant/numeric/quantize.h"

namespace quant {

inline constexpr int kFp32 = 0;  // a precision of "bits" 0 means: keep float32

// "fp32" for kFp32, otherwise "int<b>".
std::string precisionName(int bits);

struct WeightRecipe {
  int bits = 8;
  bool narrowRange = true;
  bool symmetric = true;
  bool perChannel = true;
  // The spec quantizeValue / chooseParams / fakeQuantize take (per channel along axis 0).
  QuantSpec spec() const;
  bool operator==(const WeightRecipe&) const = default;
};

struct ActivationRecipe {
  int bits = 8;
  bool isSigned = true;
  CalibrationConfig calibration;  // default min-max
  QuantSpec spec() const;         // asymmetric, per tensor
  bool operator==(const ActivationRecipe& o) const;
};

struct QuantRecipe {
  WeightRecipe weights;
  ActivationRecipe activations;

  // The same rule at other widths (kFp32 keeps the given field's bits unchanged: a recipe
  // describes how quantized tensors are quantized, a plan which tensors are).
  QuantRecipe withBits(int weightBits, int activationBits) const;
  // "W8 narrow symmetric per-channel, A8 signed asymmetric per-tensor (minmax)".
  std::string describe() const;
  // Throws quant::Error naming the field when the widths are not 2..16.
  void validate() const;
  bool operator==(const QuantRecipe&) const = default;
};

// JSON object as printed by every quantlab-cli --json that quantizes ("recipe"):
//   {"weights": {"bits", "narrow_range", "symmetric", "per_channel"},
//    "activations": {"bits", "signed", "calibration"}}  (calibration: calibrationName)
std::string recipeJson(const QuantRecipe& recipe);
// Parses recipeJson's output (all fields required). Throws quant::Error.
QuantRecipe recipeFromJson(const std::string& json);

// Per quantizable layer (Linear / Conv2d) a weight and an output-activation precision, each
// kFp32 or an integer width.
struct LayerPrecision {
  int weightBits = kFp32;
  int activationBits = kFp32;
};
// One entry per quantizable layer, in model order.
using PrecisionPlan = std::vector<LayerPrecision>;

}  // namespace quant
