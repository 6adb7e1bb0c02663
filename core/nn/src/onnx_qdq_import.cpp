// SPDX-License-Identifier: GPL-3.0-or-later
// Import of quantized ONNX graphs (QDQ and QOperator; see onnxqdq.h). The graph is rewritten into
// a float graph, with every constant DequantizeLinear folded into a float initializer and every
// QuantizeLinear/DequantizeLinear pair on an activation removed, while the scales, zero points and
// integer codes are kept aside; the float graph goes through the float importer (onnx_import.cpp)
// and the Int8Model is assembled from it with the kept numbers by the same layer walk as
// quantizeModel (int8internal.h).
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "int8internal.h"
#include "onnx_qdq_internal.h"
#include "quant/nn/onnxqdq.h"

namespace quant {

using detail::Const;
using detail::printable;
using detail::typeName;
using namespace detail::onnx_type;

namespace {

// An int8 tensor of the file: the float tensor that carries its real values in the rewritten
// graph, and its parameters in the int8 domain (uint8 shifted by -128).
struct Act {
  std::string real;
  ScaleZeroPoint p;
};

// Integer codes behind a folded DequantizeLinear (or QLinear* / *Integer weight): per-axis
// scales and zero points (one value: per tensor).
struct Codes {
  int type = 0;
  std::vector<std::int64_t> dims;
  std::vector<double> q;
  std::vector<float> scales;
  std::vector<double> zeros;
  int axis = 0;
};

// An int32 result of MatMulInteger / ConvInteger waiting for its Cast and Mul.
struct IntegerResult {
  int node = 0;
  Act input;
  Codes weight;
  bool cast = false;
};

class QuantizedImporter {
 public:
  QuantizedImporter(std::span<const std::uint8_t> bytes, const std::string& where) : where_(where) {
    if (bytes.empty()) fail("file is empty");
    if (bytes.size() > static_cast<std::size_t>(INT_MAX))
      fail("model larger than protobuf's 2 GiB message limit");
    if (!in_.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
      fail("not a valid ONNX model (protobuf parse failed)");
    if (!in_.has_graph()) fail("not an ONNX model (no graph)");
  }

  QuantizedOnnxModel run();

 private:
  [[noreturn]] void fail(const std::string& what) const { throw Error(where_ + ": " + what); }
  [[noreturn]] void nodeFail(const std::string& what) const {
    const onnx::NodeProto& n = g().node(cur_);
    fail("node '" + nodeName(cur_) + "' (" + printable(n.op_type()) + "): " + what);
  }
  const onnx::GraphProto& g() const { return in_.graph(); }
  std::string nodeName(int i) const {
    const onnx::NodeProto& n = g().node(i);
    return n.name().empty() ? printable(n.op_type()) + "_" + std::to_string(i)
                            : printable(n.name());
  }

  Const readTensor(const onnx::TensorProto& t) const { return detail::readConstTensor(t, where_); }
  const Const* constant(const std::string& name) const {
    const auto f = consts_.find(name);
    return f == consts_.end() ? nullptr : &f->second;
  }
  const std::string& input(int k) const;
  const Const& constInput(int k, const char* what) const;
  std::vector<float> scales(int k, const char* what) const;
  Const zeroPoints(int k, int dataType, std::size_t count, const char* what) const;
  ScaleZeroPoint activationParams(int ks, int kz, const char* which) const;
  Codes codes(const Const& q, const std::vector<float>& s, const Const& z, int axis) const;
  std::string fold(const Codes& c, const std::string& base);
  const Act& quantizedInput(int k) const;
  void checkSameParams(const Act& a, const ScaleZeroPoint& p, const char* what) const;
  void record(const Act& a);
  std::string real(const std::string& name) const {
    const auto f = rename_.find(name);
    return f == rename_.end() ? name : f->second;
  }
  onnx::NodeProto& emit(const std::string& op, const std::vector<std::string>& inputs,
                        const std::string& output);

  void quantizeLinear();
  void dequantizeLinear();
  void qlinear(bool conv);
  void integer(bool conv);
  void floatNode();
  void fillWeights(const Layer& l, Int8Layer& q) const;
  void checkPassThrough(const Int8Model& m) const;

  std::string where_;
  onnx::ModelProto in_;
  int cur_ = 0;  // the node being converted
  std::unordered_map<std::string, Const> consts_;
  std::unordered_map<std::string, Act> quantized_;          // int8 tensor -> its real twin
  std::unordered_map<std::string, std::string> rename_;     // DequantizeLinear output -> real
  std::unordered_map<std::string, ScaleZeroPoint> params_;  // real tensor -> its parameters
  std::unordered_map<std::string, Codes> folded_;           // folded float initializer -> codes
  std::unordered_map<std::string, IntegerResult> integer_;  // pending int32 results
  std::unordered_set<std::string> defined_;                 // dynamic tensors so far
  std::vector<onnx::NodeProto> nodes_;                      // the float graph
  std::vector<onnx::TensorProto> inits_;                    // its new initializers
  std::unordered_set<std::string> names_;                   // tensor names
  std::unordered_set<std::string> nodeNames_;               // of the float graph's nodes
  std::unordered_map<std::string, std::size_t> nodeOf_;     // float node name -> its index
  onnx::ModelProto float_;                                  // the rewritten float graph
};

const std::string& QuantizedImporter::input(int k) const {
  const onnx::NodeProto& n = g().node(cur_);
  if (k >= n.input_size() || n.input(k).empty())
    nodeFail("input " + std::to_string(k) + " is missing");
  return n.input(k);
}

const Const& QuantizedImporter::constInput(int k, const char* what) const {
  const onnx::NodeProto& n = g().node(cur_);
  if (k >= n.input_size() || n.input(k).empty()) nodeFail(std::string(what) + " is missing");
  const Const* c = constant(n.input(k));
  if (c == nullptr)
    nodeFail(std::string(what) + " '" + printable(n.input(k)) + "' is not a constant");
  return *c;
}

std::vector<float> QuantizedImporter::scales(int k, const char* what) const {
  const Const& c = constInput(k, what);
  if (c.type != kFloat) nodeFail(std::string(what) + " is " + typeName(c.type) + ", not float");
  if (c.v.empty()) nodeFail(std::string(what) + " is empty");
  std::vector<float> s(c.v.begin(), c.v.end());
  for (const float x : s)
    if (!(x > 0.0f) || !std::isfinite(x))
      nodeFail(std::string(what) + " " + std::to_string(x) + " is not a positive finite number");
  return s;
}

// Zero points for a tensor of ONNX type dataType (the file's own, or ONNX's default 0 of that
// type when absent); their type must be the data's.
Const QuantizedImporter::zeroPoints(int k, int dataType, std::size_t count,
                                    const char* what) const {
  const onnx::NodeProto& n = g().node(cur_);
  if (k >= n.input_size() || n.input(k).empty()) {
    Const z;
    z.type = dataType;
    z.v.assign(count, 0.0);
    return z;
  }
  const Const& z = constInput(k, what);
  if (z.type != dataType)
    nodeFail(std::string(what) + " is " + typeName(z.type) + "; the quantized data is " +
             typeName(dataType));
  if (z.v.size() != count)
    nodeFail(std::string(what) + " has " + std::to_string(z.v.size()) + " values, the scale " +
             std::to_string(count));
  return z;
}

// Per-tensor activation parameters from a (scale, zero point) input pair; `which` ("", "input ",
// "output ") starts the messages.
ScaleZeroPoint QuantizedImporter::activationParams(int ks, int kz, const char* which) const {
  const std::string scale = std::string(which) + "scale", zero = std::string(which) + "zero point";
  const std::vector<float> s = scales(ks, scale.c_str());
  if (s.size() != 1)
    nodeFail("per-channel activation scales (" + std::to_string(s.size()) +
             " values) are not supported: the int8 engine quantizes activations per tensor");
  const onnx::NodeProto& n = g().node(cur_);
  int type = kUint8;  // ONNX's default zero point
  if (kz < n.input_size() && !n.input(kz).empty()) {
    type = constInput(kz, zero.c_str()).type;
    if (type != kInt8 && type != kUint8)
      nodeFail("activation " + zero + " is " + typeName(type) + "; int8 or uint8 expected");
  }
  const Const z = zeroPoints(kz, type, 1, zero.c_str());
  return {s[0], static_cast<std::int32_t>(z.v[0]) - (type == kUint8 ? 128 : 0)};
}

Codes QuantizedImporter::codes(const Const& q, const std::vector<float>& s, const Const& z,
                               int axis) const {
  Codes c;
  c.type = q.type;
  c.dims = q.dims;
  c.q = q.v;
  c.scales = s;
  c.zeros = z.v;
  const auto rank = static_cast<int>(q.dims.size());
  c.axis = axis < 0 ? axis + rank : axis;
  if (s.size() > 1 &&
      (c.axis < 0 || c.axis >= rank ||
       q.dims[static_cast<std::size_t>(c.axis)] != static_cast<std::int64_t>(s.size())))
    nodeFail(std::to_string(s.size()) + " scales do not match axis " + std::to_string(axis) +
             " of the quantized tensor");
  return c;
}

// A float initializer holding (q - z) * s (float32 arithmetic, as DequantizeLinear defines it).
std::string QuantizedImporter::fold(const Codes& c, const std::string& base) {
  std::string name = base;
  while (!names_.insert(name).second) name += "_";
  std::int64_t inner = 1;
  for (std::size_t d = static_cast<std::size_t>(c.axis) + 1; d < c.dims.size(); ++d)
    inner *= c.dims[d];
  const std::int64_t channels = c.scales.size() > 1 ? c.dims[static_cast<std::size_t>(c.axis)] : 1;
  onnx::TensorProto& t = inits_.emplace_back();
  t.set_name(name);
  t.set_data_type(kFloat);
  for (const std::int64_t d : c.dims) t.add_dims(d);
  for (std::size_t i = 0; i < c.q.size(); ++i) {
    const auto ch = static_cast<std::size_t>((static_cast<std::int64_t>(i) / inner) % channels);
    t.add_float_data(static_cast<float>(c.q[i] - c.zeros[ch]) * c.scales[ch]);
  }
  folded_[name] = c;
  return name;
}

const Act& QuantizedImporter::quantizedInput(int k) const {
  const std::string& name = input(k);
  const auto f = quantized_.find(name);
  if (f == quantized_.end())
    nodeFail("input '" + printable(name) + "' is not a quantized tensor of this graph");
  return f->second;
}

void QuantizedImporter::checkSameParams(const Act& a, const ScaleZeroPoint& p,
                                        const char* what) const {
  if (a.p.scale != p.scale || a.p.zeroPoint != p.zeroPoint)
    nodeFail(std::string(what) + " (scale " + std::to_string(p.scale) + ", zero point " +
             std::to_string(p.zeroPoint) + ") differ from those the tensor was quantized with (" +
             std::to_string(a.p.scale) + ", " + std::to_string(a.p.zeroPoint) + ")");
}

void QuantizedImporter::record(const Act& a) {
  const auto [it, added] = params_.emplace(a.real, a.p);
  if (!added && (it->second.scale != a.p.scale || it->second.zeroPoint != a.p.zeroPoint))
    nodeFail("tensor '" + printable(a.real) + "' is quantized twice with different parameters");
}

onnx::NodeProto& QuantizedImporter::emit(const std::string& op,
                                         const std::vector<std::string>& inputs,
                                         const std::string& output) {
  const onnx::NodeProto& src = g().node(cur_);
  onnx::NodeProto& n = nodes_.emplace_back();
  n.set_op_type(op);
  std::string name = src.name().empty() ? op + "_" + std::to_string(cur_) : src.name();
  while (!nodeNames_.insert(name).second) name += "_";
  n.set_name(name);
  for (const std::string& in : inputs) n.add_input(in);
  n.add_output(output);
  return n;
}

void QuantizedImporter::quantizeLinear() {
  const onnx::NodeProto& n = g().node(cur_);
  const std::string& x = input(0);
  if (const Const* c = constant(x)) {
    // A float constant quantized in the file (torch's export of fake-quantized weights): its
    // codes become a constant for the DequantizeLinear that follows.
    if (c->type != kFloat) nodeFail("input '" + printable(x) + "' is not float");
    const std::vector<float> s = scales(1, "scale");
    const int type =
        n.input_size() > 2 && !n.input(2).empty() ? constInput(2, "zero point").type : kUint8;
    if (type != kInt8 && type != kUint8)
      nodeFail("zero point is " + typeName(type) + "; int8 or uint8 expected");
    const Const z = zeroPoints(2, type, s.size(), "zero point");
    std::int64_t axis = 1;
    for (const auto& a : n.attribute())
      if (a.name() == "axis") axis = a.i();
    const Codes frame = codes(*c, s, z, static_cast<int>(axis));
    Const q;
    q.type = type;
    q.dims = c->dims;
    q.v.resize(c->v.size());
    std::int64_t inner = 1;
    for (std::size_t d = static_cast<std::size_t>(frame.axis) + 1; d < c->dims.size(); ++d)
      inner *= c->dims[d];
    const std::int64_t channels = s.size() > 1 ? c->dims[static_cast<std::size_t>(frame.axis)] : 1;
    const double lo = type == kInt8 ? -128 : 0, hi = type == kInt8 ? 127 : 255;
    for (std::size_t i = 0; i < q.v.size(); ++i) {
      const auto ch = static_cast<std::size_t>((static_cast<std::int64_t>(i) / inner) % channels);
      const double v = std::nearbyint(static_cast<float>(c->v[i]) / s[ch]) + z.v[ch];
      q.v[i] = std::clamp(v, lo, hi);
    }
    consts_[n.output(0)] = std::move(q);
    return;
  }
  if (!defined_.count(x) || quantized_.count(x) || integer_.count(x))
    nodeFail("input '" + printable(x) + "' is not a float tensor defined before");
  const Act a{real(x), activationParams(1, 2, "")};
  record(a);
  quantized_[n.output(0)] = a;
  defined_.insert(n.output(0));
}

void QuantizedImporter::dequantizeLinear() {
  const onnx::NodeProto& n = g().node(cur_);
  const std::string& x = input(0);
  if (const Const* c = constant(x)) {
    if (c->type != kInt8 && c->type != kUint8 && c->type != kInt32)
      nodeFail("input '" + printable(x) + "' is " + typeName(c->type) +
               "; int8, uint8 or int32 expected");
    const std::vector<float> s = scales(1, "scale");
    std::int64_t axis = 1;
    for (const auto& a : n.attribute())
      if (a.name() == "axis") axis = a.i();
    const Const z = zeroPoints(2, c->type, s.size(), "zero point");
    const std::string name = fold(codes(*c, s, z, static_cast<int>(axis)), n.output(0));
    rename_[n.output(0)] = name;
    return;
  }
  const Act a = quantizedInput(0);
  checkSameParams(a, activationParams(1, 2, ""), "scale and zero point");
  rename_[n.output(0)] = a.real;
  defined_.insert(n.output(0));
}

// QLinearConv (x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, B) and QLinearMatMul (a, a_scale,
// a_zp, b, b_scale, b_zp, y_scale, y_zp): the float operator on dequantized weights.
void QuantizedImporter::qlinear(bool conv) {
  const onnx::NodeProto& n = g().node(cur_);
  const Act x = quantizedInput(0);
  checkSameParams(x, activationParams(1, 2, "input "), "input scale and zero point");
  const Const& w = constInput(3, "weight");
  if (w.type != kInt8 && w.type != kUint8)
    nodeFail("weight is " + typeName(w.type) + "; int8 or uint8 expected");
  const std::vector<float> ws = scales(4, "weight scale");
  const Const wz = zeroPoints(5, w.type, ws.size(), "weight zero point");
  const std::string base = nodeName(cur_);
  std::vector<std::string> inputs = {
      x.real,
      fold(codes(w, ws, wz, conv ? 0 : static_cast<int>(w.dims.size()) - 1), base + ".weight")};
  if (conv && n.input_size() > 8 && !n.input(8).empty()) {
    const Const& b = constInput(8, "bias");
    if (b.type != kInt32) nodeFail("bias is " + typeName(b.type) + "; int32 expected");
    // The bias scale is x_scale * w_scale (ONNX QLinearConv), rounded to float32.
    std::vector<float> bs(ws.size());
    for (std::size_t o = 0; o < ws.size(); ++o) bs[o] = x.p.scale * ws[o];
    Const bz;
    bz.type = kInt32;
    bz.v.assign(ws.size(), 0.0);
    inputs.push_back(fold(codes(b, bs, bz, 0), base + ".bias"));
  }
  onnx::NodeProto& f = emit(conv ? "Conv" : "MatMul", inputs, n.output(0));
  if (conv)
    for (const auto& a : n.attribute()) *f.add_attribute() = a;
  const Act y{n.output(0), activationParams(6, 7, "output ")};
  record(y);
  quantized_[n.output(0)] = y;
  defined_.insert(n.output(0));
}

// MatMulInteger (A, B, a_zp, b_zp) / ConvInteger (x, w, x_zp, w_zp): kept until the Cast to float
// and the Mul by a constant that give the real result.
void QuantizedImporter::integer(bool conv) {
  const onnx::NodeProto& n = g().node(cur_);
  const std::string& a = input(0);
  const auto f = quantized_.find(a);
  if (f == quantized_.end())
    nodeFail("input '" + printable(a) + "' is not quantized by a QuantizeLinear of this graph" +
             " (dynamic quantization keeps no activation scale in the file)");
  if (n.input_size() > 2 && !n.input(2).empty()) {
    const Const& az = constInput(2, "input zero point");
    const int shift = az.type == kUint8 ? 128 : 0;
    if (az.v.size() != 1 || static_cast<std::int32_t>(az.v[0]) - shift != f->second.p.zeroPoint)
      nodeFail("input zero point differs from the one the input was quantized with");
  }
  const Const& w = constInput(1, "weight");
  if (w.type != kInt8 && w.type != kUint8)
    nodeFail("weight is " + typeName(w.type) + "; int8 or uint8 expected");
  if (w.dims.size() != (conv ? 4u : 2u))
    nodeFail("weight has rank " + std::to_string(w.dims.size()) + ", expected " +
             (conv ? "4" : "2"));
  const int axis = conv ? 0 : 1;
  const auto channels = static_cast<std::size_t>(w.dims[static_cast<std::size_t>(axis)]);
  const onnx::NodeProto& node = g().node(cur_);
  std::size_t zcount = 1;
  if (node.input_size() > 3 && !node.input(3).empty())
    zcount = constInput(3, "weight zero point").v.size();
  const Const wz = zeroPoints(3, w.type, zcount, "weight zero point");
  IntegerResult r;
  r.node = cur_;
  r.input = f->second;
  r.weight = codes(w, std::vector<float>(zcount == 1 ? 1 : channels, 1.0f), wz, axis);
  integer_[n.output(0)] = r;
}

void QuantizedImporter::floatNode() {
  const onnx::NodeProto& n = g().node(cur_);
  const std::string& op = n.op_type();
  // The Cast and Mul that turn a MatMulInteger / ConvInteger result into real values.
  if (n.input_size() >= 1) {
    const int k = op == "Mul" && n.input_size() == 2 && integer_.count(n.input(1)) ? 1 : 0;
    const auto f = integer_.find(n.input(k));
    if (f != integer_.end()) {
      IntegerResult r = f->second;
      const onnx::NodeProto& src = g().node(r.node);
      if (op == "Cast" && !r.cast) {
        for (const auto& a : n.attribute())
          if (a.name() == "to" && a.i() != kFloat) nodeFail("casts the int32 result to non-float");
        r.cast = true;
        integer_[n.output(0)] = r;
        return;
      }
      if (op != "Mul" || !r.cast || n.input_size() != 2)
        nodeFail("reads the int32 result of '" + printable(src.name()) +
                 "'; only Cast to float then Mul by a constant scale is supported");
      const std::vector<float> c = scales(1 - k, "result scale");
      const std::size_t channels =
          static_cast<std::size_t>(r.weight.dims[static_cast<std::size_t>(r.weight.axis)]);
      if (c.size() != 1 && c.size() != channels)
        nodeFail("result scale has " + std::to_string(c.size()) + " values, not 1 or " +
                 std::to_string(channels));
      // acc * c = real result, so the weight scale is c / s_in.
      r.weight.scales.resize(c.size());
      if (r.weight.zeros.size() != 1 && c.size() == 1) r.weight.scales.assign(channels, c[0]);
      for (std::size_t o = 0; o < r.weight.scales.size(); ++o)
        r.weight.scales[o] =
            static_cast<float>(double(c.size() == 1 ? c[0] : c[o]) / double(r.input.p.scale));
      if (r.weight.zeros.size() == 1 && r.weight.scales.size() > 1)
        r.weight.zeros.assign(r.weight.scales.size(), r.weight.zeros[0]);
      const int saved = cur_;
      cur_ = r.node;
      const std::string w = fold(r.weight, nodeName(r.node) + ".weight");
      onnx::NodeProto& f2 =
          emit(src.op_type() == "ConvInteger" ? "Conv" : "MatMul", {r.input.real, w}, n.output(0));
      if (src.op_type() == "ConvInteger")
        for (const auto& a : src.attribute()) *f2.add_attribute() = a;
      cur_ = saved;
      defined_.insert(n.output(0));
      return;
    }
  }
  std::vector<std::string> inputs;
  bool quantizedIn = false;
  Act passed;
  for (const std::string& in : n.input()) {
    if (integer_.count(in)) nodeFail("reads the int32 result '" + printable(in) + "'");
    const auto q = quantized_.find(in);
    if (q != quantized_.end()) {
      // QOperator graphs move int8 tensors through operators that only reorder or select values;
      // anything else must dequantize first.
      static const std::unordered_set<std::string> reorder = {
          "MaxPool", "Flatten", "Reshape", "Identity", "Squeeze", "Unsqueeze", "Transpose"};
      if (!reorder.count(op))
        nodeFail("reads the quantized tensor '" + printable(in) +
                 "' directly; dequantize it first");
      quantizedIn = true;
      passed = q->second;
      inputs.push_back(q->second.real);
      continue;
    }
    inputs.push_back(real(in));
  }
  onnx::NodeProto& f = emit(op, inputs, n.output_size() ? n.output(0) : "");
  f.set_domain(n.domain());
  for (const auto& a : n.attribute()) *f.add_attribute() = a;
  for (int k = 1; k < n.output_size(); ++k) f.add_output(n.output(k));
  for (const std::string& out : n.output()) defined_.insert(out);
  if (quantizedIn && n.output_size() > 0) {
    const Act y{n.output(0), passed.p};
    record(y);
    quantized_[n.output(0)] = y;
  }
}

QuantizedOnnxModel QuantizedImporter::run() {
  for (const onnx::TensorProto& t : g().initializer()) {
    consts_[t.name()] = readTensor(t);
    names_.insert(t.name());
  }
  for (const onnx::ValueInfoProto& v : g().input()) {
    if (consts_.count(v.name())) continue;
    defined_.insert(v.name());
    const int type = v.type().tensor_type().elem_type();
    if (type != kFloat)
      fail("graph input '" + printable(v.name()) + "' is " + typeName(type) +
           "; the int8 engine takes float input and quantizes it");
  }
  for (cur_ = 0; cur_ < g().node_size(); ++cur_) {
    const onnx::NodeProto& n = g().node(cur_);
    for (const std::string& o : n.output()) names_.insert(o);
  }
  for (cur_ = 0; cur_ < g().node_size(); ++cur_) {
    const onnx::NodeProto& n = g().node(cur_);
    const std::string& op = n.op_type();
    if (!n.domain().empty() && n.domain() != "ai.onnx")
      nodeFail("operator domain '" + printable(n.domain()) + "' is not supported");
    if (n.output_size() < 1 || n.output(0).empty()) nodeFail("has no output");
    if (op == "Constant") {
      if (n.attribute_size() != 1 || n.attribute(0).name() != "value" || !n.attribute(0).has_t())
        nodeFail("only the tensor 'value' form is supported");
      consts_[n.output(0)] = readTensor(n.attribute(0).t());
      onnx::TensorProto& t = inits_.emplace_back(n.attribute(0).t());
      t.set_name(n.output(0));
    } else if (op == "QuantizeLinear") {
      quantizeLinear();
    } else if (op == "DequantizeLinear") {
      dequantizeLinear();
    } else if (op == "QLinearConv" || op == "QLinearMatMul") {
      qlinear(op == "QLinearConv");
    } else if (op == "MatMulInteger" || op == "ConvInteger") {
      integer(op == "ConvInteger");
    } else if (op == "DynamicQuantizeLinear") {
      nodeFail(
          "dynamic quantization computes activation scales at run time; the int8 engine "
          "runs the static scales of a QDQ or QOperator graph");
    } else {
      floatNode();
    }
  }

  onnx::ModelProto& out = float_;
  out.set_ir_version(in_.ir_version());
  *out.mutable_opset_import() = in_.opset_import();
  for (auto& o : *out.mutable_opset_import())
    if ((o.domain().empty() || o.domain() == "ai.onnx") && o.version() < 11) o.set_version(11);
  onnx::GraphProto* graph = out.mutable_graph();
  graph->set_name(g().name());
  for (const onnx::ValueInfoProto& v : g().input())
    if (!consts_.count(v.name())) *graph->add_input() = v;
  std::unordered_set<std::string> used;
  for (const onnx::NodeProto& n : nodes_)
    for (const std::string& in : n.input()) used.insert(in);
  for (cur_ = 0; cur_ < g().output_size(); ++cur_) {
    const onnx::ValueInfoProto& v = g().output(cur_);
    const auto q = quantized_.find(v.name());
    const std::string r = q != quantized_.end() ? q->second.real : real(v.name());
    if (r != v.name()) {
      // The output is an alias of a float tensor: pass it on under the declared name.
      onnx::NodeProto& id = nodes_.emplace_back();
      id.set_op_type("Identity");
      std::string name = "output_" + std::to_string(cur_);
      while (!nodeNames_.insert(name).second) name += "_";
      id.set_name(name);
      id.add_input(r);
      id.add_output(v.name());
      used.insert(r);
    }
    onnx::ValueInfoProto* o = graph->add_output();
    *o = v;
    o->mutable_type()->mutable_tensor_type()->set_elem_type(kFloat);
  }
  for (const onnx::TensorProto& t : g().initializer())
    if (used.count(t.name()) && !folded_.count(t.name())) *graph->add_initializer() = t;
  for (onnx::TensorProto& t : inits_)
    if (used.count(t.name())) *graph->add_initializer() = std::move(t);
  for (onnx::NodeProto& n : nodes_) *graph->add_node() = std::move(n);
  nodes_.clear();
  for (int i = 0; i < graph->node_size(); ++i) nodeOf_[graph->node(i).name()] = std::size_t(i);

  std::string bytes;
  if (!out.SerializeToString(&bytes)) fail("the rewritten float graph does not fit in 2 GiB");
  QuantizedOnnxModel result;
  result.fp32 = importOnnxModel(
      std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), where_);
  result.fp32.finalize();

  detail::Int8Sources src;
  src.who = where_;
  src.input = [&]() {
    const auto f = params_.find(result.fp32.input);
    if (f == params_.end())
      fail("the graph input '" + printable(result.fp32.input) +
           "' is not quantized (no QuantizeLinear): the int8 engine needs its scale");
    return f->second;
  };
  src.output = [&](const Model& m, std::size_t layers, const std::string& tensor) {
    const auto f = params_.find(tensor);
    if (f == params_.end()) {
      const Layer& l = m.layers[layers - 1];
      fail("layer '" + printable(l.name) + "' (" + layerTypeName(l.type) + "): its output '" +
           printable(tensor) +
           "' is not quantized in the file, and the int8 engine needs its scale");
    }
    return f->second;
  };
  bool perChannel = false;
  src.weights = [&](const Layer& l, Int8Layer& q) {
    fillWeights(l, q);
    perChannel = perChannel ||
                 folded_.at(out.graph().node(int(nodeOf_.at(l.name))).input(1)).scales.size() > 1;
  };
  result.int8 = detail::assembleInt8Model(result.fp32, src);
  result.int8.recipe.weights.perChannel = perChannel;
  checkPassThrough(result.int8);
  return result;
}

// The layer's int8 weights and scales as the file stores them, its int32 bias codes when their
// scale is the accumulator's (else the dequantized bias requantized as quantizeModel does).
void QuantizedImporter::fillWeights(const Layer& l, Int8Layer& q) const {
  const auto layerFail = [&](const std::string& what) {
    fail("layer '" + printable(l.name) + "' (" + layerTypeName(l.type) + "): " + what);
  };
  const auto nf = nodeOf_.find(l.name);
  if (nf == nodeOf_.end()) layerFail("no node of that name in the graph");
  const onnx::NodeProto& n = float_.graph().node(static_cast<int>(nf->second));
  const auto wf = n.input_size() > 1 ? folded_.find(n.input(1)) : folded_.end();
  if (wf == folded_.end())
    layerFail("its weight is float in the file, not int8 (no DequantizeLinear)");
  const Codes& w = wf->second;
  if (w.type != kInt8)
    layerFail(typeName(w.type) +
              " weights are not supported: the int8 engine needs symmetric int8 weights");
  for (const double z : w.zeros)
    if (z != 0.0)
      layerFail("asymmetric int8 weights (zero point " + std::to_string(static_cast<int>(z)) +
                "): the int8 engine needs weight zero point 0");
  bool transB = false;
  for (const auto& a : n.attribute())
    if (a.name() == "transB") transB = a.i() != 0;
  const int outAxis = n.op_type() == "Conv" || (n.op_type() == "Gemm" && transB) ? 0 : 1;
  if (w.scales.size() > 1 && w.axis != outAxis)
    layerFail("its weight scales run along axis " + std::to_string(w.axis) +
              ", not along the output channels");
  const auto outC = static_cast<std::size_t>(l.weight.rows());
  const auto K = static_cast<std::size_t>(l.weight.cols());
  if (w.q.size() != outC * K) layerFail("its weight codes do not match the layer's weight");
  q.weights.resize(outC * K);
  q.weightScales.resize(outC);
  q.bias.assign(outC, 0);
  for (std::size_t o = 0; o < outC; ++o) {
    q.weightScales[o] = w.scales.size() == 1 ? w.scales[0] : w.scales[o];
    for (std::size_t k = 0; k < K; ++k) {
      const double code = outAxis == 0 ? w.q[o * K + k] : w.q[k * outC + o];
      if (code == -128.0)
        layerFail("weight code -128: the int8 kernels take weights in [-127, 127]");
      q.weights[o * K + k] = static_cast<std::int8_t>(code);
    }
  }
  const auto bf = n.input_size() > 2 ? folded_.find(n.input(2)) : folded_.end();
  const Codes* b = bf != folded_.end() && bf->second.type == kInt32 && bf->second.q.size() == outC
                       ? &bf->second
                       : nullptr;
  for (std::size_t o = 0; o < outC; ++o) {
    const double acc = static_cast<double>(q.inScale) * static_cast<double>(q.weightScales[o]);
    if (b != nullptr) {
      const std::size_t c = b->scales.size() == 1 ? 0 : o;
      // A bias scale of s_in * s_w rounded to float32 (ONNX's rule) keeps the file's codes.
      if (std::fabs(static_cast<double>(b->scales[c]) - acc) <= 1e-6 * acc) {
        q.bias[o] = static_cast<std::int32_t>(b->q[o] - b->zeros[c]);
        continue;
      }
    }
    q.bias[o] = detail::quantizeBias(l.bias.size() ? static_cast<double>(l.bias[o]) : 0.0, acc);
  }
  detail::finishGemmLayer(q, static_cast<int>(K), true);
}

// Layers that keep their input's parameters in the engine must not be requantized by the file.
void QuantizedImporter::checkPassThrough(const Int8Model& m) const {
  for (const Int8Layer& l : m.layers) {
    if (l.type == LayerType::Linear || l.type == LayerType::Conv2d || l.type == LayerType::Add)
      continue;
    const auto f = params_.find(l.outputName);
    if (f != params_.end() && (f->second.scale != l.outScale || f->second.zeroPoint != l.outZero))
      fail("layer '" + printable(l.name) + "' (" + layerTypeName(l.type) +
           "): the file requantizes its output to scale " + std::to_string(f->second.scale) +
           ", zero point " + std::to_string(f->second.zeroPoint) +
           "; the int8 engine keeps the input's parameters through this layer");
  }
}

}  // namespace

QuantizedOnnxModel importQuantizedOnnx(std::span<const std::uint8_t> bytes,
                                       const std::string& where) {
  return QuantizedImporter(bytes, where).run();
}

}  // namespace quant
