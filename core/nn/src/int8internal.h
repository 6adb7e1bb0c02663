// SPDX-License-Identifier: GPL-3.0-or-later
// Pieces of the static int8 executor (int8model.cpp) that the dynamic and weight-only modes
// (int8dynamic.cpp) reuse. Private to core/nn.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "quant/nn/int8model.h"

namespace quant::detail {

// Fills q's int8 weights and scales and packs them; with withRequant also the int32 bias and the
// requantization multipliers (which need q.inScale-compatible inScale and q.outScale).
void quantizeWeights(const Layer& l, float inScale, bool perChannel, Int8Layer& q,
                     bool withRequant = true);

// Linear/Conv2d on samples [b, e) of int8 codes x (input zero point L.inZero), whole-batch
// buffers NCHW / [N, F]. Exactly one of y (requantized int8, fused gemmRequant) and acc (int32
// accumulators with bias, gemmAcc) is non-null.
void gemmSlice(const Int8Layer& L, std::int64_t b, std::int64_t e, const std::int8_t* x,
               std::int8_t* y, std::int32_t* acc);

// An Int8Layer with l's type, names, shapes and window geometry; no weights, no quantization.
Int8Layer int8LayerShell(const Layer& l);

// The number of elements of a shape.
std::int64_t prod(const std::vector<std::int64_t>& s);

// The layers int8extra.cpp quantizes and runs (lookup tables, elementwise, Concat, Affine, Pad,
// GlobalMaxPool, and the float32 fallbacks).
bool isExtraInt8(LayerType t);
// The function lookup-table layer l (a pointwise activation, or PReLU at `channel`) tabulates.
std::function<float(float)> tableFunction(const Layer& l, std::int64_t channel);
// How many int8 tensors layer L reads.
std::size_t int8InputCount(const Int8Layer& L);
// Fills q (made by int8LayerShell, input 0's parameters set as in and out parameters) for extra
// layer l. in: every input's parameters; calibrateOutput() calibrates q's output parameters (and
// the clamp of a fused activation); fail(what) throws naming the layer.
void quantizeExtraLayer(const Layer& l, const std::vector<ScaleZeroPoint>& in,
                        const std::function<void()>& calibrateOutput,
                        const std::function<void(const std::string&)>& fail, Int8Layer& q);
// Runs extra layer L on samples [b, e); ins[k] and y point at sample 0 of the whole-batch buffers.
void runExtraInt8(const Int8Layer& L, std::int64_t b, std::int64_t e,
                  const std::vector<const std::int8_t*>& ins, std::int8_t* y);

inline std::int32_t clampCode(std::int32_t v) { return std::clamp(v, -128, 127); }

}  // namespace quant::detail
