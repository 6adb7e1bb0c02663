// SPDX-License-Identifier: GPL-3.0-or-later
// One ONNX node -> layers of quant::Model (the per-operator half of the importer; parsing,
// constants, graph order and the passes after conversion are in onnx_import.cpp). Constants
// next to an activation are folded into the layer before where that is exact in real
// arithmetic (a bias add), and otherwise become a per-channel Affine layer.
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>

#include "onnx_importer.h"

namespace quant::detail {

namespace {

RowMatrix toMatrix(const std::vector<float>& v, std::int64_t rows, std::int64_t cols) {
  RowMatrix m(rows, cols);
  if (!v.empty()) std::memcpy(m.data(), v.data(), v.size() * sizeof(float));
  return m;
}

Eigen::VectorXf toVector(const std::vector<float>& v) {
  return Eigen::Map<const Eigen::VectorXf>(v.data(), static_cast<Eigen::Index>(v.size()));
}

// v (one value or one per channel) widened to `channels` values.
Eigen::VectorXf widen(const Eigen::VectorXf& v, Eigen::Index channels, float empty) {
  if (v.size() == channels) return v;
  return Eigen::VectorXf::Constant(channels, v.size() ? v[0] : empty);
}

struct Activation {
  const char* op;
  LayerType type;
  float alpha, beta;  // ONNX defaults
};
constexpr Activation kActivations[] = {
    {"Relu", LayerType::ReLU, 0, 0},
    {"Sigmoid", LayerType::Sigmoid, 0, 0},
    {"Tanh", LayerType::Tanh, 0, 0},
    {"HardSwish", LayerType::HardSwish, 0, 0},
    {"LeakyRelu", LayerType::LeakyReLU, 0.01f, 0},
    {"Elu", LayerType::Elu, 1.0f, 0},
    {"HardSigmoid", LayerType::HardSigmoid, 0.2f, 0.5f},
};

}  // namespace

const char* supportedOnnxOps() {
  return "Conv, Gemm, MatMul, Relu, LeakyRelu, PRelu, Elu, Sigmoid, Tanh, HardSigmoid, "
         "HardSwish, Clip, Add, Sub, Mul, Div, Pad, MaxPool, AveragePool, GlobalAveragePool, "
         "GlobalMaxPool, ReduceMean, Flatten, Reshape, Squeeze, Unsqueeze, Transpose, Concat, "
         "Softmax, LogSoftmax, BatchNormalization, Dropout, Identity, Cast, and on constants "
         "Shape, Gather, Slice, ConstantOfShape, Range, Equal, Where, Expand, Neg";
}

bool OnnxImporter::foldIntoProducer(int i, Model& m, const std::string& x, const std::string& op,
                                    const std::vector<float>& c) {
  const onnx::NodeProto& n = graph().node(i);
  auto p =
      std::find_if(m.layers.begin(), m.layers.end(), [&](const Layer& l) { return l.output == x; });
  if (p == m.layers.end() || uses_[x] != 1 || x == resolve(graph().output(0).name())) {
    return false;
  }
  const Eigen::VectorXf v = toVector(c);
  if (p->type == LayerType::Linear || p->type == LayerType::Conv2d) {
    // y = W x + b + c: only the bias changes, exactly as the real-number sum.
    if (op != "Add" && op != "Sub") return false;
    const Eigen::Index ch = p->weight.rows();
    if (v.size() != 1 && v.size() != ch) return false;
    p->bias = widen(p->bias, ch, 0.0f) + (op == "Add" ? 1.0f : -1.0f) * widen(v, ch, 0.0f);
  } else if (p->type == LayerType::Affine) {
    const Eigen::Index ch = std::max({v.size(), p->scale.size(), p->shift.size(), Eigen::Index{1}});
    if ((v.size() != 1 && v.size() != ch) || (p->scale.size() > 1 && p->scale.size() != ch) ||
        (p->shift.size() > 1 && p->shift.size() != ch)) {
      return false;
    }
    Eigen::VectorXf scale = widen(p->scale, ch, 1.0f), shift = widen(p->shift, ch, 0.0f);
    const Eigen::VectorXf w = widen(v, ch, 0.0f);
    if (op == "Add") shift += w;
    if (op == "Sub") shift -= w;
    if (op == "Mul") scale = scale.cwiseProduct(w), shift = shift.cwiseProduct(w);
    if (op == "Div") scale = scale.cwiseQuotient(w), shift = shift.cwiseQuotient(w);
    p->scale = scale;
    p->shift = shift;
  } else {
    return false;
  }
  p->output = n.output(0);
  shapesFor_ = SIZE_MAX;
  dynamic_.insert(n.output(0));
  return true;
}

// Add, Sub, Mul, Div: between two activations a broadcasting layer, with a constant a fold or an
// Affine layer.
void OnnxImporter::convertElementwise(int i, Model& m, Layer& l) {
  const onnx::NodeProto& n = graph().node(i);
  const std::string& op = n.op_type();
  allowAttributes(i, {});
  if (n.input_size() != 2) nodeFail(i, "needs two inputs");
  const bool c0 = isConst(i, 0), c1 = isConst(i, 1);
  if (!c0 && !c1) {
    if (op == "Div") nodeFail(i, "division between two activations is not supported");
    l.type = op == "Add" ? LayerType::Add : op == "Sub" ? LayerType::Sub : LayerType::Mul;
    l.inputs = {dynamicInput(i, 0), dynamicInput(i, 1)};
    // x * HardSigmoid(x) with PyTorch's coefficients is how opset 13 spells hardswish.
    for (int k = 0; k < 2 && op == "Mul"; ++k) {
      auto h = std::find_if(m.layers.begin(), m.layers.end(),
                            [&](const Layer& y) { return y.output == l.inputs[std::size_t(k)]; });
      if (h != m.layers.end() && h->type == LayerType::HardSigmoid &&
          h->inputs[0] == l.inputs[std::size_t(1 - k)] && uses_[h->output] == 1 &&
          n.input(k) == h->output && std::fabs(h->alpha - 1.0f / 6.0f) < 1e-7f &&
          h->betaCoeff == 0.5f) {
        h->type = LayerType::HardSwish;
        h->alpha = h->betaCoeff = 0.0f;  // HardSwish has no coefficients
        h->output = l.output;
        shapesFor_ = SIZE_MAX;
        dynamic_.insert(l.output);
        l.inputs.clear();  // merged: nothing to add
        return;
      }
    }
    return;
  }
  if (c0 && c1) nodeFail(i, "both inputs are constants");  // foldNode() evaluates these
  const int xk = c0 ? 1 : 0;
  const std::string x = dynamicInput(i, xk);
  const std::vector<float> c = channelConstant(i, *constInput(i, 1 - xk, false), shapeOf(i, x, m));
  if (c0 && op == "Div") nodeFail(i, "dividing a constant by an activation is not supported");
  // c + x and c * x fold as x + c and x * c do.
  if ((!c0 || op == "Add" || op == "Mul") && x == n.input(xk) &&
      foldIntoProducer(i, m, x, op, c)) {
    l.inputs.clear();
    return;
  }
  l.type = LayerType::Affine;
  l.inputs = {x};
  const Eigen::VectorXf v = toVector(c);
  if (op == "Add") l.shift = v;
  if (op == "Sub") {
    if (c0)
      l.scale = Eigen::VectorXf::Constant(1, -1.0f), l.shift = v;  // c - x
    else
      l.shift = -v;
  }
  if (op == "Mul") l.scale = v;
  if (op == "Div") l.scale = v.cwiseInverse();
}

void OnnxImporter::convertNode(int i, Model& m) {
  const onnx::NodeProto& n = graph().node(i);
  const std::string& op = n.op_type();
  if (foldNode(i, m)) return;
  Layer l;
  l.name = newLayerName(n.name().empty() ? op + "_" + std::to_string(i) : n.name());
  l.output = n.output(0);
  auto dims = [&](const onnx::TensorProto& t) {
    return std::vector<std::int64_t>(t.dims().begin(), t.dims().end());
  };
  auto maxInputs = [&](int k) {
    if (n.input_size() > k) nodeFail(i, "takes at most " + std::to_string(k) + " inputs");
  };
  auto alias = [&](const std::string& to) {
    alias_[n.output(0)] = to;
    dynamic_.insert(n.output(0));
  };
  const auto act = std::find_if(std::begin(kActivations), std::end(kActivations),
                                [&](const Activation& a) { return op == a.op; });
  if (op == "Identity" || op == "Dropout") {
    // Inference no-ops: the output names the same activation (Dropout's ratio is unused).
    allowAttributes(i, {"seed"});
    maxInputs(op == "Dropout" ? 3 : 1);
    for (int k = 1; k < n.input_size(); ++k) {
      if (!n.input(k).empty()) constInput(i, k, false);
    }
    return alias(dynamicInput(i, 0));
  }
  if (op == "Cast") {
    allowAttributes(i, {"to", "saturate"});
    maxInputs(1);
    if (intAttr(i, "to", 0, INT64_MIN, INT64_MAX) != 1) {
      nodeFail(i, "activations can only be cast to float32");
    }
    return alias(dynamicInput(i, 0));
  }
  if (op == "Gemm") {
    allowAttributes(i, {"alpha", "beta", "transA", "transB"});
    maxInputs(3);
    intAttr(i, "transA", 0, 0, 0);
    const bool transB = intAttr(i, "transB", 0, 0, 1) == 1;
    const float alpha = floatAttr(i, "alpha", 1.0f), beta = floatAttr(i, "beta", 1.0f);
    l.type = LayerType::Linear;
    l.inputs = {dynamicInput(i, 0)};
    const onnx::TensorProto& w = *constInput(i, 1, false);
    const std::vector<std::int64_t> wd = dims(w);
    if (wd.size() != 2) nodeFail(i, "weight must be 2-D");
    const RowMatrix b = toMatrix(floats(i, w), wd[0], wd[1]);
    l.weight = transB ? b : RowMatrix(b.transpose());
    if (alpha != 1.0f) l.weight *= alpha;
    if (const onnx::TensorProto* c = constInput(i, 2, true)) {
      const std::vector<float> bias = floats(i, *c);
      const std::vector<std::int64_t> cd = dims(*c);
      const bool perOutput = static_cast<Eigen::Index>(bias.size()) == l.weight.rows() &&
                             cd.size() <= 2 && (cd.size() < 2 || cd[0] == 1);
      if (!perOutput && bias.size() != 1) {
        nodeFail(i, "bias C must hold one value or one per output");
      }
      l.bias = widen(toVector(bias), l.weight.rows(), 0.0f);
      if (beta != 1.0f) l.bias *= beta;
    }
  } else if (op == "MatMul") {
    allowAttributes(i, {});
    maxInputs(2);
    l.type = LayerType::Linear;
    l.inputs = {dynamicInput(i, 0)};
    const onnx::TensorProto& w = *constInput(i, 1, false);
    const std::vector<std::int64_t> wd = dims(w);
    if (wd.size() != 2) nodeFail(i, "weight must be 2-D [in, out]");
    l.weight = toMatrix(floats(i, w), wd[0], wd[1]).transpose();
  } else if (op == "Conv") {
    allowAttributes(i, {"auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"});
    maxInputs(3);
    l.type = LayerType::Conv2d;
    l.inputs = {dynamicInput(i, 0)};
    const onnx::TensorProto& w = *constInput(i, 1, false);
    const std::vector<std::int64_t> wd = dims(w);
    if (wd.size() != 4) nodeFail(i, "weight must be 4-D [outC, inC/group, kH, kW] (Conv2d only)");
    for (const std::int64_t d : wd) {
      if (d < 1 || d > (1 << 16)) nodeFail(i, "weight dimensions must be in 1..65536");
    }
    l.kernelH = static_cast<int>(wd[2]);
    l.kernelW = static_cast<int>(wd[3]);
    l.weight = toMatrix(floats(i, w), wd[0], wd[1] * wd[2] * wd[3]);
    l.groups = static_cast<int>(intAttr(i, "group", 1, 1, 1 << 16));
    windowAttributes(i, l, true, shapeOf(i, l.inputs[0], m));
    if (const onnx::TensorProto* b = constInput(i, 2, true)) {
      const std::vector<float> bias = floats(i, *b);
      if (static_cast<std::int64_t>(bias.size()) != wd[0] || dims(*b).size() != 1) {
        nodeFail(i, "bias must be [outC]");
      }
      l.bias = toVector(bias);
    }
  } else if (act != std::end(kActivations)) {
    maxInputs(1);
    l.type = act->type;
    l.inputs = {dynamicInput(i, 0)};
    if (l.type == LayerType::HardSigmoid) {
      allowAttributes(i, {"alpha", "beta"});
    } else if (l.type == LayerType::LeakyReLU || l.type == LayerType::Elu) {
      allowAttributes(i, {"alpha"});
    } else {
      allowAttributes(i, {});
    }
    l.alpha = floatAttr(i, "alpha", act->alpha);
    l.betaCoeff = floatAttr(i, "beta", act->beta);
  } else if (op == "PRelu") {
    allowAttributes(i, {});
    maxInputs(2);
    l.type = LayerType::PReLU;
    l.inputs = {dynamicInput(i, 0)};
    l.slope = toVector(channelConstant(i, *constInput(i, 1, false), shapeOf(i, l.inputs[0], m)));
  } else if (op == "Clip") {
    // Opsets 11+ give min/max as inputs; the attribute form of older exporters is read too.
    allowAttributes(i, {"min", "max"});
    maxInputs(3);
    l.type = LayerType::Clip;
    l.inputs = {dynamicInput(i, 0)};
    l.clipMin = floatAttr(i, "min", l.clipMin);
    l.clipMax = floatAttr(i, "max", l.clipMax);
    for (int k : {1, 2}) {
      if (const onnx::TensorProto* t = constInput(i, k, true)) {
        const std::vector<float> v = floats(i, *t);
        if (v.size() != 1) nodeFail(i, "min and max must be scalars");
        (k == 1 ? l.clipMin : l.clipMax) = v[0];
      }
    }
  } else if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div") {
    convertElementwise(i, m, l);
    if (l.inputs.empty()) return;  // folded into the layer before
  } else if (op == "Pad") {
    allowAttributes(i, {"mode", "pads", "value"});
    maxInputs(3);
    if (const onnx::AttributeProto* a = attr(i, "mode"); a && a->s() != "constant") {
      nodeFail(i, "mode " + printable(a->s()) + " is not supported (constant is)");
    }
    l.type = LayerType::Pad;
    l.inputs = {dynamicInput(i, 0)};
    const std::vector<std::int64_t> x = shapeOf(i, l.inputs[0], m);
    std::vector<std::int64_t> p;
    if (const onnx::TensorProto* t = constInput(i, 1, true)) {
      p = int64s(i, *t);
    } else if (const onnx::AttributeProto* a = attr(i, "pads")) {
      p.assign(a->ints().begin(), a->ints().end());
    }
    if (x.size() != 3 || p.size() != 8 || p[0] || p[1] || p[4] || p[5]) {
      nodeFail(i, "only padding of H and W of an [N, C, H, W] input is supported");
    }
    for (const std::int64_t v : p) {
      if (v < 0 || v > (1 << 16))
        nodeFail(i, "pads must lie in 0..65536 (cropping is not supported)");
    }
    l.padTop = int(p[2]), l.padLeft = int(p[3]), l.padBottom = int(p[6]), l.padRight = int(p[7]);
    l.padValue = floatAttr(i, "value", 0.0f);
    if (const onnx::TensorProto* v = constInput(i, 2, true)) {
      const std::vector<float> f = floats(i, *v);
      if (f.size() != 1) nodeFail(i, "constant_value must be a scalar");
      l.padValue = f[0];
    }
    if (std::all_of(p.begin(), p.end(), [](std::int64_t v) { return v == 0; })) {
      return alias(l.inputs[0]);
    }
  } else if (op == "MaxPool" || op == "AveragePool") {
    const bool isMax = op == "MaxPool";
    if (isMax) {
      allowAttributes(i, {"auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads",
                          "storage_order", "strides"});
      intAttr(i, "storage_order", 0, 0, 0);
    } else {
      allowAttributes(
          i, {"auto_pad", "ceil_mode", "count_include_pad", "kernel_shape", "pads", "strides"});
      l.countIncludePad = intAttr(i, "count_include_pad", 0, 0, 1) == 1;
    }
    maxInputs(1);
    if (n.output_size() > 1 && !n.output(1).empty())
      nodeFail(i, "the Indices output is not supported");
    l.type = isMax ? LayerType::MaxPool2d : LayerType::AvgPool2d;
    l.inputs = {dynamicInput(i, 0)};
    windowAttributes(i, l, false, shapeOf(i, l.inputs[0], m));
  } else if (op == "GlobalAveragePool" || op == "GlobalMaxPool") {
    allowAttributes(i, {});
    maxInputs(1);
    l.type = op == "GlobalMaxPool" ? LayerType::GlobalMaxPool : LayerType::GlobalAvgPool;
    l.inputs = {dynamicInput(i, 0)};
  } else if (op == "ReduceMean") {
    allowAttributes(i, {"axes", "keepdims"});
    maxInputs(1);
    l.inputs = {dynamicInput(i, 0)};
    std::vector<int> axes = intsAttr(i, "axes", {}, 2, -4, 3);
    std::sort(axes.begin(), axes.end());
    if (shapeOf(i, l.inputs[0], m).size() != 3 ||
        (axes != std::vector<int>{2, 3} && axes != std::vector<int>{-2, -1})) {
      nodeFail(i, "only the mean over H and W of an [N, C, H, W] input is supported");
    }
    l.type = LayerType::GlobalAvgPool;
    if (intAttr(i, "keepdims", 1, 0, 1) == 0) {
      Layer flat;
      flat.type = LayerType::Flatten;
      flat.name = newLayerName(l.name + "_flatten");
      flat.output = l.output;
      l.output = newLayerName(l.output + "_pooled");
      flat.inputs = {l.output};
      m.layers.push_back(std::move(l));
      m.layers.push_back(std::move(flat));
      dynamic_.insert(n.output(0));
      return;
    }
  } else if (op == "Flatten") {
    allowAttributes(i, {"axis"});
    maxInputs(1);
    l.type = LayerType::Flatten;
    l.inputs = {dynamicInput(i, 0)};
    const auto rank = static_cast<std::int64_t>(shapeOf(i, l.inputs[0], m).size()) + 1;
    const std::int64_t axis = intAttr(i, "axis", 1, -rank, rank);
    if (axis != 1 && axis != 1 - rank) nodeFail(i, "only axis 1 (keep the batch) is supported");
  } else if (op == "Reshape" || op == "Squeeze" || op == "Unsqueeze") {
    l.inputs = {dynamicInput(i, 0)};
    const std::vector<std::int64_t> x = shapeOf(i, n.input(0), m);
    std::int64_t count = 1;
    for (const std::int64_t d : x) count *= d;
    std::vector<std::int64_t> target;  // per sample
    if (op == "Reshape") {
      allowAttributes(i, {"allowzero"});
      maxInputs(2);
      const bool allowZero = intAttr(i, "allowzero", 0, 0, 1) == 1;
      const std::vector<std::int64_t> s = int64s(i, *constInput(i, 1, false));
      // The batch stays first: Shape(x)[0], 0 (copy) or -1 with every other size given.
      const bool rest = std::all_of(s.begin() + (s.empty() ? 0 : 1), s.end(),
                                    [](std::int64_t d) { return d >= 1; });
      if (s.empty() || !(s[0] == kBatchDim || (s[0] == 0 && !allowZero) || (s[0] == -1 && rest))) {
        nodeFail(i, "the target shape must keep the batch dimension first");
      }
      std::int64_t known = 1, infer = -1;
      for (std::size_t k = 1; k < s.size(); ++k) {
        std::int64_t d = s[k] == 0 && !allowZero && k <= x.size() ? x[k - 1] : s[k];
        if (d == -1 && infer < 0)
          infer = std::int64_t(target.size());
        else if (d < 1)
          nodeFail(i, "target dimension " + std::to_string(s[k]) + " is not supported");
        else
          known *= std::min<std::int64_t>(d, INT_MAX);
        target.push_back(d);
      }
      if (infer >= 0) target[std::size_t(infer)] = count % known == 0 ? count / known : -2;
    } else {
      allowAttributes(i, {"axes"});
      maxInputs(2);
      std::vector<std::int64_t> axes;
      if (const onnx::TensorProto* t = constInput(i, 1, true)) {
        axes = int64s(i, *t);
      } else if (const onnx::AttributeProto* a = attr(i, "axes")) {
        axes.assign(a->ints().begin(), a->ints().end());
      }
      const auto rank =
          std::int64_t(x.size()) + 1 + (op == "Unsqueeze" ? std::int64_t(axes.size()) : 0);
      std::vector<std::int64_t> full = {1};
      full.insert(full.end(), x.begin(), x.end());
      std::sort(axes.begin(), axes.end(), [&](std::int64_t a, std::int64_t b) {
        return (a < 0 ? a + rank : a) > (b < 0 ? b + rank : b);
      });
      for (std::int64_t a : axes) {
        a = a < 0 ? a + rank : a;
        if (a <= 0 || a >= rank) nodeFail(i, "axes must not include the batch dimension");
        if (op == "Squeeze") {
          if (std::size_t(a) >= full.size() || full[std::size_t(a)] != 1) {
            nodeFail(i, "squeezes a dimension that is not 1");
          }
          full.erase(full.begin() + a);
        }
      }
      if (op == "Unsqueeze") {
        std::sort(axes.begin(), axes.end());
        for (std::int64_t a : axes)
          full.insert(full.begin() +
                          std::min<std::int64_t>(a < 0 ? a + rank : a, std::int64_t(full.size())),
                      1);
      } else if (axes.empty()) {
        full.erase(std::remove(full.begin() + 1, full.end(), 1), full.end());
      }
      target.assign(full.begin() + 1, full.end());
    }
    // Layouts are row-major, so a reshape is free; the layers know [F] and [C, H, W].
    std::int64_t targetCount = 1;
    for (const std::int64_t d : target) targetCount = d < 1 ? -1 : targetCount * d;
    if (targetCount != count) nodeFail(i, "the target shape does not hold the input's elements");
    const std::vector<std::int64_t> real = shapeOf(i, l.inputs[0], m);
    if (target == real) return alias(l.inputs[0]);
    if (target.size() == 2 && n.output(0) != graph().output(0).name()) {
      views_[n.output(0)] = target;
      return alias(l.inputs[0]);
    }
    if (target.size() != 1) {
      nodeFail(i, "the result must be [N, features] or the input's own shape");
    }
    l.type = LayerType::Flatten;
  } else if (op == "Transpose") {
    allowAttributes(i, {"perm"});
    maxInputs(1);
    const std::string x = dynamicInput(i, 0);
    const std::size_t rank = shapeOf(i, x, m).size() + 1;
    std::vector<int> perm = intsAttr(i, "perm", {}, rank, 0, int(rank) - 1);
    for (std::size_t k = 0; k < perm.size(); ++k) {
      if (perm[k] != int(k)) nodeFail(i, "only an identity permutation is supported");
    }
    if (perm.empty() && rank > 1) nodeFail(i, "only an identity permutation is supported");
    return alias(x);
  } else if (op == "Concat") {
    allowAttributes(i, {"axis"});
    if (n.input_size() < 2) nodeFail(i, "needs two or more inputs");
    l.type = LayerType::Concat;
    for (int k = 0; k < n.input_size(); ++k) l.inputs.push_back(dynamicInput(i, k));
    const auto rank = static_cast<std::int64_t>(shapeOf(i, l.inputs[0], m).size()) + 1;
    const std::int64_t axis = intAttr(i, "axis", 1, -rank, rank - 1);
    if (axis != 1 && axis != 1 - rank)
      nodeFail(i, "only concatenation along channels (axis 1) is supported");
  } else if (op == "Softmax" || op == "LogSoftmax") {
    allowAttributes(i, {"axis"});
    maxInputs(1);
    l.inputs = {dynamicInput(i, 0)};
    const std::int64_t axis = intAttr(i, "axis", opset_ >= 13 ? -1 : 1, -1, 1);
    if (axis != 1 && axis != -1) nodeFail(i, "only the feature axis of [N, F] is supported");
    if (shapeOf(i, l.inputs[0], m).size() != 1) nodeFail(i, "only an [N, F] input is supported");
    l.type = op == "Softmax" ? LayerType::Softmax : LayerType::LogSoftmax;
  } else if (op == "BatchNormalization") {
    allowAttributes(i, {"epsilon", "momentum", "training_mode"});
    maxInputs(5);
    intAttr(i, "training_mode", 0, 0, 0);
    if (n.output_size() > 1) nodeFail(i, "training outputs are not supported");
    l.type = LayerType::BatchNorm;
    l.inputs = {dynamicInput(i, 0)};
    Eigen::VectorXf* dst[] = {&l.gamma, &l.beta, &l.mean, &l.var};
    for (int k = 1; k <= 4; ++k) {
      const onnx::TensorProto& t = *constInput(i, k, false);
      if (dims(t).size() != 1) nodeFail(i, "scale, B, mean and var must be 1-D");
      *dst[k - 1] = toVector(floats(i, t));
    }
    l.epsilon = floatAttr(i, "epsilon", l.epsilon);
  } else {
    nodeFail(i, "operator '" + printable(op) + "' is not supported; supported are " +
                    supportedOnnxOps());
  }
  dynamic_.insert(l.output);
  m.layers.push_back(std::move(l));
}

}  // namespace quant::detail
