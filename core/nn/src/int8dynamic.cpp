// SPDX-License-Identifier: GPL-3.0-or-later
// The dynamic (activations quantized per batch at run time) and weight-only int8 modes; see
// int8model.h. They reuse the static executor's weight quantization and GEMM slices.
#include <algorithm>
#include <cmath>
#include <limits>

#include "int8internal.h"
#include "layers_extra.h"
#include "quant/kernels/fakequant.h"
#include "quant/nn/int8model.h"
#include "quant/numeric/quantize.h"

namespace quant {

using detail::gemmSlice;
using detail::int8LayerShell;
using detail::prod;
using detail::quantizeWeights;

DynamicInt8Model quantizeDynamic(const Model& fp32, bool perChannelWeights) {
  DynamicInt8Model d;
  d.fp32 = fp32;
  d.fp32.finalize();
  for (const Layer& l : d.fp32.layers) {
    Int8Layer q = int8LayerShell(l);
    Model step;
    if (l.type == LayerType::Linear || l.type == LayerType::Conv2d) {
      quantizeWeights(l, 1.0f, perChannelWeights, q, false);
    } else if (l.inputs.size() == 1) {  // layers of two or more inputs run in runDynamic itself
      // Every other layer runs in float32 through the reference forward pass of a one-layer model.
      step.input = l.inputs[0];
      step.inputShape = l.inShape;
      step.layers = {l};
      step.finalize();
    }
    d.layers.push_back(std::move(q));
    d.steps.push_back(std::move(step));
  }
  return d;
}

Tensor runDynamic(const DynamicInt8Model& model, const Tensor& input) {
  const auto& inShape = model.fp32.inputShape;
  if (input.shape.size() != inShape.size() + 1 ||
      !std::equal(inShape.begin(), inShape.end(), input.shape.begin() + 1) || input.shape[0] < 1)
    throw Error("runDynamic: input shape " + input.shapeString() + " does not match the model");
  const std::int64_t N = input.shape[0];
  const QuantSpec spec = QuantRecipe{}.activations.spec();  // int8, min-max per batch
  // Tensors by name, freed after their last use.
  std::unordered_map<std::string, std::size_t> lastUse;
  for (std::size_t i = 0; i < model.fp32.layers.size(); ++i)
    for (const std::string& t : model.fp32.layers[i].inputs) lastUse[t] = i;
  std::unordered_map<std::string, Tensor> acts;
  acts[model.fp32.input] = input;
  const auto store = [&](std::size_t i, Tensor y) {
    const Layer& f = model.fp32.layers[i];
    for (const std::string& t : f.inputs)
      if (lastUse[t] == i && t != model.fp32.output) acts.erase(t);
    acts[f.output] = std::move(y);
  };
  for (std::size_t i = 0; i < model.layers.size(); ++i) {
    const Int8Layer& L0 = model.layers[i];
    const Layer& f = model.fp32.layers[i];
    const Tensor& cur = acts.at(f.inputs[0]);
    if (f.inputs.size() > 1) {  // Add, Sub, Mul, Concat: the float32 layer itself
      std::vector<const float*> ins;
      for (const std::string& t : f.inputs) ins.push_back(acts.at(t).data.data());
      Tensor y;
      y.shape = {cur.shape[0]};
      y.shape.insert(y.shape.end(), f.outShape.begin(), f.outShape.end());
      y.data.resize(static_cast<std::size_t>(checkedNumel(y.shape)));
      detail::runExtraLayer(f, 0, cur.shape[0], ins, y.data.data());
      store(i, std::move(y));
      continue;
    }
    if (L0.type != LayerType::Linear && L0.type != LayerType::Conv2d) {
      store(i, forward(model.steps[i], cur));
      continue;
    }
    // Per-batch min-max parameters for this layer's input, then exact int32 accumulation.
    float lo = std::numeric_limits<float>::infinity(), hi = -lo;
    for (float v : cur.data)
      if (std::isfinite(v)) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
    if (!(lo <= hi)) lo = hi = 0.0f;
    const ScaleZeroPoint sz = chooseParams(spec, lo, hi);
    Int8Layer L = L0;  // cheap enough for the small models this mode is shown on
    L.inScale = sz.scale;
    L.inZero = sz.zeroPoint;
    std::vector<std::int8_t> xq(cur.data.size());
    fakequant::quantizeCodes(cpu::Isa::Auto, cur.data.data(), xq.data(), xq.size(), sz.scale,
                             sz.zeroPoint);
    std::vector<std::int32_t> acc(static_cast<std::size_t>(N * prod(L.outShape)));
    gemmSlice(L, 0, N, xq.data(), nullptr, acc.data());
    // Float rescale: y = s_in * s_w[o] * acc + b[o], evaluated in double, rounded once to float.
    const std::int64_t OC = L.outShape[0];
    const std::int64_t inner = prod(L.outShape) / OC;
    Tensor y;
    y.name = f.output;
    y.shape.push_back(N);
    y.shape.insert(y.shape.end(), L.outShape.begin(), L.outShape.end());
    y.data.resize(acc.size());
    for (std::size_t j = 0; j < acc.size(); ++j) {
      const std::int64_t o = static_cast<std::int64_t>(j / inner) % OC;
      const double b = f.bias.size() == 0 ? 0.0 : static_cast<double>(f.bias[o]);
      y.data[j] =
          static_cast<float>(static_cast<double>(sz.scale) * L.weightScales[o] * acc[j] + b);
    }
    store(i, std::move(y));
  }
  Tensor out = std::move(acts.at(model.fp32.output));
  out.name = model.fp32.output;
  return out;
}

Model weightOnlyModel(const Model& fp32, bool perChannelWeights) {
  Model m = fp32;
  m.finalize();
  for (Layer& l : m.layers) {
    if (l.type != LayerType::Linear && l.type != LayerType::Conv2d) continue;
    Int8Layer q;
    q.groups = l.groups;
    quantizeWeights(l, 1.0f, perChannelWeights, q, false);
    const auto K = l.weight.cols();
    for (Eigen::Index o = 0; o < l.weight.rows(); ++o)
      for (Eigen::Index k = 0; k < K; ++k)
        l.weight(o, k) = dequantizeValue(q.weights[static_cast<std::size_t>(o * K + k)],
                                         q.weightScales[static_cast<std::size_t>(o)], 0);
  }
  return m;
}

}  // namespace quant
