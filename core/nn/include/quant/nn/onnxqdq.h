// SPDX-License-Identifier: GPL-3.0-or-later
// Quantized ONNX models in and out of the int8 engine (int8model.h).
//
// Export writes an Int8Model as a standard QDQ graph (opset 13, IR 7): the float graph input goes
// through QuantizeLinear/DequantizeLinear with the input's scale and zero point; every Linear
// (Gemm, transB = 1) and Conv2d (Conv) reads DequantizeLinear of its int8 weights (zero point 0,
// one scale per output channel on axis 0, or one scale with per-tensor weights) and of its int32
// bias (scale s_in * s_w per channel, rounded to float32, zero point 0); a fused ReLU/Clip
// follows as Relu (clamp at the zero point) or Clip at the real values of its int8 bounds; every
// int8 tensor of the engine (each layer's output, pass-through layers included) is followed by a
// QuantizeLinear/DequantizeLinear pair with its scale and zero point (int8). A final Softmax stays
// float. A runtime that executes the graph in float32 rounds differently from the engine's
// fixed-point requantization, so its outputs agree within about one output code, not bit for bit.
//
// Import reads QDQ graphs (QuantizeLinear/DequantizeLinear around float operators, as written by
// the exporter above, onnxruntime's quantize_static or torch.onnx.export of fake-quantized
// modules) and QOperator graphs (QLinearConv, QLinearMatMul, and MatMulInteger / ConvInteger
// followed by Cast to float and Mul by a constant scale), opset 10 to 17. It returns
//   fp32  the dequantized float model (weights (q - z) * s), for fp32 runs and the layer table;
//   int8  an Int8Model with the file's own scales and zero points: the input and every tensor
//         quantized by the file keep their parameters, weights their codes and scales, int32
//         biases their codes when their scale is s_in * s_w (to float32 rounding; otherwise the
//         dequantized bias is requantized as quantizeModel does); requantization multipliers
//         follow from the scales as in quantizeModel, so QuantLab's own export re-imports to
//         bit-identical int8 outputs.
// uint8 activations (q, z) are taken as the equivalent int8 (q - 128, z - 128). Refused with a
// quant::Error "<where>: node '<name>' (<op>): ..." (or naming the layer): asymmetric or uint8
// weights, weight code -128, per-channel activation scales, missing, zero, negative or non-finite
// scales, zero points of another type than int8/uint8, dynamic quantization
// (DynamicQuantizeLinear), a quantized tensor feeding a float operator, and a tensor the engine
// would need parameters for that the file does not quantize.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "quant/nn/int8model.h"
#include "quant/nn/model.h"

namespace quant {

struct QuantizedOnnxModel {
  Model fp32;      // finalize()d
  Int8Model int8;  // runInt8-ready
};

// True when the graph holds any quantization operator (QuantizeLinear, DequantizeLinear,
// QLinearConv, QLinearMatMul, MatMulInteger, ConvInteger, DynamicQuantizeLinear). False for bytes
// that do not parse.
bool isQuantizedOnnx(std::span<const std::uint8_t> bytes);
bool isQuantizedOnnxFile(const std::string& path);

QuantizedOnnxModel importQuantizedOnnx(std::span<const std::uint8_t> bytes,
                                       const std::string& where);
QuantizedOnnxModel loadQuantizedOnnx(const std::string& path);

std::vector<std::uint8_t> exportQdqOnnx(const Int8Model& model);
void saveQdqOnnx(const Int8Model& model, const std::string& path);

}  // namespace quant
