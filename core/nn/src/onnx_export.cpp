// SPDX-License-Identifier: GPL-3.0-or-later
// ONNX export of quant::Model: the graph as standard opset-13 nodes with float32 initializers in
// raw little-endian form, so onnx::checker and any runtime accept it; onnx_import.cpp reads it back
// bit for bit. Import is in onnx_import.cpp.
#include <onnx/onnx_pb.h>

#include <cstring>
#include <unordered_set>

#include "onnx_build.h"
#include "quant/nn/model.h"

namespace quant {

namespace {

constexpr int kOnnxFloat = 1;

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

  const Model& m_;
  onnx::GraphProto* g_ = nullptr;
  std::unordered_set<std::string> names_;
};

onnx::ModelProto Exporter::run() {
  onnx::ModelProto p;
  p.set_ir_version(7);
  p.set_producer_name("QuantLab");
  p.set_producer_version("0.1");
  auto* op = p.add_opset_import();
  op->set_domain("");
  op->set_version(13);
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
        throw Error("export: layer '" + l.name + "' (" + layerTypeName(l.type) +
                    ") has no ONNX export");
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