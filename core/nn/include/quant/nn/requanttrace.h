// SPDX-License-Identifier: GPL-3.0-or-later
// The requantization of one output value of an int8 Linear / Conv2d layer, taken from a traced
// runInt8 and recomputed step by step for the walkthrough:
//   acc    = sum_k (x_k - z_x) w_k + bias  (int32; = sumXW + zeroCorrection + bias)
//   scaled = MultiplyByQuantizedMultiplier(acc, M0, shift)   (fixedpoint.h rounding)
//   q      = clamp(scaled + z_out, actMin, actMax)           (gemm::requantize)
// x is the layer's int8 input row the GEMM sees: for Conv2d the int8 im2col row the executor
// builds (int8Im2colRow, padding = z_x); sumXW and zeroCorrection come from the reference GEMM
// kernel run with zero point 0 and z_x. `result` is the traced run's code; `recomputed` must
// equal it bit for bit.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "quant/kernels/fixedpoint.h"
#include "quant/nn/int8model.h"

namespace quant {

struct RequantTrace {
  std::string layer;
  bool conv = false;
  int sample = 0, column = 0;    // column = output channel
  int pixel = 0, y = 0, x0 = 0;  // Conv2d: output position y * width + x (the GEMM row)
  int padded = 0;                // Conv2d: patch values that are padding (= z_x, real 0)
  int K = 0;                     // terms in the dot product
  std::vector<std::int8_t> x;    // the int8 inputs of the dot product (K)
  std::vector<std::int8_t> w;    // the weight row of this output channel (K)
  std::int32_t zx = 0;
  std::int32_t sumXW = 0;           // sum x*w (zero point 0, bias removed)
  std::int32_t zeroCorrection = 0;  // -z_x * sum w
  std::int32_t bias = 0;
  std::int32_t acc = 0;  // the accumulator the traced run recorded
  float sIn = 1, sW = 1, sOut = 1;
  std::int32_t zOut = 0;
  double realM = 0;
  QuantizedMultiplier qm;
  std::int32_t scaled = 0;
  std::int32_t actMin = -128, actMax = 127;
  std::int8_t result = 0;      // the traced run's int8 output code
  std::int8_t recomputed = 0;  // gemm::requantize(acc, ...)
  float dequantized = 0;       // s_out * (result - z_out)
};

// Traces Int8Model layer `layer` (Linear or Conv2d) on one sample ([1] + inputShape) at output
// channel `column` and, for Conv2d, output position `pixel`; both are clamped to the layer's
// range. `sample` is only recorded. Throws quant::Error for other layers.
RequantTrace traceRequantization(const Int8Model& model, std::size_t layer, const Tensor& input,
                                 int sample, int pixel, int column);

// The lookup table of an int8 activation layer (Sigmoid, Tanh, HardSigmoid, HardSwish, LeakyReLU,
// Elu; PReLU at `channel`, clamped to its channels), for the walkthrough: for every input code q,
// its real value x = s_in (q - z_in), f(x) as the fp32 layer computes it, the exact output code
// f(x) / s_out + z_out before rounding, and the stored table entry (that value rounded half to
// even and clamped to [-128, 127]). fp32 is the model `model` was quantized from (it holds f's
// coefficients). Throws quant::Error for other layers.
struct LutRow {
  std::int8_t code = 0;
  float real = 0, f = 0;
  double exact = 0;
  std::int8_t out = 0;
};
struct LutTrace {
  std::string layer;
  LayerType type = LayerType::Sigmoid;
  int channel = 0;
  float sIn = 1, sOut = 1;
  std::int32_t zIn = 0, zOut = 0;
  bool fixedOutput =
      false;  // Sigmoid / HardSigmoid / Tanh: output parameters fixed, not calibrated
  std::vector<LutRow> rows;  // 256, codes -128..127
};
LutTrace traceLookupTable(const Int8Model& model, const Model& fp32, std::size_t layer,
                          int channel);

}  // namespace quant
