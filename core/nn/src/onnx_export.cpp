// SPDX-License-Identifier: GPL-3.0-or-later
// ONNX export of quant::Model: the graph as standard opset-13 nodes with float32 initializers in
// raw little-endian form, so onnx::checker and any runtime accept it; onnx_import.cpp reads it back
// bit for bit. Import is in onnx_import.cpp.
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cstring>
#include <unordered_set>

#include "onnx_build.h"
#include "quant/nn/model.h"

namespace quant {

namespace {

constexpr int kOnnxFloat = 1;
constexpr int kOnnxInt64 = 7;

class Exporter {
 public:
  explicit Exporter(const Model& m) : m_(m) {
    for (const Layer& l : m.layers) {
      names_.insert(l.output);
      names_.insert(l.name);
    }
    names_.insert(m.input);
  }

  onnx::ModelProto run();

 private:
  std::string unique(std::string base) {
    while (!names_.insert(base).second) base += "_";
    return base;
  }
  std::string addInit(const std::string& base, std::vector<std::int64_t> dims, const float* v,
                      std::size_t n) {
    onnx::TensorProto* t = g_->add_initializer();
    t->set_name(unique(base));
    t->set_data_type(kOnnxFloat);
    for (const std::int64_t d : dims) t->add_dims(d);
    std::string raw(n * 4, '\0');
    for (std::size_t i = 0; i < n; ++i) {
      std::uint32_t u;
      std::memcpy(&u, v + i, 4);
      for (int b = 0; b < 4; ++b) raw[i * 4 + std::size_t(b)] = char((u >> (8 * b)) & 0xff);
    }
    t->set_raw_data(std::move(raw));
    return t->name();
  }
  static void setInts(onnx::NodeProto* n, const char* name, std::vector<std::int64_t> v) {
    detail::setIntsAttribute(n, name, std::move(v));
  }
  static void setInt(onnx::NodeProto* n, const char* name, std::int64_t v) {
    detail::setIntAttribute(n, name, v);
  }
  static void valueInfo(onnx::ValueInfoProto* v, const std::string& name,
                        const std::vector<std::int64_t>& shape) {
    detail::setFloatValueInfo(v, name, shape);
  }
  static void window(onnx::NodeProto* n, const Layer& l) { detail::setWindowAttributes(n, l); }
  std::string vec(const std::string& base, const Eigen::VectorXf& v) {
    return addInit(base, {v.size()}, v.data(), std::size_t(v.size()));
  }
  // A per-channel vector shaped to broadcast over the input: [C, 1, 1] for images, [C] for
  // feature vectors, [1] for a single value (the importer reads all three back).
  std::string channelVec(const std::string& base, const Eigen::VectorXf& v, const Layer& l) {
    std::vector<std::int64_t> dims = {v.size()};
    if (v.size() > 1 && l.inShape.size() == 3) dims = {v.size(), 1, 1};
    return addInit(base, dims, v.data(), std::size_t(v.size()));
  }
  static void setFloat(onnx::NodeProto* n, const char* name, float v) {
    onnx::AttributeProto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(v);
  }
  std::string addInts(const std::string& base, const std::vector<std::int64_t>& v) {
    onnx::TensorProto* t = g_->add_initializer();
    t->set_name(unique(base));
    t->set_data_type(kOnnxInt64);
    t->add_dims(std::int64_t(v.size()));
    for (const std::int64_t x : v) t->add_int64_data(x);
    return t->name();
  }
  void extraLayer(onnx::NodeProto* n, const Layer& l);

  const Model& m_;
  onnx::GraphProto* g_ = nullptr;
  std::unordered_set<std::string> names_;
};

void Exporter::extraLayer(onnx::NodeProto* n, const Layer& l) {
  switch (l.type) {
    case LayerType::Sigmoid:
      return n->set_op_type("Sigmoid");
    case LayerType::Tanh:
      return n->set_op_type("Tanh");
    case LayerType::HardSwish:
      return n->set_op_type("HardSwish");
    case LayerType::GlobalMaxPool:
      return n->set_op_type("GlobalMaxPool");
    case LayerType::Sub:
      return n->set_op_type("Sub");
    case LayerType::Mul:
      return n->set_op_type("Mul");
    case LayerType::HardSigmoid:
      n->set_op_type("HardSigmoid");
      setFloat(n, "alpha", l.alpha);
      return setFloat(n, "beta", l.betaCoeff);
    case LayerType::LeakyReLU:
    case LayerType::Elu:
      n->set_op_type(l.type == LayerType::Elu ? "Elu" : "LeakyRelu");
      return setFloat(n, "alpha", l.alpha);
    case LayerType::LogSoftmax:
      n->set_op_type("LogSoftmax");
      return setInt(n, "axis", -1);
    case LayerType::Concat:
      n->set_op_type("Concat");
      return setInt(n, "axis", 1);
    case LayerType::PReLU:
      n->set_op_type("PRelu");
      n->add_input(channelVec(l.name + ".slope", l.slope, l));
      return;
    case LayerType::Pad:
      n->set_op_type("Pad");
      n->add_input(
          addInts(l.name + ".pads", {0, 0, l.padTop, l.padLeft, 0, 0, l.padBottom, l.padRight}));
      n->add_input(addInit(l.name + ".value", {}, &l.padValue, 1));
      return;
    case LayerType::Affine: {
      // x * scale + shift as Mul then Add (the importer merges them back into one Affine). An
      // Affine with neither is the identity.
      if (l.scale.size() == 0 && l.shift.size() == 0) return n->set_op_type("Identity");
      onnx::NodeProto* add = n;
      if (l.scale.size()) {
        n->set_op_type("Mul");
        n->add_input(channelVec(l.name + ".scale", l.scale, l));
        if (l.shift.size() == 0) return;
        const std::string mid = unique(l.name + "_scaled");
        n->set_output(0, mid);
        add = g_->add_node();
        add->set_name(unique(l.name + "_shift"));
        add->add_input(mid);
        add->add_output(l.output);
      }
      add->set_op_type("Add");
      add->add_input(channelVec(l.name + ".shift", l.shift, l));
      return;
    }
    default:
      throw Error("export: layer '" + l.name + "' (" + layerTypeName(l.type) +
                  ") has no ONNX export");
  }
}

onnx::ModelProto Exporter::run() {
  onnx::ModelProto p;
  p.set_ir_version(7);
  p.set_producer_name("QuantLab");
  p.set_producer_version("0.1");
  auto* op = p.add_opset_import();
  op->set_domain("");
  // HardSwish exists from opset 14 on; every other node is the same in 13 and 14.
  const bool hardSwish = std::any_of(m_.layers.begin(), m_.layers.end(),
                                     [](const Layer& l) { return l.type == LayerType::HardSwish; });
  op->set_version(hardSwish ? 14 : 13);
  g_ = p.mutable_graph();
  g_->set_name("quantlab");
  valueInfo(g_->add_input(), m_.input, m_.inputShape);
  for (const Layer& l : m_.layers) {
    if (l.outShape.empty()) throw Error("export: the model is not finalized");
    onnx::NodeProto* n = g_->add_node();
    n->set_name(l.name);
    for (const std::string& in : l.inputs) n->add_input(in);
    n->add_output(l.output);
    switch (l.type) {
      case LayerType::Linear:
        n->set_op_type("Gemm");
        n->add_input(addInit(l.name + ".weight", {l.weight.rows(), l.weight.cols()},
                             l.weight.data(), std::size_t(l.weight.size())));
        if (l.bias.size()) n->add_input(vec(l.name + ".bias", l.bias));
        setInt(n, "transB", 1);
        break;
      case LayerType::Conv2d: {
        n->set_op_type("Conv");
        const std::int64_t k = std::int64_t{l.kernelH} * l.kernelW;
        n->add_input(addInit(l.name + ".weight",
                             {l.weight.rows(), l.weight.cols() / k, l.kernelH, l.kernelW},
                             l.weight.data(), std::size_t(l.weight.size())));
        if (l.bias.size()) n->add_input(vec(l.name + ".bias", l.bias));
        window(n, l);
        setInts(n, "dilations", {1, 1});
        setInt(n, "group", l.groups);
        break;
      }
      case LayerType::ReLU:
        n->set_op_type("Relu");
        break;
      case LayerType::Clip: {
        n->set_op_type("Clip");
        const bool hasMin = l.clipMin != -std::numeric_limits<float>::infinity();
        const bool hasMax = l.clipMax != std::numeric_limits<float>::infinity();
        n->add_input(hasMin ? addInit(l.name + ".min", {}, &l.clipMin, 1) : "");
        if (hasMax) n->add_input(addInit(l.name + ".max", {}, &l.clipMax, 1));
        if (!hasMax && !hasMin) n->mutable_input()->RemoveLast();
        break;
      }
      case LayerType::MaxPool2d:
        n->set_op_type("MaxPool");
        window(n, l);
        break;
      case LayerType::AvgPool2d:
        n->set_op_type("AveragePool");
        window(n, l);
        setInt(n, "count_include_pad", l.countIncludePad ? 1 : 0);
        break;
      case LayerType::GlobalAvgPool:
        n->set_op_type("GlobalAveragePool");
        break;
      case LayerType::Flatten:
        n->set_op_type("Flatten");
        setInt(n, "axis", 1);
        break;
      case LayerType::BatchNorm: {
        n->set_op_type("BatchNormalization");
        n->add_input(vec(l.name + ".scale", l.gamma));
        n->add_input(vec(l.name + ".bias", l.beta));
        n->add_input(vec(l.name + ".mean", l.mean));
        n->add_input(vec(l.name + ".var", l.var));
        onnx::AttributeProto* a = n->add_attribute();
        a->set_name("epsilon");
        a->set_type(onnx::AttributeProto::FLOAT);
        a->set_f(l.epsilon);
        break;
      }
      case LayerType::Add:
        n->set_op_type("Add");
        break;
      case LayerType::Softmax:
        n->set_op_type("Softmax");
        setInt(n, "axis", -1);
        break;
      default:
        extraLayer(n, l);
    }
  }
  valueInfo(g_->add_output(), m_.output, m_.outputShape());
  return p;
}

}  // namespace

std::vector<std::uint8_t> exportOnnxModel(const Model& model) {
  return detail::serializeModel(Exporter(model).run(), "export");
}

void saveOnnxModel(const Model& model, const std::string& path) {
  detail::writeModelFile(exportOnnxModel(model), path);
}

}  // namespace quant