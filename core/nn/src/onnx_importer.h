// SPDX-License-Identifier: GPL-3.0-or-later
// The ONNX importer's state, shared by onnx_import.cpp (parsing, constants, graph order, the
// passes after conversion) and onnx_import_ops.cpp (one ONNX node -> layers). Internal header.
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <deque>
#include <initializer_list>
#include <span>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "onnx_fold.h"
#include "quant/base/tensor.h"
#include "quant/nn/model.h"

namespace quant::detail {

// Names come from an untrusted file; messages must stay one readable line.
std::string printable(const std::string& s);

class OnnxImporter {
 public:
  OnnxImporter(std::span<const std::uint8_t> bytes, const std::string& where);
  Model run();

 private:
  [[noreturn]] void fail(const std::string& what) const { throw Error(where_ + ": " + what); }
  std::string label(int i) const;
  [[noreturn]] void nodeFail(int i, const std::string& what) const;
  const onnx::GraphProto& graph() const { return proto_.graph(); }

  void checkOpset();
  void collectConstants();
  void readInput(Model& m);
  std::vector<int> topologicalOrder();
  void convertNode(int i, Model& m);
  bool foldNode(int i, Model& m);  // true when node i was evaluated as a constant
  void convertElementwise(int i, Model& m, Layer& l);
  bool foldIntoProducer(int i, Model& m, const std::string& x, const std::string& op,
                        const std::vector<float>& c);
  void foldZeroPads(Model& m);

  // Attributes.
  const onnx::AttributeProto* attr(int i, const char* name) const;
  void allowAttributes(int i, std::initializer_list<const char*> names) const;
  std::int64_t intAttr(int i, const char* name, std::int64_t def, std::int64_t lo,
                       std::int64_t hi) const;
  float floatAttr(int i, const char* name, float def) const;
  std::vector<int> intsAttr(int i, const char* name, std::vector<int> def, std::size_t count,
                            int lo, int hi) const;
  void windowAttributes(int i, Layer& l, bool conv, const std::vector<std::int64_t>& in) const;

  // Inputs.
  std::string dynamicInput(int i, int k) const;
  const onnx::TensorProto* constInput(int i, int k, bool optional) const;
  bool isConst(int i, int k) const;
  std::vector<float> floats(int i, const onnx::TensorProto& t) const;
  std::vector<std::int64_t> int64s(int i, const onnx::TensorProto& t) const;
  ConstTensor constTensor(int i, const onnx::TensorProto& t) const;
  void checkStored(int i, const onnx::TensorProto& t, std::int64_t& numel) const;
  // Per-sample shape of an activation (the model built so far is finalized on a copy).
  std::vector<std::int64_t> shapeOf(int i, const std::string& tensor, const Model& m);
  // One value, or one per channel of activation x, from a constant that broadcasts against x.
  std::vector<float> channelConstant(int i, const onnx::TensorProto& t,
                                     const std::vector<std::int64_t>& x) const;
  std::string newLayerName(const std::string& base);

  std::string where_;
  onnx::ModelProto proto_;
  int opset_ = 0;
  std::unordered_map<std::string, const onnx::TensorProto*> consts_;
  std::deque<onnx::TensorProto> synthetic_;  // Constant value_float(s)/value_int(s), folded nodes
  std::unordered_set<std::string> dynamic_;  // graph input + node outputs
  // Outputs of Identity/Dropout (inference no-ops) -> the activation they pass on.
  std::unordered_map<std::string, std::string> alias_;
  std::string resolve(const std::string& name) const {
    auto it = alias_.find(name);
    return it == alias_.end() ? name : it->second;
  }
  // Outputs of Reshape/Squeeze/Unsqueeze to a rank the layers do not have ([C, 1] on the way
  // from [C, 1, 1] to [C]): aliases of their input whose declared per-sample shape is kept here
  // for the reshapes that follow.
  std::unordered_map<std::string, std::vector<std::int64_t>> views_;
  std::unordered_map<std::string, int> uses_;
  // Flatten layers made from Reshape whose declared feature count is checked after shapes are
  // known: (layer index, features or -1, node index).
  std::vector<std::tuple<std::size_t, std::int64_t, int>> reshapes_;
  std::unordered_set<std::string> layerNames_;
  // shapeOf()'s cache, valid while the model has shapesFor_ layers and no layer was edited.
  std::unordered_map<std::string, std::vector<std::int64_t>> shapes_;
  std::size_t shapesFor_ = SIZE_MAX;
};

// The operators the importer accepts, for the refusal message of any other.
const char* supportedOnnxOps();

}  // namespace quant::detail
