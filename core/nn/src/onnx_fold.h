// SPDX-License-Identifier: GPL-3.0-or-later
// Constant folding at ONNX import: the shape arithmetic torch.onnx.export writes around
// `x.view(x.size(0), -1)` and `F.pad` (Shape, Gather, Unsqueeze, Concat, ConstantOfShape, Slice,
// Cast, Range, Equal, Where, Expand, Reshape, Transpose, ...) is evaluated once at load, so only
// the layers remain. Internal header of onnx_import*.cpp (not installed).
#pragma once

#include <onnx/onnx_pb.h>

#include <climits>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace quant::detail {

// A constant tensor during import. Int and Bool keep their values in `i` (Bool as 0/1).
struct ConstTensor {
  enum class Kind { Float, Int, Bool };
  Kind kind = Kind::Float;
  std::vector<std::int64_t> dims;
  std::vector<float> f;
  std::vector<std::int64_t> i;
  std::int64_t numel() const;
};

// Shape(x) of an activation gives its batch size as this placeholder: it may be moved around
// (Gather, Concat, Slice, Reshape, ...) and reach a Reshape's target shape, but any computation
// with it fails, since the batch size is not known at load.
constexpr std::int64_t kBatchDim = INT64_MIN + 1;

// Whether op (default domain) is one foldConstantNode() evaluates when all its inputs are constant.
bool isFoldableOp(const std::string& op);

// Evaluates node n on constant inputs (in[k] is null for an absent optional input). Calls `fail`
// (which throws) for what it cannot evaluate; results are limited to 2^24 elements.
ConstTensor foldConstantNode(const onnx::NodeProto& n, const std::vector<const ConstTensor*>& in,
                             const std::function<void(const std::string&)>& fail);

}  // namespace quant::detail
