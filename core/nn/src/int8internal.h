// SPDX-License-Identifier: GPL-3.0-or-later
// Pieces of the static int8 executor (int8model.cpp) that the dynamic and weight-only modes
// (int8dynamic.cpp) reuse. Private to core/nn.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "quant/nn/int8model.h"
#include "quant/numeric/quantize.h"

namespace quant::detail {

// Fills q's int8 weights and scales and packs them; with withRequant also the int32 bias and the
// requantization multipliers (which need q.inScale-compatible inScale and q.outScale).
void quantizeWeights(const Layer& l, float inScale, bool perChannel, Int8Layer& q,
                     bool withRequant = true);

// Activation parameters of a tensor from its values, as quantizeModel calibrates them.
ScaleZeroPoint calibrateTensor(std::span<const float> values, const ActivationRecipe& recipe);

// The int32 bias code of a float bias b for the accumulator scale s_in * s_w (ties to even,
// saturated), as quantizeWeights computes it.
std::int32_t quantizeBias(double b, double accScale);

// Completes a Linear/Conv2d layer whose weights ([outC, K] codes), weightScales and (withRequant)
// int32 bias, inScale and outScale are set: the requantization multipliers
// M = s_in * s_w / s_out (double) and the packed weights of each group.
void finishGemmLayer(Int8Layer& q, int K, bool withRequant);

// Where assembleInt8Model takes the numbers from: quantizeModel calibrates and quantizes, the
// quantized-ONNX importer reads them from the file. Both then share one layer walk (fusion of
// ReLU/Clip, pass-through layers, Add multipliers, the final Softmax).
struct Int8Sources {
  std::string who;  // message prefix
  // Scale and zero point of the graph input.
  std::function<ScaleZeroPoint()> input;
  // Of `tensor`, the output of graph.layers[0, layers) (a fused activation counted).
  std::function<ScaleZeroPoint(const Model& graph, std::size_t layers, const std::string& tensor)>
      output;
  // Fills q's weights, weightScales, bias, requantization and packing (q.inScale and q.outScale
  // are set), e.g. by quantizeWeights or finishGemmLayer.
  std::function<void(const Layer& l, Int8Layer& q)> weights;
};
// The walk of quantizeModel over a finalize()d model; out.recipe is left default.
Int8Model assembleInt8Model(const Model& m, const Int8Sources& src);

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
