// SPDX-License-Identifier: GPL-3.0-or-later
// Shape rules and float32 forward pass of the layers added for imported models (activations,
// broadcasting elementwise layers, Concat, Pad, GlobalMaxPool, LogSoftmax; see model.h for what
// each computes). model.cpp calls these for every type isExtraLayer() accepts.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "quant/nn/model.h"

namespace quant::detail {

bool isExtraLayer(LayerType t);

// The per-sample output shape of extra layer l for the per-sample input shapes `in` (one per
// input, arity already checked), and l.params. Calls fail (which throws) on a mismatch.
std::vector<std::int64_t> extraLayerShape(Layer& l,
                                          const std::vector<std::vector<std::int64_t>>& in,
                                          const std::function<void(const std::string&)>& fail);

// Runs extra layer l on samples [b, e); ins[k] and y point at sample 0 of the whole-batch buffers.
void runExtraLayer(const Layer& l, std::int64_t b, std::int64_t e,
                   const std::vector<const float*>& ins, float* y);

// Channel c's value of a per-channel parameter (PReLU slope, Affine scale/shift): `empty` when the
// vector is empty, its only value when it holds one.
float channelValue(const Eigen::VectorXf& v, std::int64_t c, float empty);

// How one input of Add/Sub/Mul lines up with the output (model.h).
enum class Broadcast { Full, PerChannel, Single };
Broadcast broadcastOf(const std::vector<std::int64_t>& in, const std::vector<std::int64_t>& out);

}  // namespace quant::detail
