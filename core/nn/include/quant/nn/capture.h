// SPDX-License-Identifier: GPL-3.0-or-later
// What one layer of a model produces: the float32 output of layer `index` for a batch, as the
// forward pass computes it (quant::forward, Im2colGemm), so the activations a quantizer has to
// cover can be inspected like any other tensor (e.g. the calibration images' outputs of fc1).
//
// Computed by running the model truncated after that layer: layers [0, index] with the graph
// output set to layer `index`'s output tensor. Every layer's inputs are defined by earlier layers
// (Model::finalize checks it), so the truncated graph is valid for chains and for graphs with
// branches (Add) alike; layers after `index` are never run. The same kernels run on the same
// inputs as in the full forward pass (for the last layer the result is forward()'s, bit for bit).
#pragma once

#include <cstddef>

#include "quant/base/tensor.h"
#include "quant/nn/model.h"

namespace quant {

// The output of model.layers[index] for `input` ([N] + model.inputShape): shape
// [N] + layers[index].outShape, named after the layer's output tensor. `model` must have been
// finalize()d. Throws quant::Error for an index out of range or a bad input.
Tensor layerOutput(const Model& model, const Tensor& input, std::size_t index);

}  // namespace quant
