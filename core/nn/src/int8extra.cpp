// SPDX-License-Identifier: GPL-3.0-or-later
// The static int8 executor's layers beyond GEMM and pooling: lookup-table activations, the
// elementwise Add / Sub / Mul with broadcasting, Concat, Affine, Pad, GlobalMaxPool, and the layers
// that run in float32 between a dequantize and a quantize. int8model.h documents the arithmetic;
// int8model.cpp calls these from quantizeModel and runInt8.
#include <algorithm>
#include <cmath>
#include <limits>

#include "int8internal.h"
#include "layers_extra.h"
#include "quant/kernels/fixedpoint.h"
#include "quant/numeric/quantize.h"

namespace quant::detail {

namespace {

void setFixedOutput(Int8Layer& q, float scale, std::int32_t zero) {
  q.outScale = scale;
  q.outZero = zero;
  q.output.zeroPoint = zero;
  q.output.actMin = -128;
  q.output.actMax = 127;
}

// 256 codes: clamp(round_half_to_even(f(s_in (c - z_in)) / s_out) + z_out) for c in [-128, 127].
void appendTable(const std::function<float(float)>& f, Int8Layer& q) {
  for (int c = -128; c <= 127; ++c) {
    const float x = dequantizeValue(c, q.inScale, q.inZero);
    const double r = std::nearbyint(static_cast<double>(f(x)) / static_cast<double>(q.outScale));
    const double v = std::isnan(r) ? q.outZero : std::clamp(r + q.outZero, -128.0, 127.0);
    q.lut.push_back(static_cast<std::int8_t>(v));
  }
}

std::int32_t saturate32(std::int64_t v) {
  return static_cast<std::int32_t>(std::clamp<std::int64_t>(
      v, std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::max()));
}

// A sum beyond this would wrap in a multiplier's left shift; its output saturates anyway
// (|x * 2^shift| >= 2^31 makes the scaled value >= 2^30 codes), so it is saturated first.
std::int32_t shiftLimit(const QuantizedMultiplier& m) {
  return m.shift > 0 ? std::numeric_limits<std::int32_t>::max() >> m.shift
                     : std::numeric_limits<std::int32_t>::max();
}

std::int8_t clampOut(const Int8Layer& L, std::int64_t v) {
  return static_cast<std::int8_t>(std::clamp<std::int64_t>(v, L.output.actMin, L.output.actMax));
}

void elementwiseSlice(const Int8Layer& L, std::int64_t b, std::int64_t e, const std::int8_t* x0,
                      const std::int8_t* x1, std::int8_t* y) {
  const std::int64_t outPer = prod(L.outShape);
  const std::int64_t ch = L.outShape[0], inner = outPer / ch;
  const std::int64_t per0 = prod(L.inShape), per1 = prod(L.in2Shape);
  const Broadcast b0 = broadcastOf(L.inShape, L.outShape);
  const Broadcast b1 = broadcastOf(L.in2Shape, L.outShape);
  // Offset of (channel c, position i) within one sample of an input.
  const auto at = [inner](Broadcast m, std::int64_t c, std::int64_t i) -> std::int64_t {
    return m == Broadcast::Full ? c * inner + i : m == Broadcast::PerChannel ? c : 0;
  };
  const std::int32_t one = std::int32_t{1} << L.addLeftShift;
  const QuantizedMultiplier m0 = L.addMult[0], m1 = L.addMult[1], mo = L.addOutMult;
  const std::int32_t limit = shiftLimit(mo);
  const bool mul = L.type == LayerType::Mul;
  const std::int32_t sign = L.type == LayerType::Sub ? -1 : 1;
  for (std::int64_t s = b; s < e; ++s) {
    const std::int8_t* a = x0 + s * per0;
    const std::int8_t* d = x1 + s * per1;
    std::int8_t* o = y + s * outPer;
    for (std::int64_t c = 0; c < ch; ++c)
      for (std::int64_t i = 0; i < inner; ++i) {
        const std::int32_t va = std::int32_t{a[at(b0, c, i)]} - L.inZero;
        const std::int32_t vb = std::int32_t{d[at(b1, c, i)]} - L.in2Zero;
        std::int32_t sum;
        if (mul) {
          sum = va * vb;  // |.| <= 255^2
        } else {
          sum = MultiplyByQuantizedMultiplier(va * one, m0.multiplier, m0.shift) +
                sign * MultiplyByQuantizedMultiplier(vb * one, m1.multiplier, m1.shift);
        }
        const std::int32_t sc = std::clamp(sum, -limit, limit);
        o[c * inner + i] =
            clampOut(L, std::int64_t{MultiplyByQuantizedMultiplier(sc, mo.multiplier, mo.shift)} +
                            L.output.zeroPoint);
      }
  }
}

void floatSlice(const Int8Layer& L, std::int64_t b, std::int64_t e,
                const std::vector<const std::int8_t*>& ins, std::int8_t* y) {
  const std::int64_t inPer = prod(L.inShape), outPer = prod(L.outShape);
  Tensor x;
  x.name = L.floatStep.input;
  x.shape.push_back(e - b);
  x.shape.insert(x.shape.end(), L.inShape.begin(), L.inShape.end());
  x.data.resize(static_cast<std::size_t>((e - b) * inPer));
  const std::int8_t* src = ins[0] + b * inPer;
  for (std::size_t i = 0; i < x.data.size(); ++i)
    x.data[i] = dequantizeValue(src[i], L.inScale, L.inZero);
  const Tensor out = forward(L.floatStep, x);
  std::int8_t* dst = y + b * outPer;
  for (std::size_t i = 0; i < out.data.size(); ++i)
    dst[i] = static_cast<std::int8_t>(
        quantizeValue(out.data[i], L.outScale, L.outZero, L.output.actMin, L.output.actMax));
}

}  // namespace

}  // namespace quant::detail

namespace quant {

std::vector<std::string> floatLayerNotes(const Int8Model& model) {
  std::vector<std::string> notes;
  for (const Int8Layer& L : model.layers)
    if (!L.floatReason.empty())
      notes.push_back("'" + L.name + "' (" + layerTypeName(L.type) + "): " + L.floatReason);
  if (model.softmax)
    notes.push_back("'" + model.softmaxName + "' (" +
                    (model.logSoftmax ? "LogSoftmax" : "Softmax") +
                    "): the final one runs on the dequantized output");
  return notes;
}

}  // namespace quant

namespace quant::detail {

std::function<float(float)> tableFunction(const Layer& l, std::int64_t channel) {
  if (l.type == LayerType::PReLU) {
    const float k = channelValue(l.slope, channel, 0.0f);
    return [k](float x) { return x >= 0.0f ? x : k * x; };
  }
  return [l](float x) { return applyActivation(l, x); };
}

bool isExtraInt8(LayerType t) {
  if (isPointwiseActivation(t)) return true;
  switch (t) {
    case LayerType::PReLU:
    case LayerType::Affine:
    case LayerType::Add:
    case LayerType::Sub:
    case LayerType::Mul:
    case LayerType::Concat:
    case LayerType::Pad:
    case LayerType::GlobalMaxPool:
    case LayerType::BatchNorm:
    case LayerType::Softmax:
    case LayerType::LogSoftmax:
      return true;
    default:
      return false;
  }
}

std::size_t int8InputCount(const Int8Layer& L) {
  switch (L.type) {
    case LayerType::Add:
    case LayerType::Sub:
    case LayerType::Mul:
      return 2;
    case LayerType::Concat:
      return L.inShapes.size();
    default:
      return 1;
  }
}

void quantizeExtraLayer(const Layer& l, const std::vector<ScaleZeroPoint>& in,
                        const std::function<void()>& calibrateOutput,
                        const std::function<void(const std::string&)>& fail, Int8Layer& q) {
  const auto multiplier = [&](double real) {
    try {
      return QuantizeMultiplier(real);
    } catch (const Error& e) {
      fail(std::string("scales cannot be requantized: ") + e.what());
    }
    return QuantizedMultiplier{};
  };
  switch (l.type) {
    case LayerType::Sigmoid:
    case LayerType::HardSigmoid:
      // Outputs in [0, 1]: TFLite's fixed 1/256 with zero point -128 uses all 256 codes for that
      // range whatever the calibration saw (1.0 itself saturates to 255/256).
      setFixedOutput(q, 1.0f / 256.0f, -128);
      break;
    case LayerType::Tanh:
      setFixedOutput(q, 1.0f / 128.0f, 0);  // [-1, 1), TFLite's choice for int8 tanh
      break;
    case LayerType::Add:
    case LayerType::Sub:
    case LayerType::Mul: {
      q.in2Scale = in[1].scale;
      q.in2Zero = in[1].zeroPoint;
      q.in2Shape = l.inShapes[1];
      calibrateOutput();
      const double s0 = in[0].scale, s1 = in[1].scale, so = q.outScale;
      if (l.type == LayerType::Mul) {
        q.addOutMult = multiplier(s0 * s1 / so);
        break;
      }
      const double twiceMax = 2.0 * std::max(s0, s1);
      q.addMult[0] = multiplier(s0 / twiceMax);
      q.addMult[1] = multiplier(s1 / twiceMax);
      q.addOutMult = multiplier(twiceMax / (std::ldexp(1.0, q.addLeftShift) * so));
      break;
    }
    case LayerType::Concat:
      q.inShapes = l.inShapes;
      calibrateOutput();
      for (const ScaleZeroPoint& p : in) {
        q.inScales.push_back(p.scale);
        q.inZeros.push_back(p.zeroPoint);
        q.inMult.push_back(multiplier(static_cast<double>(p.scale) / q.outScale));
      }
      break;
    case LayerType::Affine: {
      calibrateOutput();
      const std::int64_t C = l.inShape[0];
      const double frac = std::ldexp(1.0, q.affineFracBits);
      for (std::int64_t c = 0; c < C; ++c) {
        const double a = channelValue(l.scale, c, 1.0f), d = channelValue(l.shift, c, 0.0f);
        q.realMultiplier.push_back(q.inScale * a / q.outScale);
        q.channelSign.push_back(static_cast<std::int8_t>(a < 0 ? -1 : 1));
        q.requant.push_back(multiplier(std::fabs(q.realMultiplier.back()) * frac));
        const double bias = std::nearbyint(d / q.outScale * frac);
        q.bias.push_back(saturate32(static_cast<std::int64_t>(std::clamp(bias, -4e18, 4e18))));
      }
      break;
    }
    case LayerType::Pad:
      q.padCode = quantizeValue(l.padValue, q.inScale, q.inZero, -128, 127);
      break;
    case LayerType::GlobalMaxPool:
      break;
    case LayerType::BatchNorm:
    case LayerType::Softmax:
    case LayerType::LogSoftmax:
      q.floatReason = l.type == LayerType::BatchNorm
                          ? "a BatchNorm not after a Linear/Conv2d cannot be folded"
                          : "a softmax inside the graph has no integer kernel";
      q.floatStep.input = l.inputs[0];
      q.floatStep.inputShape = l.inShape;
      q.floatStep.layers = {l};
      q.floatStep.output = l.output;
      q.floatStep.finalize();
      calibrateOutput();
      break;
    default:
      calibrateOutput();  // the remaining lookup-table layers
  }
  if (isPointwiseActivation(l.type)) {
    appendTable(tableFunction(l, 0), q);
  } else if (l.type == LayerType::PReLU) {
    for (std::int64_t c = 0; c < l.inShape[0]; ++c) appendTable(tableFunction(l, c), q);
  }
}

void runExtraInt8(const Int8Layer& L, std::int64_t b, std::int64_t e,
                  const std::vector<const std::int8_t*>& ins, std::int8_t* y) {
  if (!L.floatReason.empty()) {
    floatSlice(L, b, e, ins, y);
    return;
  }
  const std::int64_t inPer = prod(L.inShape), outPer = prod(L.outShape);
  const std::int8_t* x = ins[0];
  if (!L.lut.empty()) {
    // One table, or one per channel (PReLU); a table per channel of C covers inPer / C values.
    const std::int64_t tables = static_cast<std::int64_t>(L.lut.size() / 256);
    const std::int64_t run = inPer / tables;
    for (std::int64_t i = b * inPer; i < e * inPer; ++i) {
      const std::int8_t* t = L.lut.data() + ((i / run) % tables) * 256;
      y[i] = t[x[i] + 128];
    }
    return;
  }
  switch (L.type) {
    case LayerType::Add:
    case LayerType::Sub:
    case LayerType::Mul:
      elementwiseSlice(L, b, e, x, ins[1], y);
      return;
    case LayerType::Concat:
      for (std::int64_t s = b; s < e; ++s) {
        std::int8_t* o = y + s * outPer;
        for (std::size_t k = 0; k < ins.size(); ++k) {
          const std::int64_t per = prod(L.inShapes[k]);
          const std::int8_t* src = ins[k] + s * per;
          const QuantizedMultiplier m = L.inMult[k];
          if (L.inScales[k] == L.outScale && L.inZeros[k] == L.outZero) {
            std::copy(src, src + per, o);
          } else {
            for (std::int64_t i = 0; i < per; ++i)
              o[i] = clampOut(L, std::int64_t{MultiplyByQuantizedMultiplier(
                                     std::int32_t{src[i]} - L.inZeros[k], m.multiplier, m.shift)} +
                                     L.outZero);
          }
          o += per;
        }
      }
      return;
    case LayerType::Affine: {
      const std::int64_t C = L.inShape[0], inner = inPer / C;
      for (std::int64_t p = b * C; p < e * C; ++p) {
        const std::int64_t c = p % C;
        const QuantizedMultiplier m = L.requant[c];
        for (std::int64_t i = p * inner; i < (p + 1) * inner; ++i) {
          const std::int32_t v =
              L.channelSign[c] *
              MultiplyByQuantizedMultiplier(std::int32_t{x[i]} - L.inZero, m.multiplier, m.shift);
          const std::int32_t acc = saturate32(std::int64_t{v} + L.bias[c]);
          y[i] = clampOut(L, std::int64_t{RoundingDivideByPOT(acc, L.affineFracBits)} + L.outZero);
        }
      }
      return;
    }
    case LayerType::Pad: {
      const std::int64_t H = L.inShape[1], W = L.inShape[2];
      const std::int64_t OH = L.outShape[1], OW = L.outShape[2];
      for (std::int64_t p = b * L.inShape[0]; p < e * L.inShape[0]; ++p) {
        std::int8_t* o = y + p * OH * OW;
        std::fill(o, o + OH * OW, static_cast<std::int8_t>(L.padCode));
        for (std::int64_t r = 0; r < H; ++r)
          std::copy(x + (p * H + r) * W, x + (p * H + r + 1) * W,
                    o + (r + L.padTop) * OW + L.padLeft);
      }
      return;
    }
    case LayerType::GlobalMaxPool: {
      const std::int64_t hw = L.inShape[1] * L.inShape[2];
      for (std::int64_t p = b * L.inShape[0]; p < e * L.inShape[0]; ++p)
        y[p] = *std::max_element(x + p * hw, x + (p + 1) * hw);
      return;
    }
    default:
      throw Error("runInt8: layer '" + L.name + "': unsupported type");
  }
}

}  // namespace quant::detail
