// SPDX-License-Identifier: GPL-3.0-or-later
// The layers model.h lists after Softmax, plus the broadcasting rule of Add. Everything is
// per-sample: the batch dimension never broadcasts. Reductions (LogSoftmax's sum) accumulate in
// double as the older layers do.
#include "layers_extra.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace quant::detail {

namespace {

std::int64_t numel(const std::vector<std::int64_t>& s) {
  std::int64_t p = 1;
  for (const std::int64_t d : s) p *= d;  // bounded at finalize()
  return p;
}

std::string text(const std::vector<std::int64_t>& s) { return Tensor{"", "", s, {}}.shapeString(); }

// A per-channel vector (PReLU slope, Affine scale/shift) must have 0 (Affine only), 1 or C values.
void checkChannelVector(const Eigen::VectorXf& v, std::int64_t channels, bool mayBeEmpty,
                        const char* what, const std::function<void(const std::string&)>& fail) {
  if (v.size() == 0 && mayBeEmpty) return;
  if (v.size() != 1 && v.size() != channels) {
    fail(std::string(what) + " has " + std::to_string(v.size()) + " values; expected 1 or " +
         std::to_string(channels) + " (one per channel)");
  }
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v[i])) fail(std::string(what) + " holds a non-finite value");
  }
}

}  // namespace

float channelValue(const Eigen::VectorXf& v, std::int64_t c, float empty) {
  if (v.size() == 0) return empty;
  return v.size() == 1 ? v[0] : v[c];
}

bool isExtraLayer(LayerType t) {
  switch (t) {
    case LayerType::Add:
    case LayerType::LogSoftmax:
    case LayerType::Sigmoid:
    case LayerType::Tanh:
    case LayerType::HardSigmoid:
    case LayerType::HardSwish:
    case LayerType::LeakyReLU:
    case LayerType::Elu:
    case LayerType::PReLU:
    case LayerType::Affine:
    case LayerType::Sub:
    case LayerType::Mul:
    case LayerType::Concat:
    case LayerType::Pad:
    case LayerType::GlobalMaxPool:
      return true;
    default:
      return false;
  }
}

Broadcast broadcastOf(const std::vector<std::int64_t>& in, const std::vector<std::int64_t>& out) {
  if (in == out) return Broadcast::Full;
  if (numel(in) == 1) return Broadcast::Single;
  return Broadcast::PerChannel;  // extraLayerShape() accepted only these three cases
}

std::vector<std::int64_t> extraLayerShape(Layer& l,
                                          const std::vector<std::vector<std::int64_t>>& in,
                                          const std::function<void(const std::string&)>& fail) {
  const std::vector<std::int64_t>& x = in[0];
  l.params = 0;
  switch (l.type) {
    case LayerType::Add:
    case LayerType::Sub:
    case LayerType::Mul: {
      const std::vector<std::int64_t>& a = x;
      const std::vector<std::int64_t>& b = in[1];
      const std::vector<std::int64_t>& out = numel(a) >= numel(b) ? a : b;
      const std::vector<std::int64_t>& small = numel(a) >= numel(b) ? b : a;
      const bool perChannel =
          numel(small) == out[0] &&
          (small.size() == 1 ||
           (small.size() == out.size() &&
            std::all_of(small.begin() + 1, small.end(), [](std::int64_t d) { return d == 1; })));
      if (small != out && numel(small) != 1 && !perChannel) {
        fail("inputs " + text(a) + " and " + text(b) +
             " do not broadcast (same shape, one value per channel or a single value)");
      }
      return out;
    }
    case LayerType::LogSoftmax:
      if (x.size() != 1) fail("input " + text(x) + " must be [F]");
      return x;
    case LayerType::Sigmoid:
    case LayerType::Tanh:
    case LayerType::HardSwish:
      return x;
    case LayerType::HardSigmoid:
    case LayerType::LeakyReLU:
    case LayerType::Elu:
      if (!std::isfinite(l.alpha) || !std::isfinite(l.betaCoeff)) {
        fail("alpha and beta must be finite");
      }
      return x;
    case LayerType::PReLU:
      checkChannelVector(l.slope, x[0], false, "slope", fail);
      l.params = l.slope.size();
      return x;
    case LayerType::Affine:
      checkChannelVector(l.scale, x[0], true, "scale", fail);
      checkChannelVector(l.shift, x[0], true, "shift", fail);
      l.params = l.scale.size() + l.shift.size();
      return x;
    case LayerType::Concat: {
      std::vector<std::int64_t> out = x;
      for (std::size_t k = 1; k < in.size(); ++k) {
        if (in[k].size() != x.size() || !std::equal(x.begin() + 1, x.end(), in[k].begin() + 1)) {
          fail("input " + text(in[k]) + " does not match " + text(x) +
               " outside dimension 0 (channels)");
        }
        out[0] += in[k][0];  // each is <= 2^28 (finalize), so no overflow for any arity here
        if (out[0] > (std::int64_t{1} << 40)) fail("output too large");
      }
      return out;
    }
    case LayerType::Pad: {
      if (x.size() != 3) fail("input " + text(x) + " must be [C, H, W]");
      constexpr int kMaxPad = 1 << 16;
      if (l.padTop < 0 || l.padLeft < 0 || l.padBottom < 0 || l.padRight < 0 ||
          l.padTop > kMaxPad || l.padLeft > kMaxPad || l.padBottom > kMaxPad ||
          l.padRight > kMaxPad) {
        fail("pads must lie in [0, 65536]");
      }
      return {x[0], x[1] + l.padTop + l.padBottom, x[2] + l.padLeft + l.padRight};
    }
    case LayerType::GlobalMaxPool:
      if (x.size() != 3) fail("input " + text(x) + " must be [C, H, W]");
      return {x[0], 1, 1};
    default:
      fail("not an extra layer");
  }
  return x;  // unreachable: fail() throws
}

}  // namespace quant::detail

namespace quant {

bool isPointwiseActivation(LayerType t) {
  switch (t) {
    case LayerType::Sigmoid:
    case LayerType::Tanh:
    case LayerType::HardSigmoid:
    case LayerType::HardSwish:
    case LayerType::LeakyReLU:
    case LayerType::Elu:
      return true;
    default:
      return false;
  }
}

float applyActivation(const Layer& l, float x) {
  switch (l.type) {
    case LayerType::Sigmoid:
      return 1.0f / (1.0f + std::exp(-x));
    case LayerType::Tanh:
      return std::tanh(x);
    case LayerType::HardSigmoid:
      return std::max(0.0f, std::min(1.0f, l.alpha * x + l.betaCoeff));
    case LayerType::HardSwish:
      return x * std::max(0.0f, std::min(1.0f, x / 6.0f + 0.5f));
    case LayerType::LeakyReLU:
      return x >= 0.0f ? x : l.alpha * x;
    case LayerType::Elu:
      return x >= 0.0f ? x : l.alpha * std::expm1(x);
    default:
      throw Error(std::string("applyActivation: ") + layerTypeName(l.type) +
                  " is not a pointwise activation");
  }
}

namespace detail {

void runExtraLayer(const Layer& l, std::int64_t b, std::int64_t e,
                   const std::vector<const float*>& ins, float* y) {
  const std::int64_t inPer = numel(l.inShape), outPer = numel(l.outShape);
  const std::int64_t n = e - b;
  const float* xs = ins[0] + b * inPer;
  float* ys = y + b * outPer;
  const std::int64_t count = n * inPer;
  if (isPointwiseActivation(l.type)) {
    for (std::int64_t i = 0; i < count; ++i) ys[i] = applyActivation(l, xs[i]);
    return;
  }
  switch (l.type) {
    case LayerType::Add:
    case LayerType::Sub:
    case LayerType::Mul: {
      const std::int64_t ch = l.outShape[0], inner = outPer / ch;
      // Sample s, channel c, position i of each input: Full s*outPer + c*inner + i, PerChannel
      // s*ch + c, Single s.
      const std::int64_t perA = inPer, perB = numel(l.inShapes[1]);
      const Broadcast ba = broadcastOf(l.inShape, l.outShape);
      const Broadcast bb = broadcastOf(l.inShapes[1], l.outShape);
      const auto at = [&](const float* base, Broadcast m, std::int64_t per, std::int64_t s,
                          std::int64_t c, std::int64_t i) {
        switch (m) {
          case Broadcast::Full:
            return base[s * per + c * inner + i];
          case Broadcast::PerChannel:
            return base[s * per + c];
          case Broadcast::Single:
            break;
        }
        return base[s * per];
      };
      for (std::int64_t s = b; s < e; ++s) {
        float* yr = y + s * outPer;
        for (std::int64_t c = 0; c < ch; ++c) {
          for (std::int64_t i = 0; i < inner; ++i) {
            const float p = at(ins[0], ba, perA, s, c, i), q = at(ins[1], bb, perB, s, c, i);
            yr[c * inner + i] = l.type == LayerType::Add   ? p + q
                                : l.type == LayerType::Sub ? p - q
                                                           : p * q;
          }
        }
      }
      return;
    }
    case LayerType::LogSoftmax:
      for (std::int64_t s = 0; s < n; ++s) {
        const float* xr = xs + s * inPer;
        float* yr = ys + s * inPer;
        const float m = *std::max_element(xr, xr + inPer);
        double sum = 0;
        for (std::int64_t i = 0; i < inPer; ++i) sum += std::exp(double(xr[i]) - m);
        const double logSum = std::log(sum);
        for (std::int64_t i = 0; i < inPer; ++i) {
          yr[i] = static_cast<float>(double(xr[i]) - m - logSum);
        }
      }
      return;
    case LayerType::PReLU:
    case LayerType::Affine: {
      const std::int64_t ch = l.inShape[0], inner = inPer / ch;
      for (std::int64_t s = 0; s < n; ++s) {
        for (std::int64_t c = 0; c < ch; ++c) {
          const float* xr = xs + (s * ch + c) * inner;
          float* yr = ys + (s * ch + c) * inner;
          if (l.type == LayerType::PReLU) {
            const float k = channelValue(l.slope, c, 0.0f);
            for (std::int64_t i = 0; i < inner; ++i) yr[i] = xr[i] >= 0.0f ? xr[i] : k * xr[i];
          } else {
            const float a = channelValue(l.scale, c, 1.0f), d = channelValue(l.shift, c, 0.0f);
            for (std::int64_t i = 0; i < inner; ++i) yr[i] = xr[i] * a + d;
          }
        }
      }
      return;
    }
    case LayerType::Concat:
      for (std::int64_t s = b; s < e; ++s) {
        float* yr = y + s * outPer;
        for (std::size_t k = 0; k < ins.size(); ++k) {
          const std::int64_t per = numel(l.inShapes[k]);
          if (per) std::memcpy(yr, ins[k] + s * per, std::size_t(per) * sizeof(float));
          yr += per;
        }
      }
      return;
    case LayerType::Pad: {
      const std::int64_t C = l.inShape[0], H = l.inShape[1], W = l.inShape[2];
      const std::int64_t OH = l.outShape[1], OW = l.outShape[2];
      for (std::int64_t p = 0; p < n * C; ++p) {
        float* yp = ys + p * OH * OW;
        std::fill(yp, yp + OH * OW, l.padValue);
        for (std::int64_t r = 0; r < H; ++r) {
          std::memcpy(yp + (r + l.padTop) * OW + l.padLeft, xs + (p * H + r) * W,
                      std::size_t(W) * sizeof(float));
        }
      }
      return;
    }
    case LayerType::GlobalMaxPool: {
      const std::int64_t hw = l.inShape[1] * l.inShape[2];
      for (std::int64_t p = 0; p < n * l.inShape[0]; ++p) {
        float m = -std::numeric_limits<float>::infinity();
        for (std::int64_t i = 0; i < hw; ++i) m = m < xs[p * hw + i] ? xs[p * hw + i] : m;
        ys[p] = m;
      }
      return;
    }
    default:
      throw Error(std::string("runExtraLayer: ") + layerTypeName(l.type));
  }
}

}  // namespace detail
}  // namespace quant
