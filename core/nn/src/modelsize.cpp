// SPDX-License-Identifier: GPL-3.0-or-later
// Model size accounting; see modelsize.h.
#include "quant/nn/modelsize.h"

namespace quant {

namespace {

bool hasWeights(const Layer& l) {
  return l.type == LayerType::Linear || l.type == LayerType::Conv2d;
}

}  // namespace

ModelBytes& ModelBytes::operator+=(const ModelBytes& o) {
  weights += o.weights;
  bias += o.bias;
  weightScales += o.weightScales;
  activationParams += o.activationParams;
  other += o.other;
  return *this;
}

ModelBytes layerBytes(const Layer& l, LayerPrecision p, const QuantRecipe& recipe) {
  ModelBytes b;
  if (!hasWeights(l)) {
    b.other = 4 * l.params;
    return b;
  }
  const auto count = static_cast<std::int64_t>(l.weight.size());
  const auto channels = static_cast<std::int64_t>(l.weight.rows());
  if (p.weightBits == kFp32) {
    b.weights = 4 * count;
  } else {
    b.weights = (p.weightBits * count + 7) / 8;
    const std::int64_t scales = recipe.weights.perChannel ? channels : 1;
    b.weightScales = (recipe.weights.symmetric ? 4 : 8) * scales;
  }
  if (p.activationBits == kFp32) {
    b.bias = 4 * static_cast<std::int64_t>(l.bias.size());
  } else {
    b.bias = 4 * channels;
    b.activationParams = 8;
  }
  return b;
}

PrecisionPlan uniformPlan(const Model& model, int weightBits, int activationBits) {
  PrecisionPlan plan;
  for (const Layer& l : model.layers)
    if (hasWeights(l)) plan.push_back({weightBits, activationBits});
  return plan;
}

ModelBytes modelBytes(const Model& model, const PrecisionPlan& plan, const QuantRecipe& recipe) {
  ModelBytes b;
  std::size_t k = 0;
  for (const Layer& l : model.layers) {
    if (!hasWeights(l)) {
      b += layerBytes(l, {}, recipe);
      continue;
    }
    if (k >= plan.size()) break;
    if (k == 0 && plan[0].activationBits != kFp32) b.activationParams += 8;  // the graph input
    b += layerBytes(l, plan[k++], recipe);
  }
  if (k != plan.size() || k != uniformPlan(model, kFp32, kFp32).size())
    throw Error("model size: the plan has " + std::to_string(plan.size()) + " entries, the model " +
                std::to_string(uniformPlan(model, kFp32, kFp32).size()) + " Linear/Conv2d layers");
  return b;
}

}  // namespace quant
