// SPDX-License-Identifier: GPL-3.0-or-later
// Static-PTQ int8 executor: quantizing a model (weights, calibrated activations) and running it;
// see int8model.h for what is computed and how it rounds. The dynamic and weight-only modes are in
// int8dynamic.cpp.
//
// Over 700 lines: every layer type's integer slice (GEMM, requantize, max/average pool, add) sits
// beside the scheduler that runs them, so one file shows the whole integer data path.
#include "quant/nn/int8model.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <span>
#include <unordered_map>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "int8internal.h"
#include "layers_extra.h"
#include "quant/kernels/fakequant.h"
#include "quant/kernels/fixedpoint.h"
#include "quant/numeric/quantize.h"

namespace quant {

using detail::calibrateTensor;
using detail::clampCode;
using detail::gemmSlice;
using detail::int8LayerShell;
using detail::prod;
using detail::quantizeWeights;

namespace {

std::int32_t saturatingRoundToInt32(double v) {
  // Ties to even (nearbyint in the default mode); saturate before the cast so it is defined.
  const double r = std::nearbyint(v);
  if (!(r == r)) return 0;
  if (r >= 2147483647.0) return std::numeric_limits<std::int32_t>::max();
  if (r <= -2147483648.0) return std::numeric_limits<std::int32_t>::min();
  return static_cast<std::int32_t>(r);
}

}  // namespace

// ---- shared with int8dynamic.cpp (declared and documented in int8internal.h) ----
namespace detail {

ScaleZeroPoint calibrateTensor(std::span<const float> values, const ActivationRecipe& recipe) {
  const QuantSpec spec = recipe.spec();
  const CalibrationResult r = calibrate(values, spec, recipe.calibration);
  return chooseParams(spec, r.range.lo, r.range.hi);
}

void quantizeWeights(const Layer& l, float inScale, bool perChannel, Int8Layer& q,
                     bool withRequant) {
  const int outC = static_cast<int>(l.weight.rows());
  const int K = static_cast<int>(l.weight.cols());
  const QuantSpec wspec = QuantRecipe{}.weights.spec();  // int8 narrow range: codes +-127
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
  q.bias.assign(outC, 0);
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
  }
  finishGemmLayer(q, K, withRequant);
}

std::int32_t quantizeBias(double b, double accScale) {
  return saturatingRoundToInt32(b / accScale);
}

void finishGemmLayer(Int8Layer& q, int K, bool withRequant) {
  const int outC = static_cast<int>(q.weightScales.size());
  if (withRequant) {
    q.realMultiplier.resize(outC);
    q.requant.resize(outC);
    for (int o = 0; o < outC; ++o) {
      const double accScale =
          static_cast<double>(q.inScale) * static_cast<double>(q.weightScales[o]);
      q.realMultiplier[o] = accScale / static_cast<double>(q.outScale);
      q.requant[o] = QuantizeMultiplier(q.realMultiplier[o]);
    }
  } else {
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

Int8Layer int8LayerShell(const Layer& l) {
  Int8Layer q;
  q.type = l.type;
  q.name = l.name;
  q.inputs = l.inputs;
  q.outputName = l.output;
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
  q.countIncludePad = l.countIncludePad;
  return q;
}

std::int64_t prod(const std::vector<std::int64_t>& s) {
  std::int64_t p = 1;
  for (auto d : s) p *= d;
  return p;
}

}  // namespace detail

std::vector<std::int8_t> quantizeInput(const Int8Model& model, const Tensor& input) {
  std::vector<std::int8_t> q(input.data.size());
  fakequant::quantizeCodes(cpu::Isa::Auto, input.data.data(), q.data(), q.size(), model.inputScale,
                           model.inputZero);
  return q;
}

Int8Model quantizeModel(const Model& fp32, const Tensor& calibrationInputs,
                        const CalibrationConfig& calib, bool perChannelWeights) {
  QuantRecipe recipe;
  recipe.weights.perChannel = perChannelWeights;
  recipe.activations.calibration = calib;
  return quantizeModel(fp32, calibrationInputs, recipe);
}

Int8Model quantizeModel(const Model& fp32, const Tensor& calibrationInputs,
                        const QuantRecipe& recipe) {
  QuantRecipe int8;
  int8.weights.perChannel = recipe.weights.perChannel;
  int8.activations.calibration = recipe.activations.calibration;
  if (!(recipe == int8))
    throw Error("quantizeModel: the int8 engine runs " + int8.describe() + ", not " +
                recipe.describe());
  Model m = fp32;
  m.finalize();
  if (calibrationInputs.shape.empty() || calibrationInputs.shape[0] < 1)
    throw Error("quantizeModel: empty calibration set");
  detail::Int8Sources src;
  src.who = "quantizeModel";
  src.input = [&]() { return calibrateTensor(calibrationInputs.data, recipe.activations); };
  src.output = [&](const Model& graph, std::size_t layers, const std::string& tensor) {
    Model sub = graph;
    sub.layers.resize(layers);
    sub.output = tensor;
    sub.finalize();
    const Tensor y = forward(sub, calibrationInputs);
    return calibrateTensor(y.data, recipe.activations);
  };
  src.weights = [&](const Layer& l, Int8Layer& q) {
    quantizeWeights(l, q.inScale, recipe.weights.perChannel, q);
  };
  Int8Model out = detail::assembleInt8Model(m, src);
  out.recipe = recipe;
  return out;
}

namespace detail {

Int8Model assembleInt8Model(const Model& m, const Int8Sources& src) {
  Int8Model out;
  out.input = m.input;
  out.inputShape = m.inputShape;
  std::unordered_map<std::string, ScaleZeroPoint> params;  // of every int8 tensor
  std::unordered_map<std::string, std::vector<std::int64_t>> shapes;
  {
    const ScaleZeroPoint sz = src.input();
    out.inputScale = sz.scale;
    out.inputZero = sz.zeroPoint;
    params[m.input] = sz;
    shapes[m.input] = m.inputShape;
  }
  // Consumers of each tensor (the graph output counts as one): an activation can only be fused
  // into the layer before it when it is that layer's output's sole consumer.
  std::unordered_map<std::string, int> uses;
  for (const Layer& l : m.layers)
    for (const std::string& t : l.inputs) ++uses[t];
  ++uses[m.output];
  std::string int8Output = m.output;
  for (std::size_t i = 0; i < m.layers.size(); ++i) {
    const Layer& l = m.layers[i];
    const auto fail = [&](const std::string& what) {
      throw Error(src.who + ": layer '" + l.name + "' (" + layerTypeName(l.type) + "): " + what);
    };
    if ((l.type == LayerType::Softmax || l.type == LayerType::LogSoftmax) &&
        i + 1 == m.layers.size() && m.output == l.output) {
      out.softmax = true;
      out.logSoftmax = l.type == LayerType::LogSoftmax;
      out.softmaxName = l.name;
      int8Output = l.inputs[0];
      break;
    }
    Int8Layer q = int8LayerShell(l);
    const ScaleZeroPoint in0 = params.at(l.inputs[0]);
    q.inScale = q.outScale = in0.scale;
    q.inZero = q.outZero = in0.zeroPoint;
    // A directly following ReLU / Clip that alone consumes this layer's output is fused as the
    // output clamp; the tensor calibrated is then the activation's output.
    const Layer* act = nullptr;
    const bool fusable = l.type == LayerType::Linear || l.type == LayerType::Conv2d ||
                         l.type == LayerType::Add || l.type == LayerType::Sub ||
                         l.type == LayerType::Mul || l.type == LayerType::Affine;
    if (fusable && i + 1 < m.layers.size() &&
        (m.layers[i + 1].type == LayerType::ReLU || m.layers[i + 1].type == LayerType::Clip) &&
        m.layers[i + 1].inputs[0] == l.output && uses[l.output] == 1) {
      act = &m.layers[i + 1];
      q.fusedActivation = act->name;
      q.outShape = act->outShape;
      q.outputName = act->output;
    }
    const auto calibrateOutput = [&]() {
      const ScaleZeroPoint sz = src.output(m, act != nullptr ? i + 2 : i + 1, q.outputName);
      q.outScale = sz.scale;
      q.outZero = sz.zeroPoint;
      q.output.zeroPoint = sz.zeroPoint;
      q.output.actMin = -128;
      q.output.actMax = 127;
      if (act == nullptr) return;
      if (act->type == LayerType::ReLU) {
        q.output.actMin = sz.zeroPoint;
        return;
      }
      if (act->clipMin > -std::numeric_limits<float>::infinity())
        q.output.actMin = clampCode(quantizeValue(act->clipMin, sz.scale, sz.zeroPoint, -128, 127));
      if (act->clipMax < std::numeric_limits<float>::infinity())
        q.output.actMax = clampCode(quantizeValue(act->clipMax, sz.scale, sz.zeroPoint, -128, 127));
      if (q.output.actMin > q.output.actMax) q.output.actMax = q.output.actMin;
    };
    switch (l.type) {
      case LayerType::Linear:
      case LayerType::Conv2d:
        calibrateOutput();
        src.weights(l, q);
        break;
      case LayerType::ReLU:
        q.clipMinQ = in0.zeroPoint;
        break;
      case LayerType::Clip:
        if (l.clipMin > -std::numeric_limits<float>::infinity())
          q.clipMinQ = quantizeValue(l.clipMin, in0.scale, in0.zeroPoint, -128, 127);
        if (l.clipMax < std::numeric_limits<float>::infinity())
          q.clipMaxQ = quantizeValue(l.clipMax, in0.scale, in0.zeroPoint, -128, 127);
        if (q.clipMinQ > q.clipMaxQ) q.clipMaxQ = q.clipMinQ;
        break;
      case LayerType::MaxPool2d:
      case LayerType::AvgPool2d:
      case LayerType::Flatten:
      case LayerType::GlobalAvgPool:
        break;
      default: {
        if (!detail::isExtraInt8(l.type)) fail("not supported by the int8 executor");
        std::vector<ScaleZeroPoint> in;
        for (const std::string& t : l.inputs) in.push_back(params.at(t));
        detail::quantizeExtraLayer(l, in, calibrateOutput, fail, q);
      }
    }
    if (act != nullptr) ++i;
    params[q.outputName] = {q.outScale, q.outZero};
    shapes[q.outputName] = q.outShape;
    out.layers.push_back(std::move(q));
  }
  const auto p = params.find(int8Output);
  if (p == params.end())
    throw Error(src.who + ": the output '" + int8Output + "' is not an int8 tensor");
  out.output = int8Output;
  out.outputScale = p->second.scale;
  out.outputZero = p->second.zeroPoint;
  out.outputShape = shapes.at(int8Output);
  return out;
}

}  // namespace detail

int int8Im2colRow(const Int8Layer& L, const std::int8_t* x, int group, int oy, int ox,
                  std::int8_t* row) {
  const int H = static_cast<int>(L.inShape[1]), W = static_cast<int>(L.inShape[2]);
  const int Cg = static_cast<int>(L.inShape[0]) / L.groups;
  const auto pad = static_cast<std::int8_t>(L.inZero);
  int k = 0, padded = 0;
  for (int c = 0; c < Cg; ++c) {
    const std::int8_t* plane = x + static_cast<std::int64_t>(group * Cg + c) * H * W;
    for (int ky = 0; ky < L.kernelH; ++ky) {
      const int iy = oy * L.strideH + ky - L.padTop;
      for (int kx = 0; kx < L.kernelW; ++kx, ++k) {
        const int ix = ox * L.strideW + kx - L.padLeft;
        const bool inside = iy >= 0 && iy < H && ix >= 0 && ix < W;
        row[k] = inside ? plane[iy * W + ix] : pad;
        padded += !inside;
      }
    }
  }
  return padded;
}

namespace detail {

void gemmSlice(const Int8Layer& L, std::int64_t b, std::int64_t e, const std::int8_t* x,
               std::int8_t* y, std::int32_t* acc) {
  const std::int64_t inPer = prod(L.inShape), outPer = prod(L.outShape);
  if (L.type == LayerType::Linear) {
    const auto& pw = L.packed[0];
    const int M = static_cast<int>(e - b);
    const std::span<const std::int8_t> a(x + b * inPer, static_cast<std::size_t>(M * inPer));
    const std::size_t outCount = static_cast<std::size_t>(M) * pw.N;
    if (y != nullptr)
      gemm::gemmRequant(a, M, L.inZero, pw, L.output, std::span(y + b * outPer, outCount));
    else
      gemm::gemmAcc(a, M, L.inZero, pw, std::span(acc + b * outPer, outCount));
    return;
  }
  // Conv2d: per sample and group, int8 im2col (rows = output pixels, K = c, ky, kx) with the
  // padded positions set to the input zero point, i.e. real 0.0.
  const int C = static_cast<int>(L.inShape[0]);
  const int OC = static_cast<int>(L.outShape[0]), OH = static_cast<int>(L.outShape[1]),
            OW = static_cast<int>(L.outShape[2]);
  const int Cg = C / L.groups, Ng = OC / L.groups;
  const int K = Cg * L.kernelH * L.kernelW;
  const int M = OH * OW;
  std::vector<std::int8_t> cols(static_cast<std::size_t>(M) * K);
  std::vector<std::int8_t> tmp(y != nullptr ? static_cast<std::size_t>(M) * Ng : 0);
  std::vector<std::int32_t> tmpAcc(acc != nullptr ? static_cast<std::size_t>(M) * Ng : 0);
  for (std::int64_t n = b; n < e; ++n) {
    const std::int8_t* xs = x + n * inPer;
    for (int g = 0; g < L.groups; ++g) {
      for (int oy = 0; oy < OH; ++oy)
        for (int ox = 0; ox < OW; ++ox)
          (void)int8Im2colRow(L, xs, g, oy, ox,
                              cols.data() + (static_cast<std::size_t>(oy) * OW + ox) * K);
      const auto& pw = L.packed[g];
      if (y != nullptr)
        gemm::gemmRequant(std::span<const std::int8_t>(cols), M, L.inZero, pw, L.output, tmp);
      else
        gemm::gemmAcc(std::span<const std::int8_t>(cols), M, L.inZero, pw, tmpAcc);
      for (int m = 0; m < M; ++m)
        for (int j = 0; j < Ng; ++j) {
          const std::size_t dst = (static_cast<std::size_t>(n) * OC + g * Ng + j) * M + m;
          if (y != nullptr)
            y[dst] = tmp[static_cast<std::size_t>(m) * Ng + j];
          else
            acc[dst] = tmpAcc[static_cast<std::size_t>(m) * Ng + j];
        }
    }
  }
}
}  // namespace detail

namespace {

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

// dst[i] = max(a[i], b[i]) for signed bytes, i in [0, n); dst may alias a or b. SSE2 (the x86-64
// baseline) has only the unsigned byte max, so both sides are biased by 0x80 (an order-preserving
// map of [-128, 127] onto [0, 255]) and the result is unbiased again. Blocks of 16 (or one or two
// of 8 for 8 <= n < 16), the last block overlapping the one before: it rewrites a few outputs
// with the same values, also when dst is a or b (max(max(a, b), b) = max(a, b)); dst must not
// overlap a or b at an offset.
void maxBytes(std::int8_t* dst, const std::int8_t* a, const std::int8_t* b, std::int64_t n) {
  std::int64_t i = 0;
#if defined(__SSE2__)
  const __m128i bias = _mm_set1_epi8(static_cast<char>(0x80));
  const auto max16 = [&](std::int64_t j) {
    const __m128i va =
        _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + j)), bias);
    const __m128i vb =
        _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b + j)), bias);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + j),
                     _mm_xor_si128(_mm_max_epu8(va, vb), bias));
  };
  const auto max8 = [&](std::int64_t j) {
    const __m128i va =
        _mm_xor_si128(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(a + j)), bias);
    const __m128i vb =
        _mm_xor_si128(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(b + j)), bias);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(dst + j),
                     _mm_xor_si128(_mm_max_epu8(va, vb), bias));
  };
  if (n >= 16) {
    for (; i + 16 <= n; i += 16) max16(i);
    if (i < n) max16(n - 16);
    return;
  }
  if (n >= 8) {
    max8(0);
    max8(n - 8);
    return;
  }
#endif
  for (; i < n; ++i) dst[i] = std::max(a[i], b[i]);
}

// out[j] = max(r[2j], r[2j + 1]) for j in [0, n). SSE2: a 16-bit lane holds an (even, odd) pair;
// shifting it left by 8 and back arithmetically sign-extends the even byte, the arithmetic shift
// by 8 alone the odd one; their signed 16-bit max packs back to bytes exactly (no saturation: the
// values are bytes). Blocks of 8 outputs, the last one overlapping.
void pairMax(std::int8_t* out, const std::int8_t* r, std::int64_t n) {
  std::int64_t j = 0;
#if defined(__SSE2__)
  const auto block = [&](std::int64_t k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(r + 2 * k));
    const __m128i even = _mm_srai_epi16(_mm_slli_epi16(v, 8), 8);
    const __m128i odd = _mm_srai_epi16(v, 8);
    const __m128i m = _mm_max_epi16(even, odd);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out + k), _mm_packs_epi16(m, m));
  };
  if (n >= 8) {
    for (; j + 8 <= n; j += 8) block(j);
    if (j < n) block(n - 8);
    return;
  }
#endif
  for (; j < n; ++j) out[j] = std::max(r[2 * j], r[2 * j + 1]);
}

// int8 MaxPool2d on channel planes [b, e). Separable: the max over the window's rows first (a
// contiguous row of W bytes, vectorized), then over its columns within that row: 2-wide stride-2
// windows (the usual pooling) by pairMax, stride 1 as a max of shifted rows, other strides and
// the windows that reach into the padding by a plain loop. Padded positions never win. The max
// is exact in any order, so this equals the direct loop bit for bit (tst_int8model compares).
void maxPoolSlice(const Int8Layer& L, std::int64_t b, std::int64_t e, const std::int8_t* x,
                  std::int8_t* y) {
  const std::int64_t H = L.inShape[1], W = L.inShape[2];
  const std::int64_t OH = L.outShape[1], OW = L.outShape[2];
  const std::int64_t kW = L.kernelW, sW = L.strideW, pL = L.padLeft;
  // Outputs [oxA, oxB) have their whole window inside the row: x0 = ox * sW - pL >= 0 and
  // x0 + kW <= W.
  const std::int64_t oxA = std::min<std::int64_t>(OW, (pL + sW - 1) / sW);
  const std::int64_t lastFit = W - kW + pL;  // x0 + kW <= W for ox * sW <= lastFit
  const std::int64_t oxB =
      lastFit < 0 ? oxA : std::max(oxA, std::min<std::int64_t>(OW, lastFit / sW + 1));
  std::vector<std::int8_t> rowMax(static_cast<std::size_t>(W));
  std::int8_t* r = rowMax.data();
  for (std::int64_t nc = b; nc < e; ++nc) {
    const std::int8_t* plane = x + nc * H * W;
    std::int8_t* o = y + nc * OH * OW;
    for (std::int64_t oy = 0; oy < OH; ++oy, o += OW) {
      const std::int64_t y0 = oy * L.strideH - L.padTop;
      const std::int64_t ya = std::max<std::int64_t>(y0, 0);
      const std::int64_t yb = std::min<std::int64_t>(y0 + L.kernelH, H);
      // Pads are smaller than the kernel (Model::finalize), so every window has a real row.
      const std::int8_t* first = plane + ya * W;
      if (yb - ya == 1) {
        std::copy(first, first + W, r);
      } else {
        maxBytes(r, first, first + W, W);
        for (std::int64_t iy = ya + 2; iy < yb; ++iy) maxBytes(r, r, plane + iy * W, W);
      }
      for (std::int64_t ox = 0; ox < OW; ++ox) {
        if (ox == oxA && oxA < oxB) {
          const std::int64_t n = oxB - oxA;
          const std::int8_t* src = r + oxA * sW - pL;
          if (kW == 1 && sW == 1) {
            std::copy(src, src + n, o + oxA);
          } else if (kW == 2 && sW == 2) {
            pairMax(o + oxA, src, n);
          } else if (sW == 1) {
            maxBytes(o + oxA, src, src + 1, n);
            for (std::int64_t k = 2; k < kW; ++k) maxBytes(o + oxA, o + oxA, src + k, n);
          } else {
            for (std::int64_t j = oxA; j < oxB; ++j) {
              const std::int8_t* w = r + j * sW - pL;
              std::int8_t m = w[0];
              for (std::int64_t k = 1; k < kW; ++k) m = std::max(m, w[k]);
              o[j] = m;
            }
          }
          ox = oxB - 1;
          continue;
        }
        const std::int64_t x0 = ox * sW - pL;
        const std::int64_t xa = std::max<std::int64_t>(x0, 0);
        const std::int64_t xb = std::min<std::int64_t>(x0 + kW, W);
        std::int8_t m = r[xa];
        for (std::int64_t ix = xa + 1; ix < xb; ++ix) m = std::max(m, r[ix]);
        o[ox] = m;
      }
    }
  }
}

// MaxPool2d / AvgPool2d on channel planes [b, e) (plane = sample * C + channel).
void poolSlice(const Int8Layer& L, std::int64_t b, std::int64_t e, const std::int8_t* x,
               std::int8_t* y) {
  const std::int64_t H = L.inShape[1], W = L.inShape[2];
  const std::int64_t OH = L.outShape[1], OW = L.outShape[2];
  const bool isMax = L.type == LayerType::MaxPool2d;
  for (std::int64_t nc = b; nc < e; ++nc) {
    const std::int8_t* plane = x + nc * H * W;
    std::int8_t* o = y + nc * OH * OW;
    for (std::int64_t oy = 0; oy < OH; ++oy) {
      const std::int64_t y0 = oy * L.strideH - L.padTop;
      const std::int64_t ya = std::max<std::int64_t>(y0, 0);
      const std::int64_t yb = std::min<std::int64_t>(y0 + L.kernelH, H);
      for (std::int64_t ox = 0; ox < OW; ++ox) {
        const std::int64_t x0 = ox * L.strideW - L.padLeft;
        const std::int64_t xa = std::max<std::int64_t>(x0, 0);
        const std::int64_t xb = std::min<std::int64_t>(x0 + L.kernelW, W);
        std::int32_t best = -128;
        std::int64_t sum = 0;  // of q - z: padded positions are real 0, i.e. contribute 0
        for (std::int64_t iy = ya; iy < yb; ++iy)
          for (std::int64_t ix = xa; ix < xb; ++ix) {
            const std::int32_t v = plane[iy * W + ix];
            best = std::max(best, v);
            sum += v - L.inZero;
          }
        if (isMax) {
          o[oy * OW + ox] = static_cast<std::int8_t>(best);
          continue;
        }
        std::int64_t count = (yb - ya) * (xb - xa);
        if (L.countIncludePad) {
          const std::int64_t yc = std::min<std::int64_t>(y0 + L.kernelH, H + L.padBottom);
          const std::int64_t xc = std::min<std::int64_t>(x0 + L.kernelW, W + L.padRight);
          count = (yc - y0) * (xc - x0);
        }
        o[oy * OW + ox] = static_cast<std::int8_t>(clampCode(roundedMean(sum, count) + L.inZero));
      }
    }
  }
}

// A deliberately low estimate of one sample's single-thread time of layer L in nanoseconds, for
// detail::ThreadTeam::threadsFor (see threadteam.cpp for the hand-off cost behind its threshold).
// The rates are the fastest measured on a 2-core AVX-512 machine (AVX-512 VNNI kernel; the AVX2 and
// reference kernels are slower, so they split no earlier than they gain): fused int8 GEMM ~0.005 ns
// per MAC (MLP fc1 at batch 64: 12.8 M MACs in ~61 us), im2col and the NCHW scatter ~0.3 ns per
// element, pooling ~0.2 ns per input element (vectorized max), clamps/Add ~0.1 ns per element.
double estimatedSampleNs(const Int8Layer& L) {
  const double in = static_cast<double>(prod(L.inShape));
  const double out = static_cast<double>(prod(L.outShape));
  switch (L.type) {
    case LayerType::Linear:
      return 0.005 * in * out;
    case LayerType::Conv2d: {
      const double K = static_cast<double>(L.inShape[0] / L.groups) * L.kernelH * L.kernelW;
      const double pixels = static_cast<double>(L.outShape[1] * L.outShape[2]);
      const double macs = K * out;
      return 0.005 * macs + 0.3 * (K * L.groups * pixels + out);
    }
    case LayerType::MaxPool2d:
    case LayerType::AvgPool2d:
      return 0.2 * in;
    default:
      return 0.1 * in;
  }
}

double secondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

double Int8Profile::layerSeconds() const {
  double s = 0.0;
  for (const Int8LayerTime& l : layers) s += l.seconds;
  return s;
}

Tensor runInt8(const Int8Model& model, const Tensor& input, Int8Trace* trace, Int8Profile* profile,
               int threads) {
  using Clock = std::chrono::steady_clock;
  const auto callStart = Clock::now();
  detail::ThreadTeam team(threads);
  if (input.shape.size() != model.inputShape.size() + 1 ||
      !std::equal(model.inputShape.begin(), model.inputShape.end(), input.shape.begin() + 1) ||
      input.shape[0] < 1 ||
      static_cast<std::int64_t>(input.data.size()) != checkedNumel(input.shape))
    throw Error("runInt8: input shape " + input.shapeString() + " does not match the model");
  const std::int64_t N = input.shape[0];
  const std::int64_t inPer = prod(model.inputShape);
  if (profile != nullptr) *profile = Int8Profile{};
  if (trace != nullptr) {
    trace->input.clear();
    trace->layers.clear();
  }

  // Resolve tensor names (empty = chain order) and the last use of every tensor.
  const std::size_t numLayers = model.layers.size();
  std::vector<std::vector<std::string>> ins(numLayers);
  std::vector<std::string> outs(numLayers);
  {
    std::string prev = model.input;
    for (std::size_t i = 0; i < numLayers; ++i) {
      const Int8Layer& L = model.layers[i];
      ins[i] = L.inputs.empty() ? std::vector<std::string>{prev} : L.inputs;
      if (ins[i].size() != detail::int8InputCount(L))
        throw Error("runInt8: layer '" + L.name + "': wrong number of inputs");
      outs[i] = L.outputName.empty() ? "\x01" + std::to_string(i) : L.outputName;
      prev = outs[i];
    }
  }
  const std::string outName =
      !model.output.empty() ? model.output : (numLayers == 0 ? model.input : outs.back());
  std::unordered_map<std::string, std::size_t> lastUse;
  for (std::size_t i = 0; i < numLayers; ++i)
    for (const std::string& t : ins[i]) lastUse[t] = i;

  std::unordered_map<std::string, std::vector<std::int8_t>> acts;
  {
    const auto t0 = Clock::now();
    std::vector<std::int8_t> q(input.data.size());
    // ~0.16 ns per value measured with the AVX2 kernel (MLP, batch 64); 0.1 keeps it low.
    team.run(N, 0.1 * static_cast<double>(inPer), [&](std::int64_t b, std::int64_t e) {
      const auto i = static_cast<std::size_t>(b * inPer);
      fakequant::quantizeCodes(cpu::Isa::Auto, input.data.data() + i, q.data() + i,
                               static_cast<std::size_t>((e - b) * inPer), model.inputScale,
                               model.inputZero);
    });
    if (profile != nullptr) profile->quantizeInput = secondsSince(t0);
    if (trace != nullptr) trace->input = q;
    acts[model.input] = std::move(q);
  }

  for (std::size_t li = 0; li < numLayers; ++li) {
    const Int8Layer& L = model.layers[li];
    const auto t0 = Clock::now();
    const auto found = acts.find(ins[li][0]);
    if (found == acts.end())
      throw Error("runInt8: layer '" + L.name + "': input '" + ins[li][0] + "' is not defined");
    const std::vector<std::int8_t>& x = found->second;
    const std::int64_t outPer = prod(L.outShape);
    if (static_cast<std::int64_t>(x.size()) != N * prod(L.inShape))
      throw Error("runInt8: layer '" + L.name + "': input size differs from its shape");
    std::vector<std::int8_t> y(static_cast<std::size_t>(N * outPer));
    std::vector<std::int32_t> acc;
    const double ns = estimatedSampleNs(L);
    switch (L.type) {
      case LayerType::Linear:
      case LayerType::Conv2d:
        // The fused kernel; a trace also records the accumulators (a second, unfused GEMM), so
        // its codes are those of the normal path.
        if (trace != nullptr) acc.resize(y.size());
        team.run(N, ns, [&](std::int64_t b, std::int64_t e) {
          gemmSlice(L, b, e, x.data(), y.data(), nullptr);
          if (trace != nullptr) gemmSlice(L, b, e, x.data(), nullptr, acc.data());
        });
        if (trace == nullptr) acc.clear();
        break;
      case LayerType::ReLU:
      case LayerType::Clip:
        team.run(N, ns, [&](std::int64_t b, std::int64_t e) {
          for (std::int64_t i = b * outPer; i < e * outPer; ++i)
            y[static_cast<std::size_t>(i)] = static_cast<std::int8_t>(
                std::clamp<std::int32_t>(x[static_cast<std::size_t>(i)], L.clipMinQ, L.clipMaxQ));
        });
        break;
      case LayerType::MaxPool2d:
      case LayerType::AvgPool2d: {
        const std::int64_t C = L.inShape[0];
        team.run(N, ns, [&](std::int64_t b, std::int64_t e) {
          if (L.type == LayerType::MaxPool2d)
            maxPoolSlice(L, b * C, e * C, x.data(), y.data());
          else
            poolSlice(L, b * C, e * C, x.data(), y.data());
        });
        break;
      }
      case LayerType::GlobalAvgPool: {
        const std::int64_t C = L.inShape[0], HW = L.inShape[1] * L.inShape[2];
        team.run(N, ns, [&](std::int64_t b, std::int64_t e) {
          for (std::int64_t nc = b * C; nc < e * C; ++nc) {
            std::int64_t s = 0;
            for (std::int64_t j = 0; j < HW; ++j) s += x[nc * HW + j] - L.inZero;
            y[nc] = static_cast<std::int8_t>(clampCode(roundedMean(s, HW) + L.inZero));
          }
        });
        break;
      }
      case LayerType::Flatten:
        std::copy(x.begin(), x.end(), y.begin());
        break;
      default: {
        std::vector<const std::int8_t*> xs;
        for (std::size_t k = 0; k < ins[li].size(); ++k) {
          const auto f = acts.find(ins[li][k]);
          const std::int64_t per =
              k == 0 ? prod(L.inShape) : prod(L.inShapes.empty() ? L.in2Shape : L.inShapes[k]);
          if (f == acts.end() || static_cast<std::int64_t>(f->second.size()) != N * per)
            throw Error("runInt8: layer '" + L.name + "': input '" + ins[li][k] +
                        "' missing or of another size");
          xs.push_back(f->second.data());
        }
        team.run(N, ns, [&](std::int64_t b, std::int64_t e) {
          detail::runExtraInt8(L, b, e, xs, y.data());
        });
      }
    }
    if (trace != nullptr) {
      Int8LayerTrace t;
      t.shape.push_back(N);
      t.shape.insert(t.shape.end(), L.outShape.begin(), L.outShape.end());
      t.q = y;
      t.acc = std::move(acc);
      trace->layers.push_back(std::move(t));
    }
    for (const std::string& t : ins[li])
      if (lastUse[t] == li && t != outName) acts.erase(t);
    acts[outs[li]] = std::move(y);
    // After the buffers are released: freeing a large one is part of the layer's cost.
    if (profile != nullptr) profile->layers.push_back({L.name, secondsSince(t0)});
  }

  const auto t0 = Clock::now();
  const auto found = acts.find(outName);
  if (found == acts.end()) throw Error("runInt8: output '" + outName + "' is never defined");
  const std::vector<std::int8_t>& cur = found->second;
  Tensor out;
  out.name = "output";
  out.shape.push_back(N);
  out.shape.insert(out.shape.end(), model.outputShape.begin(), model.outputShape.end());
  if (static_cast<std::int64_t>(cur.size()) != checkedNumel(out.shape))
    throw Error("runInt8: the output size differs from the model's output shape");
  out.data.resize(cur.size());
  for (std::size_t i = 0; i < cur.size(); ++i)
    out.data[i] = dequantizeValue(cur[i], model.outputScale, model.outputZero);
  if (model.softmax && model.logSoftmax) {
    Layer ls;
    ls.type = LayerType::LogSoftmax;
    ls.inShape = ls.outShape = model.outputShape;
    detail::runExtraLayer(ls, 0, N, {out.data.data()}, out.data.data());
  } else if (model.softmax) {
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
  if (profile != nullptr) {
    profile->dequantizeOutput = secondsSince(t0);
    profile->total = secondsSince(callStart);
  }
  return out;
}

}  // namespace quant
