// SPDX-License-Identifier: GPL-3.0-or-later
// ONNX import of quant::Model (see model.h for what is supported). The ModelProto is parsed with
// the generated protobuf classes of libonnx-dev, as in io/onnx_tensors.cpp; weights are converted
// with the shared element conversion of tensorio_detail.h. Export is in onnx_export.cpp.
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <climits>
#include <cstring>
#include <deque>
#include <fstream>
#include <functional>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include "quant/io/tensorio_detail.h"
#include "onnx_importer.h"
#include "quant/nn/model.h"

namespace quant::detail {

namespace {

constexpr int kOnnxFloat = 1;
constexpr int kOnnxInt32 = 6;
constexpr int kOnnxInt64 = 7;
constexpr int kOnnxBool = 9;
// The largest single weight tensor accepted (1 GiB of float32); protobuf caps the file at 2 GiB.
constexpr std::int64_t kMaxWeightElements = std::int64_t{1} << 28;

}  // namespace

std::string printable(const std::string& s) {
  std::string out;
  for (unsigned char c : s.substr(0, 200)) out += (c < 0x20 || c == 0x7f) ? '?' : char(c);
  if (s.size() > 200) out += "...";
  return out;
}

OnnxImporter::OnnxImporter(std::span<const std::uint8_t> bytes, const std::string& where)
    : where_(where) {
  if (bytes.empty()) fail("file is empty");
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    fail("model larger than protobuf's 2 GiB message limit");
  }
  if (!proto_.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    fail("not a valid ONNX model (protobuf parse failed)");
  }
  if (!proto_.has_graph()) fail("not an ONNX model (no graph)");
}

std::string OnnxImporter::label(int i) const {
  const onnx::NodeProto& n = graph().node(i);
  return n.name().empty() ? "#" + std::to_string(i) : printable(n.name());
}

void OnnxImporter::nodeFail(int i, const std::string& what) const {
  fail("node '" + label(i) + "' (" + printable(graph().node(i).op_type()) + "): " + what);
}

void OnnxImporter::checkOpset() {
  for (const auto& o : proto_.opset_import()) {
    if (o.domain().empty() || o.domain() == "ai.onnx")
      opset_ = static_cast<int>(std::clamp<std::int64_t>(o.version(), 0, 1000));
  }
  if (opset_ < 11 || opset_ > 17) {
    fail("default-domain opset " + std::to_string(opset_) +
         " is not supported (opsets 11 to 17 are)");
  }
}

void OnnxImporter::collectConstants() {
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

void OnnxImporter::readInput(Model& m) {
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

std::vector<int> OnnxImporter::topologicalOrder() {
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

const onnx::AttributeProto* OnnxImporter::attr(int i, const char* name) const {
  for (const auto& a : graph().node(i).attribute()) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

void OnnxImporter::allowAttributes(int i, std::initializer_list<const char*> names) const {
  for (const auto& a : graph().node(i).attribute()) {
    if (std::none_of(names.begin(), names.end(), [&](const char* n) { return a.name() == n; })) {
      nodeFail(i, "unsupported attribute '" + printable(a.name()) + "'");
    }
  }
}

std::int64_t OnnxImporter::intAttr(int i, const char* name, std::int64_t def, std::int64_t lo,
                               std::int64_t hi) const {
  const onnx::AttributeProto* a = attr(i, name);
  if (!a) return def;
  if (a->type() != onnx::AttributeProto::INT) nodeFail(i, std::string(name) + " must be an int");
  if (a->i() < lo || a->i() > hi) {
    nodeFail(i, std::string(name) + " = " + std::to_string(a->i()) + " is not supported");
  }
  return a->i();
}

std::vector<int> OnnxImporter::intsAttr(int i, const char* name, std::vector<int> def,
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

void OnnxImporter::windowAttributes(int i, Layer& l, bool conv,
                                    const std::vector<std::int64_t>& in) const {
  constexpr int kMax = 1 << 16;
  if (in.size() != 3) nodeFail(i, "needs an input of shape [N, C, H, W] (2-D windows only)");
  std::string autoPad = "NOTSET";
  if (const onnx::AttributeProto* a = attr(i, "auto_pad")) autoPad = a->s();
  if (autoPad != "NOTSET" && autoPad != "VALID" && autoPad != "SAME_UPPER" &&
      autoPad != "SAME_LOWER") {
    nodeFail(i, "auto_pad " + printable(autoPad) +
                    " is not supported (NOTSET, VALID, SAME_UPPER, SAME_LOWER are)");
  }
  const std::vector<int> dil = intsAttr(i, "dilations", {1, 1}, 2, INT_MIN, INT_MAX);
  if (dil != std::vector<int>{1, 1}) nodeFail(i, "dilations other than 1 are not supported");
  const bool ceil = intAttr(i, "ceil_mode", 0, 0, 1) == 1;
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
  if (autoPad != "NOTSET") p = {0, 0, 0, 0};
  for (int d = 0; d < 2 && autoPad.rfind("SAME", 0) == 0; ++d) {
    // ONNX SAME: output ceil(in / stride), the odd padding at the end (UPPER) or start (LOWER).
    const std::int64_t size = in[std::size_t(d) + 1], out = (size + s[d] - 1) / s[d];
    const std::int64_t total = std::max<std::int64_t>(0, (out - 1) * s[d] + k[d] - size);
    if (total > kMax) nodeFail(i, "SAME padding larger than 65536");
    const int small = int(total / 2), large = int(total - total / 2);
    p[d] = autoPad == "SAME_UPPER" ? small : large;
    p[d + 2] = autoPad == "SAME_UPPER" ? large : small;
  }
  for (int d = 0; d < 2 && ceil; ++d) {
    // ceil_mode: a last window that starts inside the input or its leading padding is kept; it
    // becomes extra padding at the end, which neither max nor a divisor of real positions sees.
    const std::int64_t size = in[std::size_t(d) + 1], padded = size + p[d] + p[d + 2];
    if (padded < k[d]) break;
    std::int64_t out = (padded - k[d] + s[d] - 1) / s[d] + 1;
    if ((out - 1) * s[d] >= size + p[d]) --out;
    const std::int64_t extra = (out - 1) * s[d] + k[d] - padded;
    if (extra <= 0) continue;
    if (l.countIncludePad) {
      nodeFail(i, "ceil_mode with count_include_pad 1 is not supported when it adds a window");
    }
    p[d + 2] += int(extra);
  }
  l.padTop = p[0];
  l.padLeft = p[1];
  l.padBottom = p[2];
  l.padRight = p[3];
}

std::string OnnxImporter::dynamicInput(int i, int k) const {
  const onnx::NodeProto& n = graph().node(i);
  if (k >= n.input_size() || n.input(k).empty()) {
    nodeFail(i, "input " + std::to_string(k) + " is missing");
  }
  if (!dynamic_.count(n.input(k))) {
    nodeFail(i, "input '" + printable(n.input(k)) +
                    "' must be an activation, not a constant (not supported)");
  }
  const std::string& op = n.op_type();
  if (auto v = views_.find(n.input(k)); v != views_.end() && op != "Reshape" && op != "Squeeze" &&
                                        op != "Unsqueeze" && op != "Flatten") {
    std::string shape;
    for (const std::int64_t d : v->second) shape += (shape.empty() ? "" : ", ") + std::to_string(d);
    nodeFail(i, "input '" + printable(n.input(k)) + "' has shape [" + shape +
                    "] per sample; layers take [F] or [C, H, W] (reshape it first)");
  }
  return resolve(n.input(k));
}

const onnx::TensorProto* OnnxImporter::constInput(int i, int k, bool optional) const {
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

void OnnxImporter::checkStored(int i, const onnx::TensorProto& t, std::int64_t& numel) const {
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

std::vector<float> OnnxImporter::floats(int i, const onnx::TensorProto& t) const {
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

std::vector<std::int64_t> OnnxImporter::int64s(int i, const onnx::TensorProto& t) const {
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

float OnnxImporter::floatAttr(int i, const char* name, float def) const {
  const onnx::AttributeProto* a = attr(i, name);
  if (!a) return def;
  if (a->type() != onnx::AttributeProto::FLOAT || !std::isfinite(a->f())) {
    nodeFail(i, std::string(name) + " must be a finite float");
  }
  return a->f();
}

bool OnnxImporter::isConst(int i, int k) const {
  const onnx::NodeProto& n = graph().node(i);
  return k < n.input_size() && consts_.count(n.input(k)) > 0;
}

ConstTensor OnnxImporter::constTensor(int i, const onnx::TensorProto& t) const {
  ConstTensor c;
  c.dims.assign(t.dims().begin(), t.dims().end());
  if (t.data_type() == kOnnxFloat) {
    c.f = floats(i, t);
  } else if (t.data_type() == kOnnxInt64) {
    c.kind = ConstTensor::Kind::Int;
    c.i = int64s(i, t);
  } else if (t.data_type() == kOnnxInt32 || t.data_type() == kOnnxBool) {
    std::int64_t numel = 0;
    checkStored(i, t, numel);
    c.kind = t.data_type() == kOnnxBool ? ConstTensor::Kind::Bool : ConstTensor::Kind::Int;
    const std::size_t bytes = t.data_type() == kOnnxBool ? 1 : 4;
    if (t.has_raw_data()) {
      if (t.raw_data().size() != std::size_t(numel) * bytes) {
        nodeFail(i, "tensor '" + printable(t.name()) + "' has a raw_data size that does not "
                                                         "match its shape");
      }
      for (std::int64_t e = 0; e < numel; ++e) {
        std::uint32_t u = 0;
        for (std::size_t b = bytes; b-- > 0;) {
          u = (u << 8) | std::uint8_t(t.raw_data()[std::size_t(e) * bytes + b]);
        }
        c.i.push_back(bytes == 1 ? u != 0 : std::int64_t(std::int32_t(u)));
      }
    } else {
      if (t.int32_data_size() != numel) {
        nodeFail(i, "tensor '" + printable(t.name()) + "' has a value count that does not "
                                                         "match its shape");
      }
      for (const std::int32_t v : t.int32_data()) c.i.push_back(bytes == 1 ? v != 0 : v);
    }
  } else {
    nodeFail(i, "constant '" + printable(t.name()) + "' has ONNX data type " +
                    std::to_string(t.data_type()) + " (float32, int64, int32 and bool are read)");
  }
  return c;
}

std::vector<std::int64_t> OnnxImporter::shapeOf(int i, const std::string& tensor, const Model& m) {
  if (auto v = views_.find(tensor); v != views_.end()) return v->second;
  if (tensor == m.input) return m.inputShape;
  if (shapesFor_ != m.layers.size()) {
    Model c;
    c.input = m.input;
    c.inputShape = m.inputShape;
    c.layers = m.layers;
    try {
      c.finalize();
    } catch (const Error& e) {
      fail(e.what());
    }
    shapes_.clear();
    for (const Layer& l : c.layers) shapes_[l.output] = l.outShape;
    shapesFor_ = m.layers.size();
  }
  auto it = shapes_.find(tensor);
  if (it == shapes_.end()) nodeFail(i, "the shape of '" + printable(tensor) + "' is not known");
  return it->second;
}

std::vector<float> OnnxImporter::channelConstant(int i, const onnx::TensorProto& t,
                                                 const std::vector<std::int64_t>& x) const {
  const std::vector<float> v = floats(i, t);
  if (v.size() == 1 && static_cast<std::size_t>(t.dims_size()) <= x.size() + 1) return v;
  const std::size_t rank = x.size() + 1;
  bool ok = !v.empty() && static_cast<std::size_t>(t.dims_size()) <= rank;
  for (int j = 0; ok && j < t.dims_size(); ++j) {
    const std::size_t axis = rank - std::size_t(t.dims_size()) + std::size_t(j);
    ok = t.dims(j) == 1 || (axis == 1 && t.dims(j) == x[0]);
  }
  if (!ok) {
    nodeFail(i, "constant '" + printable(t.name()) +
                    "' must broadcast as one value or one value per channel ([C, 1, 1] for "
                    "images, [F] for feature vectors)");
  }
  return v;
}

std::string OnnxImporter::newLayerName(const std::string& base) {
  std::string name = base;
  while (!layerNames_.insert(name).second) name += "_";
  return name;
}

bool OnnxImporter::foldNode(int i, Model& m) {
  const onnx::NodeProto& n = graph().node(i);
  if (!isFoldableOp(n.op_type())) return false;
  ConstTensor out;
  if (n.op_type() == "Shape" && n.input_size() == 1 && dynamic_.count(n.input(0))) {
    // The batch dimension becomes the placeholder; the per-sample dimensions are known.
    allowAttributes(i, {"start", "end"});
    std::vector<std::int64_t> dims = shapeOf(i, resolve(n.input(0)), m);
    dims.insert(dims.begin(), kBatchDim);
    const auto r = static_cast<std::int64_t>(dims.size());
    auto bound = [&](std::int64_t v) { return std::clamp(v < 0 ? v + r : v, std::int64_t{0}, r); };
    const std::int64_t b = bound(intAttr(i, "start", 0, INT64_MIN, INT64_MAX));
    const std::int64_t e = bound(intAttr(i, "end", r, INT64_MIN, INT64_MAX));
    out.kind = ConstTensor::Kind::Int;
    if (b < e) out.i.assign(dims.begin() + b, dims.begin() + e);
    out.dims = {std::int64_t(out.i.size())};
  } else {
    std::vector<ConstTensor> store;
    store.reserve(std::size_t(n.input_size()));
    std::vector<const ConstTensor*> in;
    for (int k = 0; k < n.input_size(); ++k) {
      if (n.input(k).empty()) {
        in.push_back(nullptr);
        continue;
      }
      if (!isConst(i, k)) return false;
      in.push_back(&store.emplace_back(constTensor(i, *consts_.at(n.input(k)))));
    }
    out = foldConstantNode(n, in, [&](const std::string& what) { nodeFail(i, what); });
  }
  onnx::TensorProto& t = synthetic_.emplace_back();
  t.set_name(n.output(0));
  for (const std::int64_t d : out.dims) t.add_dims(d);
  if (out.kind == ConstTensor::Kind::Float) {
    t.set_data_type(kOnnxFloat);
    *t.mutable_float_data() = {out.f.begin(), out.f.end()};
  } else if (out.kind == ConstTensor::Kind::Int) {
    t.set_data_type(kOnnxInt64);
    *t.mutable_int64_data() = {out.i.begin(), out.i.end()};
  } else {
    t.set_data_type(kOnnxBool);
    for (const std::int64_t v : out.i) t.add_int32_data(v != 0);
  }
  consts_[n.output(0)] = &t;
  return true;
}

void OnnxImporter::foldZeroPads(Model& m) {
  for (std::size_t p = 0; p < m.layers.size();) {
    const Layer pad = m.layers[p];
    Layer* next = nullptr;
    int uses = 0;
    for (Layer& l : m.layers) {
      for (const std::string& in : l.inputs) {
        if (in == pad.output) ++uses, next = &l;
      }
    }
    bool fold = pad.type == LayerType::Pad && pad.padValue == 0.0f && uses == 1 &&
                pad.output != m.output && next->inputs.size() == 1;
    if (fold && next->type == LayerType::AvgPool2d) {
      // Zeros added by Pad count in the divisor; the pool's own padding must then count too.
      const bool ownPads = next->padTop || next->padLeft || next->padBottom || next->padRight;
      fold = (!ownPads || next->countIncludePad) && next->padTop + pad.padTop < next->kernelH &&
             next->padBottom + pad.padBottom < next->kernelH &&
             next->padLeft + pad.padLeft < next->kernelW &&
             next->padRight + pad.padRight < next->kernelW;
    } else if (fold) {
      fold = next->type == LayerType::Conv2d;
    }
    if (!fold) {
      ++p;
      continue;
    }
    next->padTop += pad.padTop;
    next->padLeft += pad.padLeft;
    next->padBottom += pad.padBottom;
    next->padRight += pad.padRight;
    if (next->type == LayerType::AvgPool2d) next->countIncludePad = true;
    next->inputs[0] = pad.inputs[0];
    m.layers.erase(m.layers.begin() + std::ptrdiff_t(p));
  }
}

Model OnnxImporter::run() {
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
    foldBatchNormsWherePossible(m);
    foldZeroPads(m);
    m.finalize();
  } catch (const Error& e) {
    const std::string msg = e.what();
    if (msg.rfind(where_ + ": ", 0) == 0) throw;
    fail(msg);
  }
  return m;
}

}  // namespace quant::detail

namespace quant {

Model importOnnxModel(std::span<const std::uint8_t> bytes, const std::string& where) {
  detail::OnnxImporter imp(bytes, where);
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
