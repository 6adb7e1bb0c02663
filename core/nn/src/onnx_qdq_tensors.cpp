// SPDX-License-Identifier: GPL-3.0-or-later
// Constant tensors of quantized ONNX graphs (onnx_qdq_internal.h) and the file-level entry points
// of onnxqdq.h; the graph rewrite is in onnx_qdq_import.cpp.
#include <climits>
#include <cstring>

#include "onnx_qdq_internal.h"
#include "quant/io/tensorio_detail.h"
#include "quant/nn/onnxqdq.h"

namespace quant {

namespace detail {

using namespace onnx_type;

const std::unordered_set<std::string>& quantizationOps() {
  static const std::unordered_set<std::string> ops = {
      "QuantizeLinear", "DequantizeLinear", "QLinearConv",          "QLinearMatMul",
      "MatMulInteger",  "ConvInteger",      "DynamicQuantizeLinear"};
  return ops;
}

std::string typeName(int t) {
  switch (t) {
    case kFloat:
      return "float";
    case kUint8:
      return "uint8";
    case kInt8:
      return "int8";
    case kInt32:
      return "int32";
    case kInt64:
      return "int64";
    default:
      return "ONNX type " + std::to_string(t);
  }
}

Const readConstTensor(const onnx::TensorProto& t, const std::string& where) {
  const std::string what = "tensor '" + printable(t.name()) + "'";
  if (t.data_location() == onnx::TensorProto::EXTERNAL || t.external_data_size() > 0)
    detail::fail(where, what + " uses external data, which is not supported");
  Const c;
  c.type = t.data_type();
  c.dims.assign(t.dims().begin(), t.dims().end());
  const std::int64_t n = numelOrFail(c.dims, where + ": " + what);
  if (n > (std::int64_t{1} << 28)) detail::fail(where, what + " is too large");
  const auto count = static_cast<std::size_t>(n);
  int size = 0;
  switch (c.type) {
    case kFloat:
    case kInt32:
      size = 4;
      break;
    case kUint8:
    case kInt8:
      size = 1;
      break;
    case kInt64:
      size = 8;
      break;
    default:
      detail::fail(where, what + " has element type " + typeName(c.type) +
                              " (float, int8, uint8, int32 or int64 expected)");
  }
  c.v.resize(count);
  if (t.has_raw_data()) {
    const std::string& raw = t.raw_data();
    if (raw.size() != count * static_cast<std::size_t>(size))
      detail::fail(where, what + " has " + std::to_string(raw.size()) +
                              " bytes of raw_data, expected " +
                              std::to_string(count * static_cast<std::size_t>(size)));
    // Little-endian, as ONNX stores raw_data (x86 is little-endian).
    for (std::size_t i = 0; i < count; ++i) {
      const char* p = raw.data() + i * static_cast<std::size_t>(size);
      if (c.type == kFloat) {
        float f;
        std::memcpy(&f, p, 4);
        c.v[i] = f;
      } else if (c.type == kInt32) {
        std::int32_t x;
        std::memcpy(&x, p, 4);
        c.v[i] = x;
      } else if (c.type == kInt64) {
        std::int64_t x;
        std::memcpy(&x, p, 8);
        c.v[i] = static_cast<double>(x);
      } else {
        c.v[i] = c.type == kInt8 ? double(static_cast<std::int8_t>(*p))
                                 : double(static_cast<std::uint8_t>(*p));
      }
    }
    return c;
  }
  const auto stored = [&](int have) {
    if (static_cast<std::size_t>(have) != count)
      detail::fail(where, what + " stores " + std::to_string(have) + " values, expected " +
                              std::to_string(count));
  };
  if (c.type == kFloat) {
    stored(t.float_data_size());
    for (std::size_t i = 0; i < count; ++i) c.v[i] = t.float_data(static_cast<int>(i));
  } else if (c.type == kInt64) {
    stored(t.int64_data_size());
    for (std::size_t i = 0; i < count; ++i) c.v[i] = double(t.int64_data(static_cast<int>(i)));
  } else {
    stored(t.int32_data_size());
    const double lo = c.type == kInt8 ? -128 : c.type == kUint8 ? 0 : INT_MIN;
    const double hi = c.type == kInt8 ? 127 : c.type == kUint8 ? 255 : INT_MAX;
    for (std::size_t i = 0; i < count; ++i) {
      c.v[i] = t.int32_data(static_cast<int>(i));
      if (c.v[i] < lo || c.v[i] > hi)
        detail::fail(where, what + " holds a value outside " + typeName(c.type));
    }
  }
  return c;
}

}  // namespace detail

bool isQuantizedOnnx(std::span<const std::uint8_t> bytes) {
  if (bytes.empty() || bytes.size() > static_cast<std::size_t>(INT_MAX)) return false;
  onnx::ModelProto p;
  if (!p.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return false;
  for (const onnx::NodeProto& n : p.graph().node())
    if (detail::quantizationOps().count(n.op_type())) return true;
  return false;
}

namespace {
std::vector<std::uint8_t> readModelFile(const std::string& path) {
  detail::FileInput in(path);
  if (in.size() > static_cast<std::uint64_t>(INT_MAX))
    detail::fail(path, "model larger than protobuf's 2 GiB message limit");
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(in.size()));
  in.readAt(0, bytes.data(), bytes.size());
  return bytes;
}
}  // namespace

bool isQuantizedOnnxFile(const std::string& path) {
  try {
    return isQuantizedOnnx(readModelFile(path));
  } catch (const Error&) {
    return false;
  }
}

QuantizedOnnxModel loadQuantizedOnnx(const std::string& path) {
  return importQuantizedOnnx(readModelFile(path), path);
}

}  // namespace quant
