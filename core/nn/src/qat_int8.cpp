// SPDX-License-Identifier: GPL-3.0-or-later
// A QAT result on the int8 engine (qat.h: qatInt8Model): the shared layer walk of int8model.cpp
// fed with the scales and zero points that training settled on.
#include <algorithm>
#include <cmath>

#include "int8internal.h"
#include "quant/nn/qat.h"

namespace quant {

Int8Model qatInt8Model(const QatResult& result, const Tensor& calibration) {
  const QatParams& p = result.params;
  if (!(p.recipe.withBits(8, 8) == p.recipe))
    throw Error("qatInt8Model: the int8 engine runs W8A8; this QAT ran " + p.recipe.describe());
  Model m = result.quantizedModel;
  m.finalize();
  const auto activation = [&](const std::string& tensor) -> const ActivationQuant* {
    for (const ActivationQuant& a : p.activations)
      if (a.enabled && a.tensor == tensor) return &a;
    return nullptr;
  };
  detail::Int8Sources src;
  src.who = "qatInt8Model";
  src.input = [&]() {
    const ActivationQuant* a = activation(m.input);
    if (a == nullptr) throw Error("qatInt8Model: the model input has no QAT parameters");
    return ScaleZeroPoint{a->scale, a->zeroPoint};
  };
  src.output = [&](const Model& graph, std::size_t layers, const std::string& tensor) {
    if (const ActivationQuant* a = activation(tensor))
      return ScaleZeroPoint{a->scale, a->zeroPoint};
    Model sub = graph;
    sub.layers.resize(layers);
    sub.output = tensor;
    sub.finalize();
    return detail::calibrateTensor(forward(sub, calibration).data, p.recipe.activations);
  };
  src.weights = [&](const Layer& l, Int8Layer& q) {
    const auto w = std::find_if(p.weights.begin(), p.weights.end(),
                                [&](const WeightQuant& x) { return x.name == l.name; });
    if (w == p.weights.end() || w->scales.size() != static_cast<std::size_t>(l.weight.rows()))
      throw Error("qatInt8Model: layer '" + l.name + "' has no QAT weight scales");
    const auto outC = static_cast<std::size_t>(l.weight.rows());
    const auto K = static_cast<std::size_t>(l.weight.cols());
    q.weights.resize(outC * K);
    q.weightScales = w->scales;
    q.bias.resize(outC);
    for (std::size_t o = 0; o < outC; ++o) {
      const float s = w->scales[o];
      for (std::size_t k = 0; k < K; ++k)
        q.weights[o * K + k] = static_cast<std::int8_t>(std::clamp(
            std::nearbyint(l.weight(static_cast<Eigen::Index>(o), static_cast<Eigen::Index>(k)) /
                           s),
            -127.0f, 127.0f));
      const double acc = static_cast<double>(q.inScale) * static_cast<double>(s);
      q.bias[o] = detail::quantizeBias(
          l.bias.size() ? static_cast<double>(l.bias[static_cast<Eigen::Index>(o)]) : 0.0, acc);
    }
    detail::finishGemmLayer(q, static_cast<int>(K), true);
  };
  Int8Model out = detail::assembleInt8Model(m, src);
  out.recipe = p.recipe;
  return out;
}

}  // namespace quant
