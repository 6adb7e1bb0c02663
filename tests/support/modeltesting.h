// SPDX-License-Identifier: GPL-3.0-or-later
// Building blocks for the hand-made models of the engine tests: a layer wired by tensor names,
// and a Linear layer with He-style random weights (activations stay O(1) through ReLUs).
#pragma once

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "quant/nn/model.h"

namespace quantlab::testing {

inline quant::Layer makeLayer(quant::LayerType type, const std::string& name,
                              std::vector<std::string> inputs, const std::string& output) {
  quant::Layer l;
  l.type = type;
  l.name = name;
  l.inputs = std::move(inputs);
  l.output = output;
  return l;
}

// Weights N(0, 2 / in), biases N(0, 0.1); inputs and output left empty for the caller.
inline quant::Layer heLinear(const std::string& name, int in, int out, std::mt19937& rng) {
  quant::Layer l = makeLayer(quant::LayerType::Linear, name, {}, "");
  l.weight.resize(out, in);
  l.bias.resize(out);
  std::normal_distribution<float> d(0.0f, std::sqrt(2.0f / static_cast<float>(in)));
  std::normal_distribution<float> b(0.0f, 0.1f);
  for (int o = 0; o < out; ++o) {
    for (int i = 0; i < in; ++i) l.weight(o, i) = d(rng);
    l.bias[o] = b(rng);
  }
  return l;
}

}  // namespace quantlab::testing
