// SPDX-License-Identifier: GPL-3.0-or-later
// Integer-only int8 execution of an fp32 Model (static post-training quantization).
//
// quantizeModel() turns a finalize()d graph of Linear / Conv2d / ReLU / Clip / MaxPool2d /
// AvgPool2d / Flatten / GlobalAvgPool / Add layers and the layers for imported models below
// (optionally ending in Softmax or LogSoftmax) into an Int8Model. The graph may be any DAG in execution order (residual connections); tensors are
// addressed by name as in the fp32 model.
// The rule is the default QuantRecipe (recipe.h); Int8Model::recipe records it.
//   * weights: int8 symmetric, zero point 0, codes in [-127, 127]; per output channel (default)
//     or per tensor: s_w = max|W| / 127, q = round_half_to_even(W / s_w) (quantizeValue).
//   * activations: int8 asymmetric per tensor. Every tensor that gets new parameters (the graph
//     input and every Linear/Conv2d/Add output, after its fused activation) is calibrated with
//     calibrate() on the values the fp32 model produces for the calibration inputs, then
//     chooseParams() (range widened to include 0, so real 0 is exactly representable).
//   * bias: int32 = round_half_to_even(b / (s_in * s_w)) in double, saturated to int32.
//   * requantization: M = s_in * s_w / s_out (double) -> QuantizeMultiplier (Q0.31 + shift);
//     the output stage is gemm::requantize (see int8gemm.h / fixedpoint.h for its rounding).
//   * a ReLU directly after a Linear/Conv2d/Add is fused as actMin = z_out (real 0); Clip (ReLU6)
//     as [q(clipMin), q(clipMax)] intersected with [-128, 127]. Fusion needs the activation to be
//     the next layer and the only consumer of that output (which must not be the graph output).
//   * MaxPool2d works on the int8 codes (max commutes with the monotone dequantization; padded
//     positions never win); Flatten is a no-op; a standalone ReLU / Clip clamps the codes with
//     the input's parameters. These layers keep the input's scale and zero point.
//   * GlobalAvgPool and AvgPool2d keep the input's parameters and compute
//     z + round_half_to_even(sum(q - z) / count) in exact integer arithmetic (int64 sum, floor
//     division, then ties to even), clamped to [-128, 127]. AvgPool2d's count is as in the fp32
//     layer: the real positions of the window, or with countIncludePad the window clipped to the
//     padded input; padded positions are real 0 and add nothing to the sum.
//   * Add (gemmlowp / TFLite scheme): with s_max = max(s_a, s_b) and L = addLeftShift = 20,
//       a' = MultiplyByQuantizedMultiplier((q_a - z_a) * 2^L, QM(s_a / (2 s_max)))
//       b' = MultiplyByQuantizedMultiplier((q_b - z_b) * 2^L, QM(s_b / (2 s_max)))
//       q  = clamp(MultiplyByQuantizedMultiplier(a' + b', QM(2 s_max / (2^L s_out))) + z_out,
//                  actMin, actMax)
//     (QM = QuantizeMultiplier). All in int32: |q - z| <= 255 so the shifted inputs stay below
//     2^28 and the sum below 2^29. Each MultiplyByQuantizedMultiplier rounds twice (round half up
//     in the doubling high multiply, then round half away from zero in the right shift), so the
//     result is within about one code of round(real sum / s_out). Only when the output
//     multiplier has a left shift, a sum whose shifted value would leave int32 is first clamped to
//     +-(2^31 - 1) >> shift (such a sum saturates the output anyway).
//   * Sub is Add with the second scaled input subtracted. Add, Sub and Mul broadcast an input of
//     one value per channel or a single value (model.h) by indexing, nothing else changes.
//   * Mul (TFLite): q = clamp(MBQM((q_a - z_a) (q_b - z_b), QM(s_a s_b / s_out)) + z_out,
//     actMin, actMax); the product is below 2^16, and as for Add a sum that would wrap in a left
//     shift is first saturated. A ReLU / Clip after Add, Sub, Mul or Affine is fused as above.
//   * lookup tables (Sigmoid, Tanh, HardSigmoid, HardSwish, LeakyReLU, Elu; PReLU one per
//     channel): table[q + 128] = clamp(round_half_to_even(f(s_in (q - z_in)) / s_out) + z_out)
//     with f = applyActivation (model.h) on the float32 dequantized code, the division in double.
//     Output parameters: Sigmoid and HardSigmoid 1/256 with zero point -128, Tanh 1/128 with zero
//     point 0 (TFLite's fixed ranges: the function's whole range on all 256 codes whatever the
//     calibration saw); the others are calibrated like a Linear output.
//   * Concat: output calibrated; an input with other parameters is requantized with
//     clamp(MBQM(q - z_k, QM(s_k / s_out)) + z_out), one with the same parameters copied.
//   * Affine (per channel c, 8 fraction bits): clamp(RoundingDivideByPOT(sign(a_c) MBQM(q - z_in,
//     QM(s_in |a_c| / s_out * 2^8)) + round(d_c / s_out * 2^8), 8) + z_out), output calibrated.
//   * Pad fills with the code of padValue in the input's parameters; GlobalMaxPool takes the
//     largest code. Both keep the input's parameters.
//   * an unfolded BatchNorm and a Softmax / LogSoftmax that is not the final layer run in float32:
//     the input is dequantized, the fp32 layer runs, its output is quantized (quantizeValue) with
//     calibrated parameters; Int8Layer::floatReason says why and floatLayerNotes() lists them.
//   * the input is quantized once (quantizeValue: float32 division, ties to even); the int8 output
//     tensor is dequantized (s * (q - z)); a final Softmax or LogSoftmax runs in float32 on those
//     logits.
// Conv2d uses int8 im2col whose padded positions hold the INPUT ZERO POINT (real 0.0), then the
// run-time-selected int8 GEMM (gemm::activeIsa()); all kernels give identical bits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "quant/base/tensor.h"
#include "quant/kernels/int8gemm.h"
#include "quant/nn/model.h"
#include "quant/nn/recipe.h"
#include "quant/numeric/calibrate.h"

namespace quant {

struct Int8Layer {
  // Linear, Conv2d, ReLU, Clip, MaxPool2d, AvgPool2d, Flatten, GlobalAvgPool, and the layers
  // of int8extra.cpp (header comment)
  LayerType type = LayerType::ReLU;
  std::string name;             // the fp32 layer's name
  std::string fusedActivation;  // ReLU/Clip fused into Linear/Conv2d/Add/Sub/Mul/Affine, or ""
  // Tensor names as in the fp32 graph: inputs (two for Add) and the tensor this layer defines
  // (with a fused activation, the activation's output). Empty inputs mean "the previous layer's
  // output" (the graph input for the first layer), an empty output a name of runInt8's own.
  std::vector<std::string> inputs;
  std::string outputName;
  std::vector<std::int64_t> inShape, outShape;  // per sample

  // Quantization parameters of the input and output tensors (equal for the pass-through layers).
  float inScale = 1.0f;
  std::int32_t inZero = 0;
  float outScale = 1.0f;
  std::int32_t outZero = 0;

  // Linear / Conv2d. weights: [outC, K] int8 as in the fp32 layout (K = inC/groups * kH * kW);
  // weightScales: one per output channel (all equal with per-tensor weights); bias: [outC];
  // requant: [outC]; realMultiplier: the double M before QuantizeMultiplier.
  std::vector<std::int8_t> weights;
  std::vector<float> weightScales;
  std::vector<std::int32_t> bias;
  std::vector<double> realMultiplier;
  std::vector<QuantizedMultiplier> requant;
  gemm::OutputParams output;                // zero point and fused clamp
  std::vector<gemm::PackedWeights> packed;  // one per group (Linear: one)

  // Conv2d / pooling windows; Clip bounds as int8 codes of the input.
  int kernelH = 1, kernelW = 1, strideH = 1, strideW = 1;
  int padTop = 0, padLeft = 0, padBottom = 0, padRight = 0;
  int groups = 1;
  bool countIncludePad = false;  // AvgPool2d
  std::int32_t clipMinQ = -128, clipMaxQ = 127;

  // Add: in/out parameters above are input 0 and the output; in2* is input 1. The inputs are
  // brought to the common scale 2 * max(s_in, s_in2) / 2^addLeftShift by addMult[i] and the sum
  // to s_out by addOutMult; zero point and fused ReLU/Clip clamp are in `output`.
  float in2Scale = 1.0f;
  std::int32_t in2Zero = 0;
  int addLeftShift = 20;
  QuantizedMultiplier addMult[2];
  QuantizedMultiplier addOutMult;  // Mul: M = s_in * s_in2 / s_out
  // Add / Sub / Mul: input 1's per-sample shape (inShape is input 0's); either input may be the
  // output's shape, one value per channel or a single value (model.h).
  std::vector<std::int64_t> in2Shape;

  // Lookup-table layers (Sigmoid, Tanh, HardSigmoid, HardSwish, LeakyReLU, Elu, PReLU): 256
  // output codes per table, indexed by input code + 128; PReLU has one table per channel.
  std::vector<std::int8_t> lut;

  // Concat: every input's shape and parameters, and the multiplier s_in[k] / s_out that brings
  // its codes to the output's (unused when both parameters agree: the codes are copied).
  std::vector<std::vector<std::int64_t>> inShapes;
  std::vector<float> inScales;
  std::vector<std::int32_t> inZeros;
  std::vector<QuantizedMultiplier> inMult;

  // Affine, per channel c: y = z_out + RDBPOT(sign_c * MBQM(q - z_in, requant[c]) + bias[c],
  // affineFracBits), with requant[c] = QM(s_in |a_c| / s_out * 2^affineFracBits), sign_c the sign
  // of a_c and bias[c] = round(d_c / s_out * 2^affineFracBits); realMultiplier[c] = s_in a_c /
  // s_out. Clamped to `output`'s actMin/actMax (a fused ReLU/Clip).
  std::vector<std::int8_t> channelSign;
  int affineFracBits = 8;

  std::int32_t padCode = 0;  // Pad: the code of padValue in the input's parameters

  // A layer the int8 engine runs in float32: its inputs are dequantized, `floatStep` (a one-layer
  // model) runs on them, and its output is quantized with the calibrated outScale / outZero.
  // floatReason says why it stays in float; empty for integer layers.
  std::string floatReason;
  Model floatStep;
};

struct Int8Model {
  std::string input = "input";           // graph input tensor name
  std::string output;                    // the int8 tensor dequantized at the end ("" = last)
  std::vector<std::int64_t> inputShape;  // per sample
  float inputScale = 1.0f;
  std::int32_t inputZero = 0;
  std::vector<Int8Layer> layers;
  bool softmax = false;  // a final fp32 Softmax (or LogSoftmax) on the dequantized logits
  bool logSoftmax = false;
  std::string softmaxName;
  float outputScale = 1.0f;  // parameters of the last int8 tensor (the logits)
  std::int32_t outputZero = 0;
  std::vector<std::int64_t> outputShape;  // per sample
  QuantRecipe recipe;  // how it was quantized (int8; per-channel or per-tensor weights)
};

// Static PTQ (see the header comment). calibrationInputs: [N] + fp32.inputShape. Throws
// quant::Error naming the layer for unsupported layers or scales that cannot be requantized, or
// for an empty calibration set.
Int8Model quantizeModel(const Model& fp32, const Tensor& calibrationInputs,
                        const CalibrationConfig& calib, bool perChannelWeights = true);
// The same from a recipe, which must be the int8 rule (QuantRecipe{} up to per-channel weights and
// the calibration method); throws quant::Error naming both recipes otherwise.
Int8Model quantizeModel(const Model& fp32, const Tensor& calibrationInputs,
                        const QuantRecipe& recipe);

// What runs in float32 inside an Int8Model, one line per layer: "'<name>' (<Type>): <reason>" for
// every layer with a floatReason, then the final Softmax / LogSoftmax on the dequantized output.
// Empty when every layer is integer-only. Reports print these so no layer stays float silently.
std::vector<std::string> floatLayerNotes(const Int8Model& model);

// Per-layer int8 results of one run, for the requantization walkthrough and tests.
struct Int8LayerTrace {
  std::vector<std::int64_t> shape;  // [N] + outShape
  std::vector<std::int8_t> q;       // the layer's int8 output, NCHW / [N, F]
  std::vector<std::int32_t> acc;    // Linear/Conv2d: int32 accumulators (bias included, before
                                    // requantization), same layout as q; empty otherwise
};
struct Int8Trace {
  std::vector<std::int8_t> input;      // the quantized input
  std::vector<Int8LayerTrace> layers;  // one per Int8Model layer
};

// Where the time of one runInt8 call went (seconds of wall-clock time, std::chrono::steady_clock).
// The profile times the normal fused path: one clock read before and after each stage, nothing
// else changes (the Linear/Conv2d GEMM stays fused with its requantization, so the two cannot be
// timed apart). Stages: quantizeInput (float -> int8 input), one entry per Int8Model layer (its
// whole work, im2col and a fused activation included), dequantizeOutput (int8 -> float logits
// and a final Softmax). total is the whole call from entry to return; the stages cover all of it
// but resolving the graph's tensor names and the thread team's start, so stages() <= total.
struct Int8LayerTime {
  std::string name;  // the Int8Layer's name
  double seconds = 0.0;
};
struct Int8Profile {
  double quantizeInput = 0.0;
  std::vector<Int8LayerTime> layers;  // one per Int8Model layer
  double dequantizeOutput = 0.0;
  double total = 0.0;
  double layerSeconds() const;  // the sum over layers
  double stages() const { return quantizeInput + layerSeconds() + dequantizeOutput; }
};

// fp32 in ([N] + inputShape), fp32 out ([N] + outputShape): dequantized logits, or Softmax
// probabilities when the model ends in Softmax. With trace != nullptr every layer's int8 output
// (and the accumulators of Linear/Conv2d) is recorded; with profile != nullptr the stage times
// above are filled (overwritten). threads >= 1: the batch is split into contiguous slices run on
// that many std::threads (results are bit-identical to threads = 1).
Tensor runInt8(const Int8Model& model, const Tensor& input, Int8Trace* trace = nullptr,
               Int8Profile* profile = nullptr, int threads = 1);

// The int8 im2col row runInt8 feeds the GEMM for Conv2d `layer` at output position (oy, ox) of
// group `group`: one sample's codes x (NCHW, layer.inShape) under the kernel window, K =
// inC / groups * kernelH * kernelW values in the weights' (channel, ky, kx) order; positions in
// the padding hold the input zero point (real 0.0). Returns how many positions were padding.
int int8Im2colRow(const Int8Layer& layer, const std::int8_t* x, int group, int oy, int ox,
                  std::int8_t* row);

// Quantizes a float tensor with the model's input parameters (as runInt8 does).
std::vector<std::int8_t> quantizeInput(const Int8Model& model, const Tensor& input);

// Dynamic quantization: int8 weights as above (no bias / requantization), activations quantized
// at run time per batch (int8 asymmetric, min-max over the whole input tensor of each
// Linear/Conv2d, quantizeValue rounding), exact int32 accumulation on the int8 GEMM, then a float
// rescale y = s_in * s_w[o] * acc + b[o] (double, rounded once to float). All other layers run in
// float32 (the reference forward pass), so any graph of fp32 layers works, Softmax included.
struct DynamicInt8Model {
  Model fp32;                     // finalized copy of the source model
  std::vector<Int8Layer> layers;  // one per fp32 layer; weights/packed set for Linear/Conv2d
  std::vector<Model> steps;       // one per fp32 layer: a one-layer model for non-GEMM layers
};
DynamicInt8Model quantizeDynamic(const Model& fp32, bool perChannelWeights = true);
Tensor runDynamic(const DynamicInt8Model& model, const Tensor& input);

// Weight-only quantization: a copy of the model whose Linear/Conv2d weights are replaced by their
// int8 reconstruction s_w * q (same weight quantization as above); run it with forward(), i.e.
// float32 activations and arithmetic.
Model weightOnlyModel(const Model& fp32, bool perChannelWeights = true);

}  // namespace quant
