// SPDX-License-Identifier: GPL-3.0-or-later
// QDQ ONNX export of an Int8Model (see onnxqdq.h for the graph it writes). Import is in
// onnx_qdq_import.cpp.
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <unordered_set>

#include "onnx_build.h"
#include "quant/nn/onnxqdq.h"

namespace quant {

namespace {

enum OnnxType : int { kFloat = 1, kInt8 = 3, kInt32 = 6 };

class QdqExporter {
 public:
  explicit QdqExporter(const Int8Model& m) : m_(m) {
    names_.insert(m.input);
    for (const Int8Layer& l : m.layers) {
      names_.insert(l.name);
      names_.insert(l.outputName);
      names_.insert(l.fusedActivation);
    }
  }

  onnx::ModelProto run();

 private:
  std::string unique(std::string base) {
    while (!names_.insert(base).second) base += "_";
    return base;
  }
  template <typename T>
  std::string init(const std::string& base, int type, const std::vector<std::int64_t>& dims,
                   const std::vector<T>& v) {
    onnx::TensorProto* t = g_->add_initializer();
    t->set_name(unique(base));
    t->set_data_type(type);
    for (const std::int64_t d : dims) t->add_dims(d);
    // Little-endian raw_data, as ONNX stores it (x86 is little-endian).
    t->set_raw_data(std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T)));
    return t->name();
  }
  onnx::NodeProto* node(const std::string& op, const std::string& name,
                        std::initializer_list<std::string> inputs, const std::string& output) {
    onnx::NodeProto* n = g_->add_node();
    n->set_op_type(op);
    n->set_name(name);
    for (const std::string& in : inputs) n->add_input(in);
    n->add_output(output);
    return n;
  }
  static void setInt(onnx::NodeProto* n, const char* name, std::int64_t v) {
    detail::setIntAttribute(n, name, v);
  }
  static void window(onnx::NodeProto* n, const Int8Layer& l) { detail::setWindowAttributes(n, l); }

  // QuantizeLinear then DequantizeLinear of float tensor t (int8 codes, scalar parameters);
  // returns the dequantized tensor's name, which consumers of the int8 tensor t read.
  std::string qdq(const std::string& t, float scale, std::int32_t zero) {
    const std::string s = init(t + ".scale", kFloat, {}, std::vector<float>{scale});
    const std::string z =
        init(t + ".zero_point", kInt8, {}, std::vector<std::int8_t>{std::int8_t(zero)});
    const std::string q = unique(t + "_quantized");
    node("QuantizeLinear", unique(t + "_quantize"), {t, s, z}, q);
    const std::string dq = unique(t + "_dequantized");
    node("DequantizeLinear", unique(t + "_dequantize"), {q, s, z}, dq);
    dequantized_[t] = dq;
    return dq;
  }
  // The real value of int8 code `code` of a tensor with (scale, zero).
  static float real(std::int32_t code, float scale, std::int32_t zero) {
    return static_cast<float>(code - zero) * scale;
  }
  // Clip of tensor `in` to the real values of codes [lo, hi]; Relu when that is exactly max(x, 0).
  void clamp(const std::string& name, const std::string& in, const std::string& out,
             std::int32_t lo, std::int32_t hi, float scale, std::int32_t zero) {
    if (lo == zero && hi == 127) {
      node("Relu", name, {in}, out);
      return;
    }
    const std::string mn =
        init(name + ".min", kFloat, {}, std::vector<float>{real(lo, scale, zero)});
    const std::string mx =
        init(name + ".max", kFloat, {}, std::vector<float>{real(hi, scale, zero)});
    node("Clip", name, {in, mn, mx}, out);
  }
  void gemmLayer(const Int8Layer& l, const std::string& in, const std::string& out);

  const Int8Model& m_;
  onnx::GraphProto* g_ = nullptr;
  std::unordered_set<std::string> names_;
  std::unordered_map<std::string, std::string> dequantized_;  // float tensor -> its QDQ output
};

void QdqExporter::gemmLayer(const Int8Layer& l, const std::string& in, const std::string& out) {
  const auto outC = static_cast<std::int64_t>(l.weightScales.size());
  if (outC == 0 || l.bias.size() != l.weightScales.size())
    throw Error("QDQ export: layer '" + l.name +
                "' has no int8 weights and bias (not static int8)");
  const std::int64_t K = static_cast<std::int64_t>(l.weights.size()) / outC;
  const bool perChannel =
      m_.recipe.weights.perChannel || std::any_of(l.weightScales.begin(), l.weightScales.end(),
                                                  [&](float s) { return s != l.weightScales[0]; });
  const std::vector<std::int64_t> paramDims =
      perChannel ? std::vector<std::int64_t>{outC} : std::vector<std::int64_t>{};
  const std::size_t paramCount = perChannel ? static_cast<std::size_t>(outC) : 1;
  std::vector<float> biasScales(paramCount);
  for (std::size_t o = 0; o < paramCount; ++o)
    biasScales[o] =
        static_cast<float>(static_cast<double>(l.inScale) * static_cast<double>(l.weightScales[o]));
  const std::vector<std::int64_t> wdims =
      l.type == LayerType::Conv2d
          ? std::vector<std::int64_t>{outC, l.inShape[0] / l.groups, l.kernelH, l.kernelW}
          : std::vector<std::int64_t>{outC, K};
  const auto dequantize = [&](const std::string& base, const std::string& q,
                              const std::vector<float>& scales, const std::string& zero) {
    const std::string s = init(base + "_scale", kFloat, paramDims, scales);
    const std::string out = unique(base);
    onnx::NodeProto* n = node("DequantizeLinear", unique(base + "_dequantize"), {q, s, zero}, out);
    if (perChannel) setInt(n, "axis", 0);
    return out;
  };
  const std::string w = dequantize(
      l.name + ".weight", init(l.name + ".weight_quantized", kInt8, wdims, l.weights),
      std::vector<float>(l.weightScales.begin(), l.weightScales.begin() + paramCount),
      init(l.name + ".weight_zero_point", kInt8, paramDims, std::vector<std::int8_t>(paramCount)));
  const std::string b = dequantize(
      l.name + ".bias", init(l.name + ".bias_quantized", kInt32, {outC}, l.bias), biasScales,
      init(l.name + ".bias_zero_point", kInt32, paramDims, std::vector<std::int32_t>(paramCount)));
  if (l.type == LayerType::Conv2d) {
    onnx::NodeProto* n = node("Conv", l.name, {in, w, b}, out);
    window(n, l);
    detail::setIntsAttribute(n, "dilations", {1, 1});
    setInt(n, "group", l.groups);
  } else {
    setInt(node("Gemm", l.name, {in, w, b}, out), "transB", 1);
  }
}

onnx::ModelProto QdqExporter::run() {
  onnx::ModelProto p;
  p.set_ir_version(7);
  p.set_producer_name("QuantLab");
  p.set_producer_version("0.1");
  auto* op = p.add_opset_import();
  op->set_domain("");
  op->set_version(13);
  g_ = p.mutable_graph();
  g_->set_name("quantlab_qdq");
  detail::setFloatValueInfo(g_->add_input(), m_.input, m_.inputShape);
  qdq(m_.input, m_.inputScale, m_.inputZero);
  std::string prevName = m_.input;
  const auto dq = [&](const std::string& t, const Int8Layer& l) {
    const auto f = dequantized_.find(t);
    if (f == dequantized_.end())
      throw Error("QDQ export: layer '" + l.name + "' reads '" + t +
                  "', defined by no layer before");
    return f->second;
  };
  for (std::size_t i = 0; i < m_.layers.size(); ++i) {
    const Int8Layer& l = m_.layers[i];
    const std::vector<std::string> ins =
        l.inputs.empty() ? std::vector<std::string>{prevName} : l.inputs;
    const std::string out =
        l.outputName.empty() ? unique("layer" + std::to_string(i)) : l.outputName;
    const std::string in = dq(ins[0], l);
    // The layer's own result; with a fused activation the clamp then defines `out`.
    const std::string pre = l.fusedActivation.empty() ? out : unique(l.name + "_output");
    switch (l.type) {
      case LayerType::Linear:
      case LayerType::Conv2d:
        gemmLayer(l, in, pre);
        break;
      case LayerType::Add:
        if (ins.size() != 2) throw Error("QDQ export: layer '" + l.name + "' needs two inputs");
        node("Add", l.name, {in, dq(ins[1], l)}, pre);
        break;
      case LayerType::ReLU:
      case LayerType::Clip:
        clamp(l.name, in, out, l.clipMinQ, l.clipMaxQ, l.inScale, l.inZero);
        break;
      case LayerType::MaxPool2d:
        window(node("MaxPool", l.name, {in}, out), l);
        break;
      case LayerType::AvgPool2d: {
        onnx::NodeProto* n = node("AveragePool", l.name, {in}, out);
        window(n, l);
        setInt(n, "count_include_pad", l.countIncludePad ? 1 : 0);
        break;
      }
      case LayerType::GlobalAvgPool:
        node("GlobalAveragePool", l.name, {in}, out);
        break;
      case LayerType::Flatten:
        setInt(node("Flatten", l.name, {in}, out), "axis", 1);
        break;
      default:
        throw Error("QDQ export: layer '" + l.name + "' (" + layerTypeName(l.type) +
                    ") has no int8 form");
    }
    if (!l.fusedActivation.empty())
      clamp(l.fusedActivation, pre, out, l.output.actMin, l.output.actMax, l.outScale, l.outZero);
    qdq(out, l.outScale, l.outZero);
    prevName = out;
  }
  const std::string last = m_.output.empty() ? prevName : m_.output;
  std::string result = dequantized_.count(last) ? dequantized_.at(last) : "";
  if (result.empty()) throw Error("QDQ export: the output '" + last + "' is defined by no layer");
  if (m_.softmax) {
    const std::string probs = unique("probabilities");
    const char* op = m_.logSoftmax ? "LogSoftmax" : "Softmax";
    setInt(node(op, m_.softmaxName.empty() ? unique("softmax") : m_.softmaxName, {result}, probs),
           "axis", -1);
    result = probs;
  }
  detail::setFloatValueInfo(g_->add_output(), result, m_.outputShape);
  return p;
}

}  // namespace

std::vector<std::uint8_t> exportQdqOnnx(const Int8Model& model) {
  return detail::serializeModel(QdqExporter(model).run(), "QDQ export");
}

void saveQdqOnnx(const Int8Model& model, const std::string& path) {
  detail::writeModelFile(exportQdqOnnx(model), path);
}

}  // namespace quant
