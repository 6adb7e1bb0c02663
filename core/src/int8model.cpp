// SPDX-License-Identifier: GPL-3.0-or-later
// Static-PTQ int8 executor; see int8model.h for what is computed and how it rounds.
#include "quant/int8model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

#include "quant/fixedpoint.h"
#include "quant/quantize.h"

namespace quant {

namespace {

QuantSpec activationSpec() {
  QuantSpec s;
  s.bits = 8;
  s.isSigned = true;
  s.scheme = Scheme::Asymmetric;
  return s;
}

ScaleZeroPoint calibrateTensor(std::span<const float> values, const CalibrationConfig& calib) {
  const QuantSpec spec = activationSpec();
  const CalibrationResult r = calibrate(values, spec, calib);
  return chooseParams(spec, r.range.lo, r.range.hi);
}

// fp32 values of the output of layer `last` (a prefix of the chain) on the calibration inputs.
Tensor prefixOutput(const Model& m, std::size_t last, const Tensor& input) {
  Model sub = m;
  sub.layers.resize(last + 1);
  sub.output.clear();
  sub.finalize();
  return forward(sub, input);
}

std::int32_t saturatingRoundToInt32(double v) {
  // Ties to even (nearbyint in the default mode); saturate before the cast so it is defined.
  const double r = std::nearbyint(v);
  if (!(r == r)) return 0;
  if (r >= 2147483647.0) return std::numeric_limits<std::int32_t>::max();
  if (r <= -2147483648.0) return std::numeric_limits<std::int32_t>::min();
  return static_cast<std::int32_t>(r);
}

// Fills q's int8 weights and scales and packs them; with withRequant also the int32 bias and the
// requantization multipliers (which need q.inScale-compatible inScale and q.outScale).
void quantizeWeights(const Layer& l, float inScale, bool perChannel, Int8Layer& q,
                     bool withRequant = true) {
  const int outC = static_cast<int>(l.weight.rows());
  const int K = static_cast<int>(l.weight.cols());
  QuantSpec wspec;
  wspec.scheme = Scheme::Symmetric;
  wspec.narrowRange = true;
  float tensorMax = 0.0f;
  std::vector<float> absMax(outC, 0.0f);
  for (int o = 0; o < outC; ++o) {
    for (int k = 0; k < K; ++k) {
      const float v = std::fabs(l.weight(o, k));
      if (std::isfinite(v)) absMax[o] = std::max(absMax[o], v);
    }
    tensorMax = std::max(tensorMax, absMax[o]);
  }
  q.weights.resize(static_cast<std::size_t>(outC) * K);
  q.weightScales.resize(outC);
  q.bias.resize(outC);
  q.realMultiplier.resize(outC);
  q.requant.resize(outC);
  for (int o = 0; o < outC; ++o) {
    const float m = perChannel ? absMax[o] : tensorMax;
    const float s = chooseParams(wspec, -m, m).scale;
    q.weightScales[o] = s;
    for (int k = 0; k < K; ++k)
      q.weights[static_cast<std::size_t>(o) * K + k] =
          static_cast<std::int8_t>(quantizeValue(l.weight(o, k), s, 0, -127, 127));
    if (!withRequant) continue;
    const double accScale = static_cast<double>(inScale) * static_cast<double>(s);
    const double b = l.bias.size() == 0 ? 0.0 : static_cast<double>(l.bias[o]);
    q.bias[o] = saturatingRoundToInt32(b / accScale);
    q.realMultiplier[o] = accScale / static_cast<double>(q.outScale);
    q.requant[o] = QuantizeMultiplier(q.realMultiplier[o]);
  }
  if (!withRequant) {
    q.bias.clear();
    q.realMultiplier.clear();
    q.requant.clear();
  }
  // Pack one K x Ng matrix per group (transposed from the [out, K] layout).
  const int Ng = outC / q.groups;
  q.packed.clear();
  for (int g = 0; g < q.groups; ++g) {
    std::vector<std::int8_t> kn(static_cast<std::size_t>(K) * Ng);
    for (int k = 0; k < K; ++k)
      for (int n = 0; n < Ng; ++n)
        kn[static_cast<std::size_t>(k) * Ng + n] =
            q.weights[static_cast<std::size_t>(g * Ng + n) * K + k];
    if (withRequant)
      q.packed.push_back(
          gemm::packWeights(kn, K, Ng, std::span<const std::int32_t>(q.bias).subspan(g * Ng, Ng),
                            std::span<const QuantizedMultiplier>(q.requant).subspan(g * Ng, Ng)));
    else
      q.packed.push_back(gemm::packWeights(kn, K, Ng));
  }
}

std::int64_t prod(const std::vector<std::int64_t>& s) {
  std::int64_t p = 1;
  for (auto d : s) p *= d;
  return p;
}

std::int32_t clampCode(std::int32_t v) { return std::clamp(v, -128, 127); }

}  // namespace

std::vector<std::int8_t> quantizeInput(const Int8Model& model, const Tensor& input) {
  std::vector<std::int8_t> q(input.data.size());
  for (std::size_t i = 0; i < q.size(); ++i)
    q[i] = static_cast<std::int8_t>(
        quantizeValue(input.data[i], model.inputScale, model.inputZero, -128, 127));
  return q;
}

Int8Model quantizeModel(const Model& fp32, const Tensor& calibrationInputs,
                        const CalibrationConfig& calib, bool perChannelWeights) {
  Model m = fp32;
  m.finalize();
  if (calibrationInputs.shape.empty() || calibrationInputs.shape[0] < 1)
    throw Error("quantizeModel: empty calibration set");
  Int8Model out;
  out.inputShape = m.inputShape;
  out.perChannelWeights = perChannelWeights;
  {
    const ScaleZeroPoint sz = calibrateTensor(calibrationInputs.data, calib);
    out.inputScale = sz.scale;
    out.inputZero = sz.zeroPoint;
  }
  float curScale = out.inputScale;
  std::int32_t curZero = out.inputZero;
  std::string prev = m.input;
  for (std::size_t i = 0; i < m.layers.size(); ++i) {
    const Layer& l = m.layers[i];
    if (l.inputs.size() != 1 || l.inputs[0] != prev)
      throw Error("quantizeModel: layer '" + l.name + "': only sequential chains are supported");
    prev = l.output;
    if (l.type == LayerType::Softmax) {
      if (i + 1 != m.layers.size())
        throw Error("quantizeModel: layer '" + l.name + "': Softmax must be the last layer");
      out.softmax = true;
      out.softmaxName = l.name;
      break;
    }
    Int8Layer q;
    q.type = l.type;
    q.name = l.name;
    q.inShape = l.inShape;
    q.outShape = l.outShape;
    q.inScale = curScale;
    q.inZero = curZero;
    q.outScale = curScale;
    q.outZero = curZero;
    q.kernelH = l.kernelH;
    q.kernelW = l.kernelW;
    q.strideH = l.strideH;
    q.strideW = l.strideW;
    q.padTop = l.padTop;
    q.padLeft = l.padLeft;
    q.padBottom = l.padBottom;
    q.padRight = l.padRight;
    q.groups = l.groups;
    switch (l.type) {
      case LayerType::Linear:
      case LayerType::Conv2d: {
        // Fuse a directly following ReLU / Clip: calibrate the activation's output instead.
        std::size_t last = i;
        const Layer* act = nullptr;
        if (i + 1 < m.layers.size() &&
            (m.layers[i + 1].type == LayerType::ReLU || m.layers[i + 1].type == LayerType::Clip)) {
          act = &m.layers[i + 1];
          last = i + 1;
          q.fusedActivation = act->name;
          q.outShape = act->outShape;
        }
        const Tensor y = prefixOutput(m, last, calibrationInputs);
        const ScaleZeroPoint sz = calibrateTensor(y.data, calib);
        q.outScale = sz.scale;
        q.outZero = sz.zeroPoint;
        q.output.zeroPoint = sz.zeroPoint;
        q.output.actMin = -128;
        q.output.actMax = 127;
        if (act != nullptr) {
          if (act->type == LayerType::ReLU) {
            q.output.actMin = sz.zeroPoint;
          } else {
            if (act->clipMin > -std::numeric_limits<float>::infinity())
              q.output.actMin =
                  clampCode(quantizeValue(act->clipMin, sz.scale, sz.zeroPoint, -128, 127));
            if (act->clipMax < std::numeric_limits<float>::infinity())
              q.output.actMax =
                  clampCode(quantizeValue(act->clipMax, sz.scale, sz.zeroPoint, -128, 127));
            if (q.output.actMin > q.output.actMax) q.output.actMax = q.output.actMin;
          }
        }
        quantizeWeights(l, curScale, perChannelWeights, q);
        curScale = q.outScale;
        curZero = q.outZero;
        if (act != nullptr) {
          prev = act->output;
          ++i;
        }
        break;
      }
      case LayerType::ReLU:
        q.clipMinQ = curZero;
        break;
      case LayerType::Clip:
        if (l.clipMin > -std::numeric_limits<float>::infinity())
          q.clipMinQ = quantizeValue(l.clipMin, curScale, curZero, -128, 127);
        if (l.clipMax < std::numeric_limits<float>::infinity())
          q.clipMaxQ = quantizeValue(l.clipMax, curScale, curZero, -128, 127);
        if (q.clipMinQ > q.clipMaxQ) q.clipMaxQ = q.clipMinQ;
        break;
      case LayerType::MaxPool2d:
      case LayerType::Flatten:
      case LayerType::GlobalAvgPool:
        break;
      default:
        throw Error("quantizeModel: layer '" + l.name + "' (" + layerTypeName(l.type) +
                    "): not supported by the int8 executor");
    }
    out.layers.push_back(std::move(q));
  }
  out.outputScale = curScale;
  out.outputZero = curZero;
  out.outputShape = out.layers.empty() ? out.inputShape : out.layers.back().outShape;
  return out;
}

namespace {

// Runs a Linear/Conv2d on int8 codes with input zero point L.inZero. y (requantized int8) and acc
// (int32 accumulators) are each optional; the layout of both is NCHW / [N, F].
void runGemmLayer(const Int8Layer& L, std::int64_t N, const std::vector<std::int8_t>& x,
                  std::vector<std::int8_t>* y, std::vector<std::int32_t>* acc) {
  if (L.type == LayerType::Linear) {
    const auto& pw = L.packed[0];
    const int M = static_cast<int>(N);
    if (y != nullptr) {
      y->assign(static_cast<std::size_t>(N) * pw.N, 0);
      gemm::gemmRequant(std::span<const std::int8_t>(x), M, L.inZero, pw, L.output, *y);
    }
    if (acc != nullptr) {
      acc->assign(static_cast<std::size_t>(N) * pw.N, 0);
      gemm::gemmAcc(std::span<const std::int8_t>(x), M, L.inZero, pw, *acc);
    }
    return;
  }
  // Conv2d: per sample and group, int8 im2col (rows = output pixels, K = c, ky, kx) with the
  // padded positions set to the input zero point, i.e. real 0.0.
  const int C = static_cast<int>(L.inShape[0]), H = static_cast<int>(L.inShape[1]),
            W = static_cast<int>(L.inShape[2]);
  const int OC = static_cast<int>(L.outShape[0]), OH = static_cast<int>(L.outShape[1]),
            OW = static_cast<int>(L.outShape[2]);
  const int Cg = C / L.groups, Ng = OC / L.groups;
  const int K = Cg * L.kernelH * L.kernelW;
  const int M = OH * OW;
  const std::size_t total = static_cast<std::size_t>(N) * OC * M;
  if (y != nullptr) y->assign(total, 0);
  if (acc != nullptr) acc->assign(total, 0);
  std::vector<std::int8_t> cols(static_cast<std::size_t>(M) * K);
  std::vector<std::int8_t> tmp(static_cast<std::size_t>(M) * Ng);
  std::vector<std::int32_t> tmpAcc(acc != nullptr ? static_cast<std::size_t>(M) * Ng : 0);
  const auto pad = static_cast<std::int8_t>(L.inZero);
  for (std::int64_t n = 0; n < N; ++n) {
    const std::int8_t* xs = x.data() + n * static_cast<std::int64_t>(C) * H * W;
    for (int g = 0; g < L.groups; ++g) {
      for (int oy = 0; oy < OH; ++oy)
        for (int ox = 0; ox < OW; ++ox) {
          std::int8_t* row = cols.data() + (static_cast<std::size_t>(oy) * OW + ox) * K;
          int k = 0;
          for (int c = 0; c < Cg; ++c) {
            const std::int8_t* plane = xs + static_cast<std::int64_t>(g * Cg + c) * H * W;
            for (int ky = 0; ky < L.kernelH; ++ky) {
              const int iy = oy * L.strideH + ky - L.padTop;
              for (int kx = 0; kx < L.kernelW; ++kx, ++k) {
                const int ix = ox * L.strideW + kx - L.padLeft;
                row[k] = (iy >= 0 && iy < H && ix >= 0 && ix < W) ? plane[iy * W + ix] : pad;
              }
            }
          }
        }
      const auto& pw = L.packed[g];
      if (y != nullptr)
        gemm::gemmRequant(std::span<const std::int8_t>(cols), M, L.inZero, pw, L.output, tmp);
      if (acc != nullptr)
        gemm::gemmAcc(std::span<const std::int8_t>(cols), M, L.inZero, pw, tmpAcc);
      for (int m = 0; m < M; ++m)
        for (int j = 0; j < Ng; ++j) {
          const std::size_t dst = (static_cast<std::size_t>(n) * OC + g * Ng + j) * M + m;
          if (y != nullptr) (*y)[dst] = tmp[static_cast<std::size_t>(m) * Ng + j];
          if (acc != nullptr) (*acc)[dst] = tmpAcc[static_cast<std::size_t>(m) * Ng + j];
        }
    }
  }
}

void runMaxPool(const Int8Layer& L, std::int64_t N, const std::vector<std::int8_t>& x,
                std::vector<std::int8_t>& y) {
  const int C = static_cast<int>(L.inShape[0]), H = static_cast<int>(L.inShape[1]),
            W = static_cast<int>(L.inShape[2]);
  const int OH = static_cast<int>(L.outShape[1]), OW = static_cast<int>(L.outShape[2]);
  y.assign(static_cast<std::size_t>(N) * C * OH * OW, -128);
  for (std::int64_t nc = 0; nc < N * C; ++nc) {
    const std::int8_t* plane = x.data() + nc * H * W;
    std::int8_t* o = y.data() + nc * OH * OW;
    for (int oy = 0; oy < OH; ++oy)
      for (int ox = 0; ox < OW; ++ox) {
        int best = -128;
        for (int ky = 0; ky < L.kernelH; ++ky) {
          const int iy = oy * L.strideH + ky - L.padTop;
          if (iy < 0 || iy >= H) continue;
          for (int kx = 0; kx < L.kernelW; ++kx) {
            const int ix = ox * L.strideW + kx - L.padLeft;
            if (ix < 0 || ix >= W) continue;
            best = std::max(best, static_cast<int>(plane[iy * W + ix]));
          }
        }
        o[oy * OW + ox] = static_cast<std::int8_t>(best);
      }
  }
}

// z + round_half_to_even(s / d) for an exact integer sum s and count d > 0.
std::int32_t roundedMean(std::int64_t s, std::int64_t d) {
  std::int64_t q = s / d, r = s % d;  // truncated toward zero
  if (r < 0) {
    r += d;
    --q;
  }  // now s = q * d + r with 0 <= r < d (floor division)
  if (2 * r > d || (2 * r == d && (q & 1) != 0)) ++q;
  return static_cast<std::int32_t>(q);
}

}  // namespace

Tensor runInt8(const Int8Model& model, const Tensor& input, Int8Trace* trace) {
  if (input.shape.size() != model.inputShape.size() + 1 ||
      !std::equal(model.inputShape.begin(), model.inputShape.end(), input.shape.begin() + 1) ||
      input.shape[0] < 1)
    throw Error("runInt8: input shape " + input.shapeString() + " does not match the model");
  const std::int64_t N = input.shape[0];
  std::vector<std::int8_t> cur = quantizeInput(model, input);
  if (trace != nullptr) {
    trace->input = cur;
    trace->layers.clear();
  }
  std::vector<std::int8_t> next;
  for (const Int8Layer& L : model.layers) {
    std::vector<std::int32_t> acc;
    const bool wantAcc =
        trace != nullptr && (L.type == LayerType::Linear || L.type == LayerType::Conv2d);
    switch (L.type) {
      case LayerType::Linear:
      case LayerType::Conv2d:
        runGemmLayer(L, N, cur, &next, wantAcc ? &acc : nullptr);
        cur.swap(next);
        break;
      case LayerType::ReLU:
      case LayerType::Clip:
        for (auto& v : cur)
          v = static_cast<std::int8_t>(std::clamp<std::int32_t>(v, L.clipMinQ, L.clipMaxQ));
        break;
      case LayerType::MaxPool2d:
        runMaxPool(L, N, cur, next);
        cur.swap(next);
        break;
      case LayerType::GlobalAvgPool: {
        const std::int64_t C = L.inShape[0], HW = L.inShape[1] * L.inShape[2];
        next.assign(static_cast<std::size_t>(N * C), 0);
        for (std::int64_t nc = 0; nc < N * C; ++nc) {
          std::int64_t s = 0;
          for (std::int64_t j = 0; j < HW; ++j) s += cur[nc * HW + j] - L.inZero;
          next[nc] = static_cast<std::int8_t>(clampCode(roundedMean(s, HW) + L.inZero));
        }
        cur.swap(next);
        break;
      }
      case LayerType::Flatten:
        break;
      default:
        throw Error("runInt8: layer '" + L.name + "': unsupported type");
    }
    if (trace != nullptr) {
      Int8LayerTrace t;
      t.shape.push_back(N);
      t.shape.insert(t.shape.end(), L.outShape.begin(), L.outShape.end());
      t.q = cur;
      t.acc = std::move(acc);
      trace->layers.push_back(std::move(t));
    }
  }
  Tensor out;
  out.name = "output";
  out.shape.push_back(N);
  out.shape.insert(out.shape.end(), model.outputShape.begin(), model.outputShape.end());
  out.data.resize(cur.size());
  for (std::size_t i = 0; i < cur.size(); ++i)
    out.data[i] = dequantizeValue(cur[i], model.outputScale, model.outputZero);
  if (model.softmax) {
    const std::int64_t F = prod(model.outputShape);
    for (std::int64_t n = 0; n < N; ++n) {
      float* row = out.data.data() + n * F;
      const float mx = *std::max_element(row, row + F);
      double sum = 0.0;
      for (std::int64_t j = 0; j < F; ++j) {
        row[j] = std::exp(row[j] - mx);
        sum += row[j];
      }
      for (std::int64_t j = 0; j < F; ++j) row[j] = static_cast<float>(row[j] / sum);
    }
  }
  return out;
}

namespace {

void checkChain(const Model& m, const char* who) {
  std::string prev = m.input;
  for (const Layer& l : m.layers) {
    if (l.inputs.size() != 1 || l.inputs[0] != prev)
      throw Error(std::string(who) + ": layer '" + l.name +
                  "': only sequential chains are supported");
    prev = l.output;
  }
}

}  // namespace

DynamicInt8Model quantizeDynamic(const Model& fp32, bool perChannelWeights) {
  DynamicInt8Model d;
  d.fp32 = fp32;
  d.fp32.finalize();
  checkChain(d.fp32, "quantizeDynamic");
  for (const Layer& l : d.fp32.layers) {
    Int8Layer q;
    Model step;
    q.type = l.type;
    q.name = l.name;
    q.inShape = l.inShape;
    q.outShape = l.outShape;
    q.kernelH = l.kernelH;
    q.kernelW = l.kernelW;
    q.strideH = l.strideH;
    q.strideW = l.strideW;
    q.padTop = l.padTop;
    q.padLeft = l.padLeft;
    q.padBottom = l.padBottom;
    q.padRight = l.padRight;
    q.groups = l.groups;
    if (l.type == LayerType::Linear || l.type == LayerType::Conv2d) {
      quantizeWeights(l, 1.0f, perChannelWeights, q, false);
    } else {
      // Every other layer runs in float32 through the reference forward pass of a one-layer model.
      step.input = l.inputs[0];
      step.inputShape = l.inShape;
      step.layers = {l};
      step.finalize();
    }
    d.layers.push_back(std::move(q));
    d.steps.push_back(std::move(step));
  }
  return d;
}

Tensor runDynamic(const DynamicInt8Model& model, const Tensor& input) {
  const auto& inShape = model.fp32.inputShape;
  if (input.shape.size() != inShape.size() + 1 ||
      !std::equal(inShape.begin(), inShape.end(), input.shape.begin() + 1) || input.shape[0] < 1)
    throw Error("runDynamic: input shape " + input.shapeString() + " does not match the model");
  const std::int64_t N = input.shape[0];
  const QuantSpec spec = activationSpec();
  Tensor cur = input;
  for (std::size_t i = 0; i < model.layers.size(); ++i) {
    const Int8Layer& L0 = model.layers[i];
    const Layer& f = model.fp32.layers[i];
    if (L0.type != LayerType::Linear && L0.type != LayerType::Conv2d) {
      cur = forward(model.steps[i], cur);
      continue;
    }
    // Per-batch min-max parameters for this layer's input, then exact int32 accumulation.
    float lo = std::numeric_limits<float>::infinity(), hi = -lo;
    for (float v : cur.data)
      if (std::isfinite(v)) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
    if (!(lo <= hi)) lo = hi = 0.0f;
    const ScaleZeroPoint sz = chooseParams(spec, lo, hi);
    Int8Layer L = L0;  // cheap enough for the small models this mode is shown on
    L.inScale = sz.scale;
    L.inZero = sz.zeroPoint;
    std::vector<std::int8_t> xq(cur.data.size());
    for (std::size_t j = 0; j < xq.size(); ++j)
      xq[j] =
          static_cast<std::int8_t>(quantizeValue(cur.data[j], sz.scale, sz.zeroPoint, -128, 127));
    std::vector<std::int32_t> acc;
    runGemmLayer(L, N, xq, nullptr, &acc);
    // Float rescale: y = s_in * s_w[o] * acc + b[o], evaluated in double, rounded once to float.
    const std::int64_t OC = L.outShape[0];
    const std::int64_t inner = prod(L.outShape) / OC;
    Tensor y;
    y.name = f.output;
    y.shape.push_back(N);
    y.shape.insert(y.shape.end(), L.outShape.begin(), L.outShape.end());
    y.data.resize(acc.size());
    for (std::size_t j = 0; j < acc.size(); ++j) {
      const std::int64_t o = static_cast<std::int64_t>(j / inner) % OC;
      const double b = f.bias.size() == 0 ? 0.0 : static_cast<double>(f.bias[o]);
      y.data[j] =
          static_cast<float>(static_cast<double>(sz.scale) * L.weightScales[o] * acc[j] + b);
    }
    cur = std::move(y);
  }
  return cur;
}

Model weightOnlyModel(const Model& fp32, bool perChannelWeights) {
  Model m = fp32;
  m.finalize();
  for (Layer& l : m.layers) {
    if (l.type != LayerType::Linear && l.type != LayerType::Conv2d) continue;
    Int8Layer q;
    q.groups = l.groups;
    quantizeWeights(l, 1.0f, perChannelWeights, q, false);
    const auto K = l.weight.cols();
    for (Eigen::Index o = 0; o < l.weight.rows(); ++o)
      for (Eigen::Index k = 0; k < K; ++k)
        l.weight(o, k) = dequantizeValue(q.weights[static_cast<std::size_t>(o * K + k)],
                                         q.weightScales[static_cast<std::size_t>(o)], 0);
  }
  return m;
}

}  // namespace quant
