// SPDX-License-Identifier: GPL-3.0-or-later
#include "quant/nn/capture.h"

#include <string>

namespace quant {

Tensor layerOutput(const Model& model, const Tensor& input, std::size_t index) {
  if (index >= model.layers.size())
    throw Error("layerOutput: layer index " + std::to_string(index) + " is out of range (" +
                std::to_string(model.layers.size()) + " layers)");
  if (index + 1 == model.layers.size() && model.output == model.layers.back().output)
    return forward(model, input);
  Model head;
  head.input = model.input;
  head.inputShape = model.inputShape;
  head.layers.assign(model.layers.begin(),
                     model.layers.begin() + static_cast<std::ptrdiff_t>(index) + 1);
  head.output = model.layers[index].output;
  head.finalize();
  return forward(head, input);
}

}  // namespace quant
