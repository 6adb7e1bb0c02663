// SPDX-License-Identifier: GPL-3.0-or-later
// Stored bytes of a model under a precision plan: the one count behind every size the CLI
// (eval, bench, sensitivity, mixed) and the window (model, benchmark and sensitivity views) show.
//
// Per Linear / Conv2d layer with precision {w, a} (recipe.h):
//   weights             4 bytes each at fp32, else ceil(w * count / 8) (codes packed tightly)
//   weight_scales       quantized weights: 4 bytes (float32) per scale, one per output channel
//                       (per-tensor recipe: one); an asymmetric recipe adds a 4-byte zero point
//                       per scale
//   bias                4 bytes per value: int32 when the layer runs integer-only (a != fp32:
//                       one per output channel, also for a layer without bias), else float32
//   activation_params   8 bytes (float32 scale + int32 zero point) for the layer's quantized
//                       output (a != fp32), plus 8 for the graph input when the first Linear /
//                       Conv2d has quantized activations: an integer-only first layer needs the
//                       input's parameters to quantize it
//   other               every other layer's parameters at 4 bytes (BatchNorm, ...)
// Requantization multipliers are not counted: they follow from the scales.
#pragma once

#include <cstdint>

#include "quant/nn/model.h"
#include "quant/nn/recipe.h"

namespace quant {

struct ModelBytes {
  std::int64_t weights = 0, bias = 0, weightScales = 0, activationParams = 0, other = 0;
  std::int64_t total() const { return weights + bias + weightScales + activationParams + other; }
  ModelBytes& operator+=(const ModelBytes& o);
  bool operator==(const ModelBytes&) const = default;
};

// One layer (activation params of its output only; no graph input). Layers other than
// Linear / Conv2d count as `other` whatever the precision.
ModelBytes layerBytes(const Layer& layer, LayerPrecision precision, const QuantRecipe& recipe);

// The whole model; plan: one entry per Linear / Conv2d in model order (quant::Error otherwise).
ModelBytes modelBytes(const Model& model, const PrecisionPlan& plan, const QuantRecipe& recipe);

// The plan with every Linear / Conv2d of `model` at the same precision.
PrecisionPlan uniformPlan(const Model& model, int weightBits, int activationBits);

}  // namespace quant
