// SPDX-License-Identifier: GPL-3.0-or-later
// ONNX import of quant::Model (see model.h for what is supported). The ModelProto is parsed with
// the generated protobuf classes of libonnx-dev, as in io/onnx_tensors.cpp; weights are converted
// with the shared element conversion of tensorio_detail.h. Export is in onnx_export.cpp.
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <deque>
#include <fstream>
#include <functional>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include "quant/io/tensorio_detail.h"
#include "quant/nn/model.h"

namespace quant {

namespace {

constexpr int kOnnxFloat = 1;
constexpr int kOnnxInt64 = 7;
// The largest single weight tensor accepted (1 GiB of float32); protobuf caps the file at 2 GiB.
constexpr std::int64_t kMaxWeightElements = std::int64_t{1} << 28;

// Names come from an untrusted file; messages must stay one readable line.
std::string printable(const std::string& s) {
  std::string out;
  for (unsigned char c : s.substr(0, 200)) out += (c < 0x20 || c == 0x7f) ? '?' : char(c);
  if (s.size() > 200) out += "...";
  return out;
}

class Importer {
 public:
  Importer(std::span<const std::uint8_t> bytes, const std::string& where) : where_(where) {
    if (bytes.empty()) fail("file is empty");
    if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
      fail("model larger than protobuf's 2 GiB message limit");
    }
    if (!proto_.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      fail("not a valid ONNX model (protobuf parse failed)");
    }
    if (!proto_.has_graph()) fail("not an ONNX model (no graph)");
  }

  Model run();

 private:
  [[noreturn]] void fail(const std::string& what) const { throw Error(where_ + ": " + what); }

  std::string label(int i) const {
    const onnx::NodeProto& n = graph().node(i);
    return n.name().empty() ? "#" + std::to_string(i) : printable(n.name());
  }
  [[noreturn]] void nodeFail(int i, const std::string& what) const {
    fail("node '" + label(i) + "' (" + printable(graph().node(i).op_type()) + "): " + what);
  }
  const onnx::GraphProto& graph() const { return proto_.graph(); }

  void checkOpset();
  void collectConstants();
  void readInput(Model& m);
  std::vector<int> topologicalOrder();
  void convertNode(int i, Model& m);

  // Attributes.
  const onnx::AttributeProto* attr(int i, const char* name) const;
  void allowAttributes(int i, std::initializer_list<const char*> names) const;
  std::int64_t intAttr(int i, const char* name, std::int64_t def, std::int64_t lo,
                       std::int64_t hi) const;
  std::vector<int> intsAttr(int i, const char* name, std::vector<int> def, std::size_t count,
                            int lo, int hi) const;
  void windowAttributes(int i, Layer& l, bool conv) const;

  // Inputs.
  std::string dynamicInput(int i, int k) const;
  const onnx::TensorProto* constInput(int i, int k, bool optional) const;
  std::vector<float> floats(int i, const onnx::TensorProto& t) const;
  std::vector<std::int64_t> int64s(int i, const onnx::TensorProto& t) const;
  void checkStored(int i, const onnx::TensorProto& t, std::int64_t& numel) const;

  std::string where_;
  onnx::ModelProto proto_;
  int opset_ = 0;
  std::unordered_map<std::string, const onnx::TensorProto*> consts_;
  std::deque<onnx::TensorProto> synthetic_;  // Constant value_float(s)/value_int(s)
  std::unordered_set<std::string> dynamic_;  // graph input + node outputs
  // Outputs of Identity/Dropout (inference no-ops) -> the activation they pass on.
  std::unordered_map<std::string, std::string> alias_;
  std::string resolve(const std::string& name) const {
    auto it = alias_.find(name);
    return it == alias_.end() ? name : it->second;
  }
  std::unordered_map<std::string, int> uses_;
  // Linear layers made from MatMul that may still receive the bias of a following Add.
  std::unordered_map<std::string, std::size_t> matmulOut_;
  // Flatten layers made from Reshape whose declared feature count is checked after shapes are
  // known: (layer index, features or -1, node index).
  std::vector<std::tuple<std::size_t, std::int64_t, int>> reshapes_;
  std::unordered_set<std::string> layerNames_;
};

void Importer::checkOpset() {
  for (const auto& o : proto_.opset_import()) {
    if (o.domain().empty() || o.domain() == "ai.onnx")
      opset_ = static_cast<int>(std::clamp<std::int64_t>(o.version(), 0, 1000));
  }
  if (opset_ < 11 || opset_ > 17) {
    fail("default-domain opset " + std::to_string(opset_) +
         " is not supported (opsets 11 to 17 are)");
  }
}

void Importer::collectConstants() {
  const onnx::GraphProto& g = graph();
  if (g.sparse_initializer_size() > 0) fail("sparse initializers are not supported");
  for (int i = 0; i < g.initializer_size(); ++i) {
    const onnx::TensorProto& t = g.initializer(i);
    if (t.name().empty()) fail("initializer #" + std::to_string(i) + " has no name");
    if (!consts_.emplace(t.name(), &t).second) {
      fail("initializer '" + printable(t.name()) + "' is defined twice");
    }
  }
  for (int i = 0; i < g.node_size(); ++i) {
    const onnx::NodeProto& n = g.node(i);
    if (n.op_type() != "Constant") continue;
    if (n.output_size() != 1 || n.output(0).empty()) nodeFail(i, "needs exactly one output");
    if (n.attribute_size() != 1) nodeFail(i, "needs exactly one value attribute");
    const onnx::AttributeProto& a = n.attribute(0);
    const onnx::TensorProto* t = nullptr;
    if (a.name() == "value" && a.has_t()) {
      t = &a.t();
    } else if (a.name() == "value_float" || a.name() == "value_floats") {
      onnx::TensorProto& s = synthetic_.emplace_back();
      s.set_data_type(kOnnxFloat);
      if (a.name() == "value_float") {
        s.add_float_data(a.f());
      } else {
        s.add_dims(a.floats_size());
        *s.mutable_float_data() = a.floats();
      }
      t = &s;
    } else if (a.name() == "value_int" || a.name() == "value_ints") {
      onnx::TensorProto& s = synthetic_.emplace_back();
      s.set_data_type(kOnnxInt64);
      if (a.name() == "value_int") {
        s.add_int64_data(a.i());
      } else {
        s.add_dims(a.ints_size());
        *s.mutable_int64_data() = a.ints();
      }
      t = &s;
    } else {
      nodeFail(i, "unsupported attribute '" + printable(a.name()) + "'");
    }
    if (!consts_.emplace(n.output(0), t).second) {
      nodeFail(i, "output '" + printable(n.output(0)) + "' is defined twice");
    }
  }
}

void Importer::readInput(Model& m) {
  const onnx::ValueInfoProto* in = nullptr;
  for (const auto& v : graph().input()) {
    if (consts_.count(v.name())) continue;  // older exporters list initializers as inputs
    if (in)
      fail("the graph has more than one input ('" + printable(in->name()) + "', '" +
           printable(v.name()) + "')");
    in = &v;
  }
  if (!in) fail("the graph has no input");
  const std::string name = printable(in->name());
  if (in->name().empty()) fail("the graph input has no name");
  if (!in->type().has_tensor_type() || in->type().tensor_type().elem_type() != kOnnxFloat) {
    fail("input '" + name + "' must be a float32 tensor");
  }
  if (!in->type().tensor_type().has_shape()) fail("input '" + name + "' has no shape");
  const auto& dims = in->type().tensor_type().shape().dim();
  if (dims.size() != 2 && dims.size() != 4) {
    fail("input '" + name + "' has rank " + std::to_string(dims.size()) +
         "; [N, F] or [N, C, H, W] is supported");
  }
  m.input = in->name();
  m.inputShape.clear();
  for (int k = 1; k < dims.size(); ++k) {
    if (!dims[k].has_dim_value() || dims[k].dim_value() < 1) {
      fail("input '" + name + "': dimension " + std::to_string(k) +
           " is dynamic or not positive; only the batch dimension (0) may be dynamic");
    }
    m.inputShape.push_back(dims[k].dim_value());
  }
  dynamic_.insert(m.input);
}

std::vector<int> Importer::topologicalOrder() {
  const onnx::GraphProto& g = graph();
  std::unordered_map<std::string, int> producer;
  std::vector<int> nodes;
  for (int i = 0; i < g.node_size(); ++i) {
    const onnx::NodeProto& n = g.node(i);
    if (n.op_type() == "Constant") continue;
    if (!n.domain().empty() && n.domain() != "ai.onnx") {
      nodeFail(i, "operators of domain '" + printable(n.domain()) + "' are not supported");
    }
    if (n.output_size() < 1 || n.output(0).empty()) nodeFail(i, "has no output");
    for (int k = 0; k < n.output_size(); ++k) {
      const std::string& o = n.output(k);
      if (o.empty()) continue;
      if (k > 0) nodeFail(i, "extra output '" + printable(o) + "' is not supported");
      if (dynamic_.count(o) || consts_.count(o) || !producer.emplace(o, i).second) {
        nodeFail(i, "output '" + printable(o) + "' is defined twice");
      }
    }
    nodes.push_back(i);
  }
  // Kahn's algorithm over the dynamic inputs; ties keep file order.
  std::unordered_map<int, int> pending;
  std::unordered_map<std::string, std::vector<int>> consumers;
  for (const int i : nodes) {
    int deps = 0;
    for (const std::string& in : g.node(i).input()) {
      if (in.empty() || consts_.count(in) || dynamic_.count(in)) {
        if (!in.empty()) ++uses_[in];
        continue;
      }
      if (!producer.count(in)) nodeFail(i, "input '" + printable(in) + "' is not defined");
      ++uses_[in];
      ++deps;
      consumers[in].push_back(i);
    }
    pending[i] = deps;
  }
  // A min-heap of ready nodes keeps file order among independent nodes in O(n log n).
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  std::vector<int> order;
  for (const int i : nodes) {
    if (pending[i] == 0) ready.push(i);
  }
  while (!ready.empty()) {
    const int i = ready.top();
    ready.pop();
    order.push_back(i);
    const std::string& o = g.node(i).output(0);
    for (const int c : consumers[o]) {
      if (--pending[c] == 0) ready.push(c);
    }
  }
  if (order.size() != nodes.size()) {
    for (const int i : nodes) {
      if (pending[i] > 0) nodeFail(i, "is part of a cycle");
    }
  }
  return order;
}

const onnx::AttributeProto* Importer::attr(int i, const char* name) const {
  for (const auto& a : graph().node(i).attribute()) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

void Importer::allowAttributes(int i, std::initializer_list<const char*> names) const {
  for (const auto& a : graph().node(i).attribute()) {
    if (std::none_of(names.begin(), names.end(), [&](const char* n) { return a.name() == n; })) {
      nodeFail(i, "unsupported attribute '" + printable(a.name()) + "'");
    }
  }
}

std::int64_t Importer::intAttr(int i, const char* name, std::int64_t def, std::int64_t lo,
                               std::int64_t hi) const {
  const onnx::AttributeProto* a = attr(i, name);
  if (!a) return def;
  if (a->type() != onnx::AttributeProto::INT) nodeFail(i, std::string(name) + " must be an int");
  if (a->i() < lo || a->i() > hi) {
    nodeFail(i, std::string(name) + " = " + std::to_string(a->i()) + " is not supported");
  }
  return a->i();
}

std::vector<int> Importer::intsAttr(int i, const char* name, std::vector<int> def,
                                    std::size_t count, int lo, int hi) const {
  const onnx::AttributeProto* a = attr(i, name);
  if (!a) return def;
  if (a->type() != onnx::AttributeProto::INTS || std::size_t(a->ints_size()) != count) {
    nodeFail(i, std::string(name) + " must be " + std::to_string(count) + " ints (2-D only)");
  }
  std::vector<int> out;
  for (const std::int64_t v : a->ints()) {
    if (v < lo || v > hi) {
      nodeFail(i, std::string(name) + " value " + std::to_string(v) + " is not supported");
    }
    out.push_back(static_cast<int>(v));
  }
  return out;
}

void Importer::windowAttributes(int i, Layer& l, bool conv) const {
  constexpr int kMax = 1 << 16;
  if (const onnx::AttributeProto* a = attr(i, "auto_pad")) {
    if (a->s() != "NOTSET" && a->s() != "VALID") {
      nodeFail(i, "auto_pad " + printable(a->s()) + " is not supported (NOTSET, VALID are)");
    }
  }
  const std::vector<int> dil = intsAttr(i, "dilations", {1, 1}, 2, INT_MIN, INT_MAX);
  if (dil != std::vector<int>{1, 1}) nodeFail(i, "dilations other than 1 are not supported");
  if (intAttr(i, "ceil_mode", 0, INT64_MIN, INT64_MAX) != 0) {
    nodeFail(i, "ceil_mode 1 is not supported");
  }
  std::vector<int> k = intsAttr(i, "kernel_shape", {}, 2, 1, kMax);
  if (conv) {
    const std::vector<int> fromWeight = {l.kernelH, l.kernelW};
    if (!k.empty() && k != fromWeight) nodeFail(i, "kernel_shape differs from the weight shape");
    k = fromWeight;
  } else if (k.empty()) {
    nodeFail(i, "needs kernel_shape");
  }
  l.kernelH = k[0];
  l.kernelW = k[1];
  const std::vector<int> s = intsAttr(i, "strides", {1, 1}, 2, 1, kMax);
  l.strideH = s[0];
  l.strideW = s[1];
  std::vector<int> p = intsAttr(i, "pads", {0, 0, 0, 0}, 4, 0, kMax);
  const onnx::AttributeProto* ap = attr(i, "auto_pad");
  if (ap && ap->s() == "VALID") p = {0, 0, 0, 0};
  l.padTop = p[0];
  l.padLeft = p[1];
  l.padBottom = p[2];
  l.padRight = p[3];
}

std::string Importer::dynamicInput(int i, int k) const {
  const onnx::NodeProto& n = graph().node(i);
  if (k >= n.input_size() || n.input(k).empty()) {
    nodeFail(i, "input " + std::to_string(k) + " is missing");
  }
  if (!dynamic_.count(n.input(k))) {
    nodeFail(i, "input '" + printable(n.input(k)) +
                    "' must be an activation, not a constant (not supported)");
  }
  return resolve(n.input(k));
}

const onnx::TensorProto* Importer::constInput(int i, int k, bool optional) const {
  const onnx::NodeProto& n = graph().node(i);
  if (k >= n.input_size() || n.input(k).empty()) {
    if (optional) return nullptr;
    nodeFail(i, "input " + std::to_string(k) + " is missing");
  }
  auto it = consts_.find(n.input(k));
  if (it == consts_.end()) {
    nodeFail(i, "input '" + printable(n.input(k)) +
                    "' must be a constant (initializer); computed weights are not supported");
  }
  return it->second;
}

void Importer::checkStored(int i, const onnx::TensorProto& t, std::int64_t& numel) const {
  const std::string what = "tensor '" + printable(t.name()) + "'";
  if (t.data_location() == onnx::TensorProto::EXTERNAL || t.external_data_size() > 0) {
    nodeFail(i, what +
                    " uses external data (weights outside the model file), which is not "
                    "supported");
  }
  if (t.has_segment()) nodeFail(i, what + " is segmented, which is not supported");
  std::vector<std::int64_t> dims(t.dims().begin(), t.dims().end());
  numel = detail::numelOrFail(dims, where_ + ": node '" + label(i) + "': " + what);
  if (numel > kMaxWeightElements) nodeFail(i, what + " is too large");
}

std::vector<float> Importer::floats(int i, const onnx::TensorProto& t) const {
  const std::string what = "tensor '" + printable(t.name()) + "'";
  std::int64_t numel = 0;
  checkStored(i, t, numel);
  if (t.data_type() != kOnnxFloat) {
    nodeFail(i, what + " has ONNX data type " + std::to_string(t.data_type()) +
                    "; only float32 weights are supported");
  }
  if (t.int32_data_size() || t.int64_data_size() || t.double_data_size() || t.uint64_data_size() ||
      t.string_data_size()) {
    nodeFail(i, what + " stores float32 values outside float_data/raw_data");
  }
  const auto n = static_cast<std::size_t>(numel);
  std::vector<float> out(n);
  if (t.has_raw_data()) {
    if (t.float_data_size() || t.raw_data().size() != n * 4) {
      nodeFail(i, what + " has " + std::to_string(t.raw_data().size()) +
                      " bytes of raw_data, "
                      "expected " +
                      std::to_string(n * 4));
    }
    detail::DType dt;
    dt.name = "float32";
    detail::convertElements(reinterpret_cast<const std::uint8_t*>(t.raw_data().data()), n, dt,
                            out.data());
  } else {
    if (static_cast<std::size_t>(t.float_data_size()) != n) {
      nodeFail(i, what + " has " + std::to_string(t.float_data_size()) +
                      " values in float_data, expected " + std::to_string(n));
    }
    if (n) std::memcpy(out.data(), t.float_data().data(), n * sizeof(float));
  }
  return out;
}

std::vector<std::int64_t> Importer::int64s(int i, const onnx::TensorProto& t) const {
  const std::string what = "tensor '" + printable(t.name()) + "'";
  std::int64_t numel = 0;
  checkStored(i, t, numel);
  if (t.data_type() != kOnnxInt64) nodeFail(i, what + " must be int64");
  const auto n = static_cast<std::size_t>(numel);
  std::vector<std::int64_t> out(n);
  if (t.has_raw_data()) {
    if (t.int64_data_size() || t.raw_data().size() != n * 8) {
      nodeFail(i, what + " has a raw_data size that does not match its shape");
    }
    const auto* p = reinterpret_cast<const std::uint8_t*>(t.raw_data().data());
    for (std::size_t e = 0; e < n; ++e) {
      std::uint64_t u = 0;
      for (int b = 7; b >= 0; --b) u = (u << 8) | p[e * 8 + std::size_t(b)];
      out[e] = static_cast<std::int64_t>(u);
    }
  } else {
    if (static_cast<std::size_t>(t.int64_data_size()) != n) {
      nodeFail(i, what + " has a value count that does not match its shape");
    }
    std::copy(t.int64_data().begin(), t.int64_data().end(), out.begin());
  }
  return out;
}

RowMatrix toMatrix(const std::vector<float>& v, std::int64_t rows, std::int64_t cols) {
  RowMatrix m(rows, cols);
  if (!v.empty()) std::memcpy(m.data(), v.data(), v.size() * sizeof(float));
  return m;
}

Eigen::VectorXf toVector(const std::vector<float>& v) {
  return Eigen::Map<const Eigen::VectorXf>(v.data(), static_cast<Eigen::Index>(v.size()));
}

void Importer::convertNode(int i, Model& m) {
  const onnx::NodeProto& n = graph().node(i);
  const std::string& op = n.op_type();
  Layer l;
  l.name = n.name().empty() ? op + "_" + std::to_string(i) : n.name();
  while (!layerNames_.insert(l.name).second) l.name += "_";
  l.output = n.output(0);
  auto dims = [&](const onnx::TensorProto& t) {
    return std::vector<std::int64_t>(t.dims().begin(), t.dims().end());
  };
  auto maxInputs = [&](int k) {
    if (n.input_size() > k) nodeFail(i, "takes at most " + std::to_string(k) + " inputs");
  };
  if (op == "Identity" || op == "Dropout") {
    // Inference no-ops: the output names the same activation (Dropout's ratio is unused).
    allowAttributes(i, {"seed"});
    maxInputs(op == "Dropout" ? 2 : 1);
    if (n.input_size() == 2 && !n.input(1).empty()) constInput(i, 1, false);
    alias_[n.output(0)] = dynamicInput(i, 0);
    dynamic_.insert(n.output(0));
    return;
  }
  if (op == "Gemm") {
    allowAttributes(i, {"alpha", "beta", "transA", "transB"});
    maxInputs(3);
    for (const char* a : {"alpha", "beta"}) {
      const onnx::AttributeProto* p = attr(i, a);
      if (p && p->f() != 1.0f) nodeFail(i, std::string(a) + " other than 1 is not supported");
    }
    if (intAttr(i, "transA", 0, 0, 0) != 0) nodeFail(i, "transA is not supported");
    const bool transB = intAttr(i, "transB", 0, 0, 1) == 1;
    l.type = LayerType::Linear;
    l.inputs = {dynamicInput(i, 0)};
    const onnx::TensorProto& w = *constInput(i, 1, false);
    const std::vector<std::int64_t> wd = dims(w);
    if (wd.size() != 2) nodeFail(i, "weight must be 2-D");
    const RowMatrix b = toMatrix(floats(i, w), wd[0], wd[1]);
    l.weight = transB ? b : RowMatrix(b.transpose());
    if (const onnx::TensorProto* c = constInput(i, 2, true)) {
      const std::vector<float> bias = floats(i, *c);
      if (static_cast<Eigen::Index>(bias.size()) != l.weight.rows() || dims(*c).size() > 2) {
        nodeFail(i, "bias C must have one value per output (broadcasting is not supported)");
      }
      l.bias = toVector(bias);
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
    matmulOut_[l.output] = m.layers.size();
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
    windowAttributes(i, l, true);
    if (const onnx::TensorProto* b = constInput(i, 2, true)) {
      const std::vector<float> bias = floats(i, *b);
      if (static_cast<std::int64_t>(bias.size()) != wd[0] || dims(*b).size() != 1) {
        nodeFail(i, "bias must be [outC]");
      }
      l.bias = toVector(bias);
    }
  } else if (op == "Relu") {
    allowAttributes(i, {});
    maxInputs(1);
    l.type = LayerType::ReLU;
    l.inputs = {dynamicInput(i, 0)};
  } else if (op == "Clip") {
    allowAttributes(i, {});
    maxInputs(3);
    l.type = LayerType::Clip;
    l.inputs = {dynamicInput(i, 0)};
    for (int k : {1, 2}) {
      if (const onnx::TensorProto* t = constInput(i, k, true)) {
        const std::vector<float> v = floats(i, *t);
        if (v.size() != 1) nodeFail(i, "min and max must be scalars");
        (k == 1 ? l.clipMin : l.clipMax) = v[0];
      }
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
    l.type = isMax ? LayerType::MaxPool2d : LayerType::AvgPool2d;
    l.inputs = {dynamicInput(i, 0)};
    windowAttributes(i, l, false);
  } else if (op == "GlobalAveragePool") {
    allowAttributes(i, {});
    maxInputs(1);
    l.type = LayerType::GlobalAvgPool;
    l.inputs = {dynamicInput(i, 0)};
  } else if (op == "Flatten") {
    allowAttributes(i, {"axis"});
    maxInputs(1);
    intAttr(i, "axis", 1, 1, 1);
    l.type = LayerType::Flatten;
    l.inputs = {dynamicInput(i, 0)};
  } else if (op == "Reshape") {
    allowAttributes(i, {"allowzero"});
    maxInputs(2);
    const bool allowZero = intAttr(i, "allowzero", 0, 0, 1) == 1;
    l.type = LayerType::Flatten;
    l.inputs = {dynamicInput(i, 0)};
    const std::vector<std::int64_t> s = int64s(i, *constInput(i, 1, false));
    // Only [N, -1] (or its spelled-out forms [0, F], [-1, F]) keeps the batch intact.
    std::int64_t features = -1;
    const bool ok = s.size() == 2 && !allowZero &&
                    ((s[0] == 0 && (s[1] == -1 || s[1] >= 1)) || (s[0] == -1 && s[1] >= 1));
    if (!ok) nodeFail(i, "only a reshape to [N, -1] is supported");
    if (s[1] >= 1) features = s[1];
    reshapes_.emplace_back(m.layers.size(), features, i);
  } else if (op == "BatchNormalization") {
    allowAttributes(i, {"epsilon", "momentum", "training_mode"});
    maxInputs(5);
    intAttr(i, "training_mode", 0, 0, 0);
    l.type = LayerType::BatchNorm;
    l.inputs = {dynamicInput(i, 0)};
    Eigen::VectorXf* dst[] = {&l.gamma, &l.beta, &l.mean, &l.var};
    for (int k = 1; k <= 4; ++k) {
      const onnx::TensorProto& t = *constInput(i, k, false);
      if (dims(t).size() != 1) nodeFail(i, "scale, B, mean and var must be 1-D");
      *dst[k - 1] = toVector(floats(i, t));
    }
    if (const onnx::AttributeProto* e = attr(i, "epsilon")) l.epsilon = e->f();
  } else if (op == "Add") {
    allowAttributes(i, {});
    if (n.input_size() != 2) nodeFail(i, "needs two inputs");
    const bool c0 = consts_.count(n.input(0)) > 0, c1 = consts_.count(n.input(1)) > 0;
    if (c0 || c1) {
      // x @ W + b: the bias of a MatMul whose result is used by this Add only.
      const std::string x = dynamicInput(i, c0 ? 1 : 0);
      auto mm = matmulOut_.find(x);
      if (mm == matmulOut_.end() || uses_[x] != 1 || x != n.input(c0 ? 1 : 0) ||
          x == resolve(graph().output(0).name())) {
        nodeFail(i, "adding a constant is only supported as the bias of a MatMul");
      }
      Layer& lin = m.layers[mm->second];
      const onnx::TensorProto& t = *constInput(i, c0 ? 0 : 1, false);
      const std::vector<float> bias = floats(i, t);
      if (static_cast<Eigen::Index>(bias.size()) != lin.weight.rows() || dims(t).size() > 2) {
        nodeFail(i, "bias must have one value per output feature");
      }
      lin.bias = toVector(bias);
      lin.output = l.output;
      matmulOut_.erase(mm);
      dynamic_.insert(l.output);
      return;
    }
    l.type = LayerType::Add;
    l.inputs = {dynamicInput(i, 0), dynamicInput(i, 1)};
  } else if (op == "Softmax") {
    allowAttributes(i, {"axis"});
    maxInputs(1);
    const std::int64_t axis = intAttr(i, "axis", opset_ >= 13 ? -1 : 1, -1, 1);
    if (axis != 1 && axis != -1) nodeFail(i, "only the feature axis of [N, F] is supported");
    l.type = LayerType::Softmax;
    l.inputs = {dynamicInput(i, 0)};
  } else {
    nodeFail(i, "operator '" + printable(op) + "' is not supported");
  }
  dynamic_.insert(l.output);
  m.layers.push_back(std::move(l));
}

Model Importer::run() {
  checkOpset();
  collectConstants();
  Model m;
  readInput(m);
  const onnx::GraphProto& g = graph();
  if (g.output_size() != 1) fail("the graph must have exactly one output");
  const std::vector<int> order = topologicalOrder();
  for (const int i : order) convertNode(i, m);
  if (!dynamic_.count(g.output(0).name())) {
    fail("output '" + printable(g.output(0).name()) + "' is not computed by the graph");
  }
  m.output = resolve(g.output(0).name());
  try {
    m.finalize();
    for (const auto& [li, features, node] : reshapes_) {
      if (features >= 0 && m.layers[li].outShape[0] != features) {
        nodeFail(node, "reshape to " + std::to_string(features) + " features, but the input has " +
                           std::to_string(m.layers[li].outShape[0]));
      }
    }
    foldBatchNorms(m);
  } catch (const Error& e) {
    const std::string msg = e.what();
    if (msg.rfind(where_ + ": ", 0) == 0) throw;
    fail(msg);
  }
  return m;
}

}  // namespace

Model importOnnxModel(std::span<const std::uint8_t> bytes, const std::string& where) {
  Importer imp(bytes, where);
  return imp.run();
}

Model loadOnnxModel(const std::string& path) {
  detail::FileInput in(path);
  if (in.size() == 0) detail::fail(path, "file is empty");
  if (in.size() > static_cast<std::uint64_t>(INT_MAX)) {
    detail::fail(path, "model larger than protobuf's 2 GiB message limit");
  }
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(in.size()));
  in.readAt(0, bytes.data(), bytes.size());
  return importOnnxModel(bytes, path);
}
}  // namespace quant
