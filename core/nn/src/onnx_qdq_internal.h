// SPDX-License-Identifier: GPL-3.0-or-later
// Pieces of the quantized-ONNX importer (onnx_qdq_import.cpp) kept apart: reading constant
// tensors of the element types quantized graphs use. Private to core/nn.
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

namespace quant::detail {

namespace onnx_type {
enum : int { kFloat = 1, kUint8 = 2, kInt8 = 3, kInt32 = 6, kInt64 = 7 };
}

// QuantizeLinear, DequantizeLinear, QLinearConv, QLinearMatMul, MatMulInteger, ConvInteger,
// DynamicQuantizeLinear.
const std::unordered_set<std::string>& quantizationOps();

// "float", "int8", ... or "ONNX type N".
std::string typeName(int onnxType);

// printable(), for names from the file in messages, is the float importer's (onnx_importer.h).
std::string printable(const std::string& s);

// A constant's values; exact for the element types handled (float32 and integers below 2^53).
struct Const {
  int type = 0;
  std::vector<std::int64_t> dims;
  std::vector<double> v;
};

// A float, int8, uint8, int32 or int64 tensor from raw_data or the typed fields; quant::Error
// "<where>: tensor '<name>' ..." for other types, external data, sizes that do not match the
// dimensions and typed values out of their type's range.
Const readConstTensor(const onnx::TensorProto& t, const std::string& where);

}  // namespace quant::detail
