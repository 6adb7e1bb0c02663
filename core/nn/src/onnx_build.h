// SPDX-License-Identifier: GPL-3.0-or-later
// Small builders of ONNX protobuf messages shared by the float export (onnx_export.cpp) and the
// QDQ export (onnx_qdq_export.cpp). Private to core/nn.
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "quant/base/tensor.h"

namespace quant::detail {

inline void setIntsAttribute(onnx::NodeProto* n, const char* name, std::vector<std::int64_t> v) {
  onnx::AttributeProto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (const std::int64_t x : v) a->add_ints(x);
}

inline void setIntAttribute(onnx::NodeProto* n, const char* name, std::int64_t v) {
  onnx::AttributeProto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}

// kernel_shape, strides and pads of a Conv / pooling node from a layer's window (Layer or
// Int8Layer).
template <typename L>
void setWindowAttributes(onnx::NodeProto* n, const L& l) {
  setIntsAttribute(n, "kernel_shape", {l.kernelH, l.kernelW});
  setIntsAttribute(n, "strides", {l.strideH, l.strideW});
  setIntsAttribute(n, "pads", {l.padTop, l.padLeft, l.padBottom, l.padRight});
}

// A float32 graph input/output with the symbolic batch dimension "N" before the per-sample shape.
inline void setFloatValueInfo(onnx::ValueInfoProto* v, const std::string& name,
                              const std::vector<std::int64_t>& shape) {
  v->set_name(name);
  auto* tt = v->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(onnx::TensorProto::FLOAT);
  auto* s = tt->mutable_shape();
  s->add_dim()->set_dim_param("N");
  for (const std::int64_t d : shape) s->add_dim()->set_dim_value(d);
}

// The model's bytes; `who` starts the message when it exceeds protobuf's 2 GiB.
inline std::vector<std::uint8_t> serializeModel(const onnx::ModelProto& p, const std::string& who) {
  std::string s;
  if (!p.SerializeToString(&s)) throw Error(who + ": the model does not fit in 2 GiB");
  return std::vector<std::uint8_t>(s.begin(), s.end());
}

inline void writeModelFile(const std::vector<std::uint8_t>& bytes, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw Error(path + ": cannot open for writing");
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  if (!out) throw Error(path + ": write failed");
}

}  // namespace quant::detail
