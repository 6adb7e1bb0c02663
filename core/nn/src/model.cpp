// SPDX-License-Identifier: GPL-3.0-or-later
// The layer graph: validation/shape inference, the float32 forward pass and BatchNorm folding.
#include "quant/nn/model.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "fp32kernels.h"
#include "layers_extra.h"
#include "im2col.h"

namespace quant {

namespace {

// Per-sample activations are capped so that shape inference on untrusted models can neither
// overflow int64 nor promise allocations the machine cannot make.
constexpr std::int64_t kMaxActivationElements = std::int64_t{1} << 28;
constexpr std::int64_t kMaxCount = std::int64_t{1} << 62;
// One activation of a whole batch (8 GiB of float32), as for tensor files.
constexpr std::int64_t kMaxTensorElementsForward = std::int64_t{1} << 31;

std::string shapeText(const std::vector<std::int64_t>& s) {
  return Tensor{"", "", s, {}}.shapeString();
}

std::int64_t product(const std::vector<std::int64_t>& s) {
  std::int64_t p = 1;
  for (const std::int64_t d : s) p *= d;  // bounded by kMaxActivationElements at finalize()
  return p;
}

class LayerChecker {
 public:
  explicit LayerChecker(const Layer& l) : l_(l) {}
  [[noreturn]] void fail(const std::string& what) const {
    throw Error("layer '" + l_.name + "' (" + layerTypeName(l_.type) + "): " + what);
  }
  void require(bool ok, const std::string& what) const {
    if (!ok) fail(what);
  }
  std::int64_t mul(std::int64_t a, std::int64_t b) const {
    if (a < 0 || b < 0 || (a != 0 && b > kMaxCount / a)) fail("size overflows");
    return a * b;
  }

 private:
  const Layer& l_;
};

// Output size of a window of k with stride s over n + pads, or -1 when the window does not fit.
std::int64_t windowOut(std::int64_t n, int pBefore, int pAfter, int k, int s) {
  const std::int64_t padded = n + pBefore + pAfter;
  if (padded < k) return -1;
  return (padded - k) / s + 1;
}

void checkWindow(const LayerChecker& c, const Layer& l) {
  c.require(l.kernelH >= 1 && l.kernelW >= 1, "kernel size must be positive");
  c.require(l.strideH >= 1 && l.strideW >= 1, "strides must be positive");
  c.require(l.padTop >= 0 && l.padLeft >= 0 && l.padBottom >= 0 && l.padRight >= 0,
            "pads must be non-negative");
  // Bounded so that index arithmetic in the forward pass stays far from int overflow.
  constexpr int kMaxWindow = 1 << 16;
  c.require(l.kernelH <= kMaxWindow && l.kernelW <= kMaxWindow && l.strideH <= kMaxWindow &&
                l.strideW <= kMaxWindow && l.padTop <= kMaxWindow && l.padLeft <= kMaxWindow &&
                l.padBottom <= kMaxWindow && l.padRight <= kMaxWindow,
            "kernel, stride or pad larger than 65536");
}

std::vector<std::int64_t> windowShape(const LayerChecker& c, const Layer& l, std::int64_t channels,
                                      const std::vector<std::int64_t>& in) {
  const std::int64_t oh = windowOut(in[1], l.padTop, l.padBottom, l.kernelH, l.strideH);
  const std::int64_t ow = windowOut(in[2], l.padLeft, l.padRight, l.kernelW, l.strideW);
  if (oh < 1 || ow < 1) {
    c.fail("kernel " + std::to_string(l.kernelH) + "x" + std::to_string(l.kernelW) +
           " does not fit the padded input " + shapeText(in));
  }
  return {channels, oh, ow};
}

}  // namespace

const char* layerTypeName(LayerType t) {
  switch (t) {
    case LayerType::Linear:
      return "Linear";
    case LayerType::Conv2d:
      return "Conv2d";
    case LayerType::ReLU:
      return "ReLU";
    case LayerType::Clip:
      return "Clip";
    case LayerType::MaxPool2d:
      return "MaxPool2d";
    case LayerType::AvgPool2d:
      return "AvgPool2d";
    case LayerType::GlobalAvgPool:
      return "GlobalAvgPool";
    case LayerType::Flatten:
      return "Flatten";
    case LayerType::BatchNorm:
      return "BatchNorm";
    case LayerType::Add:
      return "Add";
    case LayerType::Softmax:
      return "Softmax";
    case LayerType::LogSoftmax:
      return "LogSoftmax";
    case LayerType::Sigmoid:
      return "Sigmoid";
    case LayerType::Tanh:
      return "Tanh";
    case LayerType::HardSigmoid:
      return "HardSigmoid";
    case LayerType::HardSwish:
      return "HardSwish";
    case LayerType::LeakyReLU:
      return "LeakyReLU";
    case LayerType::Elu:
      return "Elu";
    case LayerType::PReLU:
      return "PReLU";
    case LayerType::Affine:
      return "Affine";
    case LayerType::Sub:
      return "Sub";
    case LayerType::Mul:
      return "Mul";
    case LayerType::Concat:
      return "Concat";
    case LayerType::Pad:
      return "Pad";
    case LayerType::GlobalMaxPool:
      return "GlobalMaxPool";
  }
  return "?";
}

void Model::finalize() {
  std::unordered_map<std::string, std::vector<std::int64_t>> shapes;
  if (input.empty()) throw Error("model: the input has no name");
  if (inputShape.size() != 1 && inputShape.size() != 3) {
    throw Error("model: input shape " + shapeText(inputShape) +
                " must be [F] or [C, H, W] (per sample, without the batch dimension)");
  }
  std::int64_t n = 1;
  for (const std::int64_t d : inputShape) {
    if (d < 1 || d > kMaxActivationElements || n * d > kMaxActivationElements) {
      throw Error("model: input shape " + shapeText(inputShape) + " is empty or too large");
    }
    n *= d;
  }
  shapes[input] = inputShape;
  std::unordered_set<std::string> names;
  for (Layer& l : layers) {
    const LayerChecker c(l);
    c.require(!l.name.empty() && names.insert(l.name).second, "layer names must be unique");
    const bool binary =
        l.type == LayerType::Add || l.type == LayerType::Sub || l.type == LayerType::Mul;
    if (l.type == LayerType::Concat) {
      c.require(l.inputs.size() >= 2, "takes two or more inputs");
    } else {
      const std::size_t arity = binary ? 2 : 1;
      c.require(l.inputs.size() == arity, "takes " + std::to_string(arity) + " input(s)");
    }
    for (const std::string& i : l.inputs) {
      c.require(shapes.count(i) == 1, "input '" + i + "' is not defined by an earlier layer");
    }
    c.require(!l.output.empty() && shapes.count(l.output) == 0,
              "output '" + l.output + "' must be a new, non-empty name");
    const std::vector<std::int64_t> in = shapes[l.inputs[0]];
    l.inShapes.clear();
    for (const std::string& i : l.inputs) l.inShapes.push_back(shapes[i]);
    std::vector<std::int64_t> out;
    l.params = 0;
    l.macs = 0;
    if (detail::isExtraLayer(l.type)) {
      out = detail::extraLayerShape(l, l.inShapes, [&](const std::string& what) { c.fail(what); });
    } else switch (l.type) {
      case LayerType::Linear: {
        c.require(in.size() == 1, "input " + shapeText(in) + " must be [F] (flatten first)");
        c.require(l.weight.rows() >= 1 && l.weight.cols() == in[0],
                  "weight [" + std::to_string(l.weight.rows()) + ", " +
                      std::to_string(l.weight.cols()) + "] does not match input " + shapeText(in));
        c.require(l.bias.size() == 0 || l.bias.size() == l.weight.rows(),
                  "bias size differs from the output features");
        out = {l.weight.rows()};
        l.macs = c.mul(l.weight.rows(), l.weight.cols());
        l.params = l.macs + l.bias.size();
        break;
      }
      case LayerType::Conv2d: {
        c.require(in.size() == 3, "input " + shapeText(in) + " must be [C, H, W]");
        checkWindow(c, l);
        c.require(l.groups >= 1 && in[0] % l.groups == 0, "groups " + std::to_string(l.groups) +
                                                              " must divide the input channels " +
                                                              std::to_string(in[0]));
        const std::int64_t oc = l.weight.rows();
        c.require(oc >= 1 && oc % l.groups == 0, "output channels must be a multiple of groups");
        const std::int64_t k = c.mul(c.mul(in[0] / l.groups, l.kernelH), l.kernelW);
        c.require(l.weight.cols() == k, "weight has " + std::to_string(l.weight.cols()) +
                                            " columns, expected " +
                                            "(inC/groups)*kH*kW = " + std::to_string(k));
        c.require(l.bias.size() == 0 || l.bias.size() == oc,
                  "bias size differs from the output channels");
        out = windowShape(c, l, oc, in);
        l.params = c.mul(oc, k) + l.bias.size();
        l.macs = c.mul(c.mul(oc, k), c.mul(out[1], out[2]));
        break;
      }
      case LayerType::ReLU:
        out = in;
        break;
      case LayerType::Clip:
        c.require(!(l.clipMin > l.clipMax) && !std::isnan(l.clipMin) && !std::isnan(l.clipMax),
                  "needs min <= max");
        out = in;
        break;
      case LayerType::MaxPool2d:
      case LayerType::AvgPool2d:
        c.require(in.size() == 3, "input " + shapeText(in) + " must be [C, H, W]");
        checkWindow(c, l);
        // A window made only of padding has no value (max) or no divisor (average).
        c.require(l.padTop < l.kernelH && l.padBottom < l.kernelH && l.padLeft < l.kernelW &&
                      l.padRight < l.kernelW,
                  "pads must be smaller than the kernel");
        out = windowShape(c, l, in[0], in);
        break;
      case LayerType::GlobalAvgPool:
        c.require(in.size() == 3, "input " + shapeText(in) + " must be [C, H, W]");
        out = {in[0], 1, 1};
        break;
      case LayerType::Flatten:
        out = {product(in)};
        break;
      case LayerType::BatchNorm: {
        const std::int64_t ch = in[0];
        c.require(l.gamma.size() == ch && l.beta.size() == ch && l.mean.size() == ch &&
                      l.var.size() == ch,
                  "needs one gamma, beta, mean and var per channel (" + std::to_string(ch) + ")");
        c.require(std::isfinite(l.epsilon) && l.epsilon >= 0, "epsilon must be finite, >= 0");
        for (Eigen::Index i = 0; i < ch; ++i) {
          c.require(l.var[i] + l.epsilon > 0, "var + epsilon must be positive");
        }
        out = in;
        l.params = 4 * ch;
        break;
      }
      case LayerType::Softmax:
        c.require(in.size() == 1, "input " + shapeText(in) + " must be [F]");
        out = in;
        break;
      default:  // the extra layers, handled above
        break;
    }
    std::int64_t numel = 1;
    for (const std::int64_t d : out) numel = c.mul(numel, d);
    c.require(numel <= kMaxActivationElements, "output " + shapeText(out) + " is too large");
    l.inShape = in;
    l.outShape = out;
    shapes[l.output] = std::move(out);
  }
  if (output.empty()) output = layers.empty() ? input : layers.back().output;
  if (shapes.count(output) == 0) throw Error("model: output '" + output + "' is never defined");
}

std::int64_t Model::parameterCount() const {
  std::int64_t s = 0;
  for (const Layer& l : layers) s += l.params;
  return s;
}

std::int64_t Model::macsPerSample() const {
  std::int64_t s = 0;
  for (const Layer& l : layers) s += l.macs;
  return s;
}

std::vector<std::int64_t> Model::outputShape() const {
  if (output == input) return inputShape;
  for (const Layer& l : layers) {
    if (l.output == output) return l.outShape;
  }
  throw Error("model: output '" + output + "' is never defined (call finalize())");
}

namespace {

using ConstRowMap = Eigen::Map<const RowMatrix>;
using RowMap = Eigen::Map<RowMatrix>;

void linear(const Layer& l, std::int64_t n, const float* x, float* y, ConvAlgorithm algo) {
  const Eigen::Index in = l.weight.cols(), out = l.weight.rows();
  if (algo == ConvAlgorithm::Direct) {
    for (std::int64_t s = 0; s < n; ++s) {
      for (Eigen::Index o = 0; o < out; ++o) {
        double acc = l.bias.size() ? l.bias[o] : 0.0;
        for (Eigen::Index i = 0; i < in; ++i) acc += double(l.weight(o, i)) * x[s * in + i];
        y[s * out + o] = static_cast<float>(acc);
      }
    }
    return;
  }
  RowMap Y(y, n, out);
  Y.noalias() = ConstRowMap(x, n, in) * l.weight.transpose();
  if (l.bias.size()) Y.rowwise() += l.bias.transpose();
}

struct Geometry {
  std::int64_t c, h, w, oc, oh, ow;
};

Geometry geometry(const Layer& l) {
  return {l.inShape[0], l.inShape[1], l.inShape[2], l.outShape[0], l.outShape[1], l.outShape[2]};
}

void conv2dIm2col(const Layer& l, std::int64_t n, const float* x, float* y) {
  const Geometry g = geometry(l);
  const std::int64_t cg = g.c / l.groups, ocg = g.oc / l.groups, p = g.oh * g.ow;
  RowMatrix cols(cg * l.kernelH * l.kernelW, p);
  for (std::int64_t s = 0; s < n; ++s) {
    for (int grp = 0; grp < l.groups; ++grp) {
      // Row (c, ky, kx) of `cols` holds the input pixel each output position sees through that
      // kernel tap; zero where the tap falls into the padding.
      detail::im2colRows(l, x + (s * g.c + grp * cg) * g.h * g.w, cg, 0.0f, cols.data());
      RowMap Y(y + (s * g.oc + grp * ocg) * p, ocg, p);
      Y.noalias() = l.weight.middleRows(grp * ocg, ocg) * cols;
      if (l.bias.size()) Y.colwise() += l.bias.segment(grp * ocg, ocg);
    }
  }
}

void conv2dDirect(const Layer& l, std::int64_t n, const float* x, float* y) {
  const Geometry g = geometry(l);
  const std::int64_t cg = g.c / l.groups, ocg = g.oc / l.groups;
  for (std::int64_t s = 0; s < n; ++s) {
    for (std::int64_t o = 0; o < g.oc; ++o) {
      const std::int64_t grp = o / ocg;
      for (std::int64_t oy = 0; oy < g.oh; ++oy) {
        for (std::int64_t ox = 0; ox < g.ow; ++ox) {
          double acc = l.bias.size() ? l.bias[o] : 0.0;
          for (std::int64_t c = 0; c < cg; ++c) {
            for (int ky = 0; ky < l.kernelH; ++ky) {
              const std::int64_t iy = oy * l.strideH - l.padTop + ky;
              if (iy < 0 || iy >= g.h) continue;
              for (int kx = 0; kx < l.kernelW; ++kx) {
                const std::int64_t ix = ox * l.strideW - l.padLeft + kx;
                if (ix < 0 || ix >= g.w) continue;
                acc += double(l.weight(o, (c * l.kernelH + ky) * l.kernelW + kx)) *
                       x[((s * g.c + grp * cg + c) * g.h + iy) * g.w + ix];
              }
            }
          }
          y[((s * g.oc + o) * g.oh + oy) * g.ow + ox] = static_cast<float>(acc);
        }
      }
    }
  }
}

// MaxPool2d, one output row at a time: for each window tap, a running max over the row's outputs
// (a loop without bounds tests that vectorizes). Each output still sees its window's values in
// row-major order through m = max(m, v), so the result is pool()'s to the bit (NaN never wins).
void maxPool(const Layer& l, std::int64_t n, const float* x, float* y) {
  const Geometry g = geometry(l);
  const std::int64_t sW = l.strideW;
  const auto keepMax = [](float m, float v) { return m < v ? v : m; };
  for (std::int64_t plane = 0; plane < n * g.c; ++plane) {
    const float* xp = x + plane * g.h * g.w;
    for (std::int64_t oy = 0; oy < g.oh; ++oy) {
      float* out = y + (plane * g.oh + oy) * g.ow;
      if (l.kernelH == 2 && l.kernelW == 2 && l.strideH == 2 && sW == 2 && l.padTop == 0 &&
          l.padLeft == 0 && l.padBottom == 0 && l.padRight == 0) {
        // The common 2x2 / stride 2 window: no tap leaves the plane (floor output size).
        const float* r0 = xp + 2 * oy * g.w;
        const float* r1 = r0 + g.w;
        for (std::int64_t ox = 0; ox < g.ow; ++ox) {
          const float m = keepMax(-std::numeric_limits<float>::infinity(), r0[2 * ox]);
          out[ox] = keepMax(keepMax(keepMax(m, r0[2 * ox + 1]), r1[2 * ox]), r1[2 * ox + 1]);
        }
        continue;
      }
      std::fill(out, out + g.ow, -std::numeric_limits<float>::infinity());
      const std::int64_t y0 = oy * l.strideH - l.padTop;
      const std::int64_t ya = std::max<std::int64_t>(y0, 0);
      const std::int64_t yb = std::min<std::int64_t>(y0 + l.kernelH, g.h);
      for (std::int64_t iy = ya; iy < yb; ++iy) {
        const float* in = xp + iy * g.w;
        for (int kx = 0; kx < l.kernelW; ++kx) {
          // Outputs [lo, hi) have this tap inside the row: ix = ox * sW + off in [0, w).
          const std::int64_t off = kx - l.padLeft;
          const std::int64_t lo = std::min(off >= 0 ? 0 : (sW - 1 - off) / sW, g.ow);
          const std::int64_t hi =
              std::max(lo, std::min(g.w - off <= 0 ? 0 : (g.w - off + sW - 1) / sW, g.ow));
          for (std::int64_t ox = lo; ox < hi; ++ox) {
            out[ox] = keepMax(out[ox], in[ox * sW + off]);
          }
        }
      }
    }
  }
}

void pool(const Layer& l, std::int64_t n, const float* x, float* y) {
  const Geometry g = geometry(l);
  const bool isMax = l.type == LayerType::MaxPool2d;
  for (std::int64_t plane = 0; plane < n * g.c; ++plane) {
    const float* xp = x + plane * g.h * g.w;
    for (std::int64_t oy = 0; oy < g.oh; ++oy) {
      const std::int64_t y0 = oy * l.strideH - l.padTop;
      const std::int64_t ya = std::max<std::int64_t>(y0, 0);
      const std::int64_t yb = std::min<std::int64_t>(y0 + l.kernelH, g.h);
      for (std::int64_t ox = 0; ox < g.ow; ++ox) {
        const std::int64_t x0 = ox * l.strideW - l.padLeft;
        const std::int64_t xa = std::max<std::int64_t>(x0, 0);
        const std::int64_t xb = std::min<std::int64_t>(x0 + l.kernelW, g.w);
        float m = -std::numeric_limits<float>::infinity();
        double sum = 0;
        for (std::int64_t iy = ya; iy < yb; ++iy) {
          for (std::int64_t ix = xa; ix < xb; ++ix) {
            const float v = xp[iy * g.w + ix];
            m = std::max(m, v);
            sum += v;
          }
        }
        float r = m;
        if (!isMax) {
          // With count_include_pad the divisor covers the window clipped to the padded input
          // (ONNX/PyTorch), not positions beyond the padding.
          std::int64_t count = (yb - ya) * (xb - xa);
          if (l.countIncludePad) {
            const std::int64_t yc = std::min<std::int64_t>(y0 + l.kernelH, g.h + l.padBottom);
            const std::int64_t xc = std::min<std::int64_t>(x0 + l.kernelW, g.w + l.padRight);
            count = (yc - y0) * (xc - x0);
          }
          r = static_cast<float>(sum / double(count));
        }
        y[(plane * g.oh + oy) * g.ow + ox] = r;
      }
    }
  }
}

}  // namespace

namespace {

// Linear layers multiply blocks of this many samples (see forwardTimed in model.h).
constexpr std::int64_t kLinearBlock = 32;

// Runs layer l on samples [b, e) of the batch. x, x2 (Add only) and y point at sample 0 of the
// whole-batch buffers.
void runLayerSlice(const Layer& l, ConvAlgorithm algorithm, std::int64_t b, std::int64_t e,
                   const std::vector<const float*>& ins, float* y) {
  if (detail::isExtraLayer(l.type)) {
    detail::runExtraLayer(l, b, e, ins, y);
    return;
  }
  const float* x = ins[0];
  const std::int64_t inPer = product(l.inShape), outPer = product(l.outShape);
  const std::int64_t n = e - b;
  const float* xs = x + b * inPer;
  float* ys = y + b * outPer;
  const std::size_t inCount = static_cast<std::size_t>(n * inPer);
  switch (l.type) {
    case LayerType::Linear:
      if (algorithm == ConvAlgorithm::Direct) {
        linear(l, n, xs, ys, algorithm);
      } else {
        for (std::int64_t s = b; s < e;) {
          const std::int64_t end = std::min(e, (s / kLinearBlock + 1) * kLinearBlock);
          linear(l, end - s, x + s * inPer, y + s * outPer, algorithm);
          s = end;
        }
      }
      break;
    case LayerType::Conv2d:
      if (algorithm == ConvAlgorithm::Direct) {
        conv2dDirect(l, n, xs, ys);
      } else {
        conv2dIm2col(l, n, xs, ys);
      }
      break;
    case LayerType::ReLU:
      for (std::size_t i = 0; i < inCount; ++i) ys[i] = xs[i] > 0.0f ? xs[i] : 0.0f;
      break;
    case LayerType::Clip:
      for (std::size_t i = 0; i < inCount; ++i)
        ys[i] = std::min(std::max(xs[i], l.clipMin), l.clipMax);
      break;
    case LayerType::MaxPool2d:
      if (algorithm == ConvAlgorithm::Direct) {
        pool(l, n, xs, ys);
      } else {
        maxPool(l, n, xs, ys);
      }
      break;
    case LayerType::AvgPool2d:
      pool(l, n, xs, ys);
      break;
    case LayerType::GlobalAvgPool: {
      const std::int64_t hw = l.inShape[1] * l.inShape[2];
      for (std::int64_t p = 0; p < n * l.inShape[0]; ++p) {
        double sum = 0;
        for (std::int64_t i = 0; i < hw; ++i) sum += xs[p * hw + i];
        ys[p] = static_cast<float>(sum / double(hw));
      }
      break;
    }
    case LayerType::Flatten:
      if (inCount) std::memcpy(ys, xs, inCount * sizeof(float));
      break;
    case LayerType::BatchNorm: {
      const std::int64_t ch = l.inShape[0], inner = inPer / ch;
      for (std::int64_t s = 0; s < n; ++s) {
        for (std::int64_t c = 0; c < ch; ++c) {
          const float scale = l.gamma[c] / std::sqrt(l.var[c] + l.epsilon);
          const std::int64_t base = (s * ch + c) * inner;
          for (std::int64_t i = 0; i < inner; ++i) {
            ys[base + i] = (xs[base + i] - l.mean[c]) * scale + l.beta[c];
          }
        }
      }
      break;
    }
    case LayerType::Softmax:
      for (std::int64_t s = 0; s < n; ++s) {
        const float* xr = xs + s * inPer;
        float* yr = ys + s * inPer;
        const float m = *std::max_element(xr, xr + inPer);
        double sum = 0;
        for (std::int64_t i = 0; i < inPer; ++i) {
          yr[i] = std::exp(xr[i] - m);
          sum += yr[i];
        }
        for (std::int64_t i = 0; i < inPer; ++i) yr[i] = static_cast<float>(yr[i] / sum);
      }
      break;
    default:  // the extra layers, handled above
      break;
  }
}

// A deliberately low estimate of one sample's single-thread time of layer l in nanoseconds, for
// ThreadTeam::threadsFor (low, so that a doubtful layer stays on one thread). The rates are the
// fastest measured on a 2-core AVX-512 machine at batch 1..128: Eigen GEMM 0.06-0.12 ns per MAC (Linear
// 784x256 and the CNN's convolutions), im2col ~0.3 ns per column element, pooling ~1 ns per input
// element, elementwise layers ~0.25 ns per element.
double estimatedSampleNs(const Layer& l) {
  const double in = static_cast<double>(product(l.inShape));
  switch (l.type) {
    case LayerType::Linear:
      return 0.05 * static_cast<double>(l.macs);
    case LayerType::Conv2d: {
      const double cols = static_cast<double>(l.weight.cols()) * l.groups *
                          static_cast<double>(l.outShape[1] * l.outShape[2]);
      return 0.05 * static_cast<double>(l.macs) + 0.3 * cols;
    }
    case LayerType::MaxPool2d:
    case LayerType::AvgPool2d:
      return 0.5 * in;
    case LayerType::Softmax:
      return 5.0 * in;
    default:
      return 0.1 * in;
  }
}

// The same for Linear / Conv2d on the fp32 GEMM kernels (AVX-512F, same machine): 0.017 ns per
// MAC measured on MLP fc1 (batch 64: 12.8 M MACs in ~223 us) and 0.025 on the CNN's second
// convolution with its im2col; 0.01 per MAC and 0.2 ns per im2col element keep the estimate low.
double estimatedKernelSampleNs(const Layer& l) {
  if (l.type == LayerType::Linear) return 0.01 * static_cast<double>(l.macs);
  const double cols = static_cast<double>(l.weight.cols()) * l.groups *
                      static_cast<double>(l.outShape[1] * l.outShape[2]);
  return 0.01 * static_cast<double>(l.macs) + 0.2 * cols;
}

// Whether layer li is a Linear / Conv2d whose output only feeds the ReLU right after it, which
// the GEMM kernel's output stage can then apply (the ReLU layer just passes the tensor on).
bool reluFusable(const Model& model, std::size_t li,
                 const std::unordered_map<std::string, int>& uses) {
  const Layer& l = model.layers[li];
  if (l.type != LayerType::Linear && l.type != LayerType::Conv2d) return false;
  if (li + 1 >= model.layers.size() || l.output == model.output) return false;
  const Layer& next = model.layers[li + 1];
  return next.type == LayerType::ReLU && next.inputs[0] == l.output && uses.at(l.output) == 1;
}

Tensor runForward(const Model& model, const Tensor& input, ConvAlgorithm algorithm, int threads,
                  std::vector<LayerTime>* times, const char* who) {
  detail::ThreadTeam team(threads);
  const std::vector<std::int64_t>& ps = model.inputShape;
  if (input.shape.size() != ps.size() + 1 || input.shape[0] < 1 ||
      !std::equal(ps.begin(), ps.end(), input.shape.begin() + 1)) {
    throw Error(std::string(who) + ": input " + input.shapeString() +
                " does not match the model input [N, " + shapeText(ps).substr(1));
  }
  const std::int64_t n = input.shape[0];
  if (static_cast<std::int64_t>(input.data.size()) != checkedNumel(input.shape)) {
    throw Error(std::string(who) + ": input data size differs from its shape");
  }
  for (const Layer& l : model.layers) {
    if (l.outShape.empty()) throw Error(std::string(who) + ": the model is not finalized");
  }
  // Last use of each tensor, so intermediate activations are freed as soon as possible.
  std::unordered_map<std::string, std::size_t> lastUse;
  std::unordered_map<std::string, int> uses;
  for (std::size_t i = 0; i < model.layers.size(); ++i) {
    for (const std::string& t : model.layers[i].inputs) {
      lastUse[t] = i;
      ++uses[t];
    }
  }
  const bool kernels = algorithm == ConvAlgorithm::Im2colGemm && detail::useFp32Kernels();
  bool reluDone = false;  // the previous layer's kernel applied this layer's ReLU
  if (times != nullptr) times->clear();
  std::unordered_map<std::string, std::vector<float>> acts;
  // Names of the caller's input tensor, read in place: the model input and Flattens of it.
  std::unordered_set<std::string> inPlace{model.input};
  const auto tensor = [&](const std::string& name) -> const std::vector<float>& {
    return inPlace.count(name) != 0 ? input.data : acts.at(name);
  };
  const auto record = [&](const Layer& l, std::chrono::steady_clock::time_point t0) {
    if (times == nullptr) return;
    const std::chrono::duration<double> dt = std::chrono::steady_clock::now() - t0;
    times->push_back({l.name, dt.count()});
  };
  for (std::size_t li = 0; li < model.layers.size(); ++li) {
    const Layer& l = model.layers[li];
    const auto t0 = std::chrono::steady_clock::now();
    if (l.type == LayerType::Flatten && inPlace.count(l.inputs[0]) != 0 &&
        l.output != model.output) {
      inPlace.insert(l.output);
      record(l, t0);
      continue;
    }
    const std::vector<float>& x = tensor(l.inputs[0]);
    std::vector<const float*> ins;
    for (const std::string& t : l.inputs) ins.push_back(tensor(t).data());
    const std::int64_t outPer = product(l.outShape);
    if (outPer > 0 && n > kMaxTensorElementsForward / outPer) {
      throw Error(std::string(who) + ": batch too large for layer '" + l.name + "'");
    }
    const bool passOn =
        reluDone || (l.type == LayerType::Flatten && lastUse[l.inputs[0]] == li &&
                     l.inputs[0] != model.output && inPlace.count(l.inputs[0]) == 0);
    reluDone = false;
    std::vector<float> y;
    if (!passOn) y.resize(static_cast<std::size_t>(n * outPer));
    if (passOn) {
      // Same values, same row-major order: the input tensor becomes the output.
      y = std::move(acts.at(l.inputs[0]));
    } else if (kernels && (l.type == LayerType::Linear || l.type == LayerType::Conv2d)) {
      const bool relu = reluFusable(model, li, uses);
      const std::int64_t inPer = product(l.inShape);
      std::shared_ptr<const fp32gemm::PackedWeights> packed;
      if (l.type == LayerType::Linear) packed = detail::packedLinear(l);
      team.run(n, estimatedKernelSampleNs(l), [&](std::int64_t b, std::int64_t e) {
        if (packed) {
          detail::linearKernel(*packed, e - b, x.data() + b * inPer, y.data() + b * outPer, relu);
        } else {
          detail::conv2dKernel(l, e - b, x.data() + b * inPer, y.data() + b * outPer, relu);
        }
      });
      reluDone = relu;
    } else if (l.type == LayerType::Linear && algorithm != ConvAlgorithm::Direct) {
      // Threads take whole 32-sample blocks.
      team.run((n + kLinearBlock - 1) / kLinearBlock,
               estimatedSampleNs(l) * static_cast<double>(kLinearBlock),
               [&](std::int64_t b, std::int64_t e) {
                 runLayerSlice(l, algorithm, b * kLinearBlock, std::min(n, e * kLinearBlock), ins,
                               y.data());
               });
    } else {
      team.run(n, estimatedSampleNs(l), [&](std::int64_t b, std::int64_t e) {
        runLayerSlice(l, algorithm, b, e, ins, y.data());
      });
    }
    for (const std::string& t : l.inputs) {
      if (lastUse[t] == li && t != model.output) acts.erase(t);
    }
    acts[l.output] = std::move(y);
    record(l, t0);
  }
  Tensor out;
  out.name = model.output;
  out.shape = {n};
  const std::vector<std::int64_t> os = model.outputShape();
  out.shape.insert(out.shape.end(), os.begin(), os.end());
  out.data = inPlace.count(model.output) != 0 ? input.data : std::move(acts.at(model.output));
  return out;
}

}  // namespace

Tensor forward(const Model& model, const Tensor& input, ConvAlgorithm algorithm) {
  return runForward(model, input, algorithm, 1, nullptr, "forward");
}

Tensor forwardTimed(const Model& model, const Tensor& input, int threads,
                    std::vector<LayerTime>* times) {
  return runForward(model, input, ConvAlgorithm::Im2colGemm, threads, times, "forwardTimed");
}

namespace {

// With `skip`, a BatchNorm that cannot be folded stays in the model; otherwise it is an error.
void foldBatchNormLayers(Model& model, bool skip) {
  for (std::size_t i = 0; i < model.layers.size();) {
    if (model.layers[i].type != LayerType::BatchNorm) {
      ++i;
      continue;
    }
    const Layer bn = model.layers[i];
    const LayerChecker c(bn);
    const std::string& t = bn.inputs.at(0);
    auto producer = std::find_if(model.layers.begin(), model.layers.end(),
                                 [&](const Layer& l) { return l.output == t; });
    int uses = 0;
    for (const Layer& l : model.layers)
      uses += int(std::count(l.inputs.begin(), l.inputs.end(), t));
    if (skip && (producer == model.layers.end() ||
                 (producer->type != LayerType::Linear && producer->type != LayerType::Conv2d) ||
                 uses != 1 || model.output == t || producer->weight.rows() != bn.gamma.size())) {
      ++i;
      continue;
    }
    if (producer == model.layers.end() ||
        (producer->type != LayerType::Linear && producer->type != LayerType::Conv2d)) {
      c.fail("cannot be folded: its input '" + t + "' is not the output of a Linear or Conv2d");
    }
    if (uses != 1 || model.output == t) {
      c.fail("cannot be folded: '" + t + "' is also used by other layers");
    }
    const Eigen::Index ch = producer->weight.rows();
    c.require(bn.gamma.size() == ch && bn.beta.size() == ch && bn.mean.size() == ch &&
                  bn.var.size() == ch,
              "channel count differs from the layer it follows");
    if (producer->bias.size() == 0) producer->bias = Eigen::VectorXf::Zero(ch);
    for (Eigen::Index o = 0; o < ch; ++o) {
      c.require(bn.var[o] + bn.epsilon > 0, "var + epsilon must be positive");
      const float s = bn.gamma[o] / std::sqrt(bn.var[o] + bn.epsilon);
      producer->weight.row(o) *= s;
      producer->bias[o] = (producer->bias[o] - bn.mean[o]) * s + bn.beta[o];
    }
    producer->output = bn.output;
    model.layers.erase(model.layers.begin() + static_cast<std::ptrdiff_t>(i));
  }
  model.finalize();
}

}  // namespace

void foldBatchNorms(Model& model) { foldBatchNormLayers(model, false); }

void foldBatchNormsWherePossible(Model& model) { foldBatchNormLayers(model, true); }

}  // namespace quant
