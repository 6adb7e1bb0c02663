// SPDX-License-Identifier: GPL-3.0-or-later
// ONNX models (.onnx) as a tensor source: the weights of a ModelProto, i.e. the tensors of
// graph.initializer and the constant tensors of the main graph's Constant nodes (attribute
// `value`, or `value_float(s)` / `value_int(s)`; named by the node's first output).
//
// The model is a protobuf message without magic bytes or length prefix, so the whole file is
// read (at most 2 GiB, protobuf's own message limit) and parsed with the generated ModelProto
// class. Tensor data is either `raw_data` (little-endian, exactly numel * itemsize bytes) or
// one typed field with exactly numel entries, chosen by the data type as the ONNX spec says:
//   float_data  : FLOAT
//   int32_data  : INT32, INT16, INT8, UINT16, UINT8, BOOL, and the bit patterns of FLOAT16,
//                 BFLOAT16, FLOAT8E4M3FN and FLOAT8E5M2 (one element per int32)
//   int64_data  : INT64
//   uint64_data : UINT32, UINT64
//   double_data : DOUBLE
// Values widen/round to float32 exactly as the other readers do (see tensorio.h).
// Refused with a message naming the tensor: external data (weights in a side file), strings,
// complex numbers, the FNUZ float8 variants, segmented tensors. Subgraphs (If/Loop bodies)
// are not searched: their tensors are not the model's weights in the usual sense.
#include <onnx/onnx_pb.h>

#include <climits>
#include <cstring>
#include <deque>
#include <limits>
#include <unordered_set>

#include "quant/io/tensorio.h"
#include "quant/io/tensorio_detail.h"

namespace quant {

namespace detail {

namespace {

// TensorProto.DataType numbers (stable across ONNX versions; 17..20 arrived in ONNX 1.14, so
// the generated enum of older packages does not name them).
enum OnnxType : int {
  kUndefined = 0,
  kFloat = 1,
  kUint8 = 2,
  kInt8 = 3,
  kUint16 = 4,
  kInt16 = 5,
  kInt32 = 6,
  kInt64 = 7,
  kString = 8,
  kBool = 9,
  kFloat16 = 10,
  kDouble = 11,
  kUint32 = 12,
  kUint64 = 13,
  kComplex64 = 14,
  kComplex128 = 15,
  kBfloat16 = 16,
  kFloat8E4M3FN = 17,
  kFloat8E4M3FNUZ = 18,
  kFloat8E5M2 = 19,
  kFloat8E5M2FNUZ = 20,
};

// Protobuf's parser takes an int length; larger models keep their weights in external files.
constexpr std::uint64_t kMaxModelBytes = static_cast<std::uint64_t>(INT_MAX);

enum class Field { Raw, Float, Int32, Int64, Uint64, Double, None };

struct TypeRow {
  int type;
  const char* name;
  DType::Kind kind;
  int size;
  Field typed;          // the typed field ONNX uses for this type (None: not loadable)
  std::int64_t lo, hi;  // allowed int32_data/uint64_data range (bit patterns, integers)
};

const TypeRow kTypes[] = {
    {kFloat, "float32", DType::Kind::Float, 4, Field::Float, 0, 0},
    {kUint8, "uint8", DType::Kind::UInt, 1, Field::Int32, 0, 255},
    {kInt8, "int8", DType::Kind::Int, 1, Field::Int32, -128, 127},
    {kUint16, "uint16", DType::Kind::UInt, 2, Field::Int32, 0, 65535},
    {kInt16, "int16", DType::Kind::Int, 2, Field::Int32, -32768, 32767},
    {kInt32, "int32", DType::Kind::Int, 4, Field::Int32, INT_MIN, INT_MAX},
    {kInt64, "int64", DType::Kind::Int, 8, Field::Int64, 0, 0},
    {kString, "string", DType::Kind::UInt, 0, Field::None, 0, 0},
    {kBool, "bool", DType::Kind::Bool, 1, Field::Int32, 0, 1},
    {kFloat16, "float16", DType::Kind::Float, 2, Field::Int32, 0, 65535},
    {kDouble, "float64", DType::Kind::Float, 8, Field::Double, 0, 0},
    {kUint32, "uint32", DType::Kind::UInt, 4, Field::Uint64, 0, 4294967295LL},
    {kUint64, "uint64", DType::Kind::UInt, 8, Field::Uint64, 0, 0},  // whole range
    {kComplex64, "complex64", DType::Kind::Float, 8, Field::None, 0, 0},
    {kComplex128, "complex128", DType::Kind::Float, 16, Field::None, 0, 0},
    {kBfloat16, "bfloat16", DType::Kind::BFloat, 2, Field::Int32, 0, 65535},
    {kFloat8E4M3FN, "float8_e4m3fn", DType::Kind::F8E4M3, 1, Field::Int32, 0, 255},
    {kFloat8E4M3FNUZ, "float8_e4m3fnuz", DType::Kind::F8E4M3, 1, Field::None, 0, 0},
    {kFloat8E5M2, "float8_e5m2", DType::Kind::F8E5M2, 1, Field::Int32, 0, 255},
    {kFloat8E5M2FNUZ, "float8_e5m2fnuz", DType::Kind::F8E5M2, 1, Field::None, 0, 0},
};

const TypeRow* findType(int type) {
  for (const TypeRow& r : kTypes) {
    if (r.type == type) return &r;
  }
  return nullptr;
}

// Names come from an untrusted file; messages must stay one readable line.
std::string printable(const std::string& s) {
  std::string out;
  for (unsigned char c : s.substr(0, 200)) out += (c < 0x20 || c == 0x7f) ? '?' : char(c);
  if (s.size() > 200) out += "...";
  return out;
}

struct Entry {
  TensorInfo info;
  const onnx::TensorProto* proto = nullptr;
  const TypeRow* type = nullptr;  // nullptr: unknown data type number
  std::int64_t numel = 0;
  Field field = Field::None;  // where the data is
  std::string refusal;        // non-empty: listed, but cannot be loaded
};

const char* fieldName(Field f) {
  switch (f) {
    case Field::Raw:
      return "raw_data";
    case Field::Float:
      return "float_data";
    case Field::Int32:
      return "int32_data";
    case Field::Int64:
      return "int64_data";
    case Field::Uint64:
      return "uint64_data";
    case Field::Double:
      return "double_data";
    case Field::None:
      break;
  }
  return "no data field";
}

// A range-checked int32_data / uint64_data element as its stored bit pattern / integer.
std::uint64_t checkedInteger(std::int64_t v, const TypeRow& t, const std::string& where,
                             const std::string& what) {
  if (v < t.lo || v > t.hi) {
    fail(where, what + " has value " + std::to_string(v) + " in int32_data, outside the " + t.name +
                    " range");
  }
  return static_cast<std::uint64_t>(v);  // two's complement for negative values
}

std::uint64_t checkedInteger(std::uint64_t v, const TypeRow& t, const std::string& where,
                             const std::string& what) {
  if (t.type != kUint64 && v > static_cast<std::uint64_t>(t.hi)) {
    fail(where, what + " has value " + std::to_string(v) + " in uint64_data, outside the " +
                    t.name + " range");
  }
  return v;
}

// Checks one tensor's shape and data layout; fills everything but info.name.
Entry describe(const onnx::TensorProto& tp, const std::string& name, const std::string& where) {
  Entry e;
  e.proto = &tp;
  e.info.name = name;
  const std::string what = "tensor '" + printable(name) + "'";
  for (const std::int64_t d : tp.dims()) e.info.shape.push_back(d);
  e.numel = numelOrFail(e.info.shape, where + ": " + what);
  const auto numel = static_cast<std::uint64_t>(e.numel);

  e.type = findType(tp.data_type());
  if (!e.type) {
    e.info.dtype = "onnx_type_" + std::to_string(tp.data_type());
    e.refusal = what + " has data type " + std::to_string(tp.data_type()) +
                (tp.data_type() == kUndefined ? " (UNDEFINED)" : ", which is not supported");
    return e;
  }
  e.info.dtype = e.type->name;
  if (tp.data_location() == onnx::TensorProto::EXTERNAL) {
    e.info.byteSize = numel * static_cast<std::uint64_t>(e.type->size);
    e.refusal = what +
                ": weights stored outside the model file are not supported (external "
                "data; save the model with its weights inside, e.g. onnx.save_model(m, "
                "path, save_as_external_data=False))";
    return e;
  }
  if (tp.data_type() == kString) {
    for (const auto& s : tp.string_data()) e.info.byteSize += s.size();
    e.refusal = what + " holds strings, not numbers";
    return e;
  }
  if (e.type->typed == Field::None) {
    e.info.byteSize = numel * static_cast<std::uint64_t>(e.type->size);
    e.refusal = what + " has dtype " + e.type->name + ", which is not supported";
    return e;
  }
  if (tp.has_segment()) fail(where, what + " is a segment of a larger tensor (not supported)");

  const std::uint64_t itemsize = static_cast<std::uint64_t>(e.type->size);
  const std::pair<Field, int> typedCounts[] = {
      {Field::Float, tp.float_data_size()},   {Field::Int32, tp.int32_data_size()},
      {Field::Int64, tp.int64_data_size()},   {Field::Uint64, tp.uint64_data_size()},
      {Field::Double, tp.double_data_size()},
  };
  for (const auto& [f, n] : typedCounts) {
    if (n == 0) continue;
    if (tp.has_raw_data()) {
      fail(where, what + " has both raw_data and " + fieldName(f) + " (a tensor has one)");
    }
    if (f != e.type->typed) {
      fail(where, what + " of dtype " + e.type->name + " stores its values in " + fieldName(f) +
                      "; ONNX keeps " + e.type->name + " in " + fieldName(e.type->typed));
    }
  }
  if (numel > std::numeric_limits<std::uint64_t>::max() / itemsize) {
    fail(where, what + " is too large");
  }
  e.info.byteSize = numel * itemsize;
  if (tp.has_raw_data()) {
    e.field = Field::Raw;
    if (tp.raw_data().size() != numel * itemsize) {
      fail(where, what + " has " + std::to_string(tp.raw_data().size()) +
                      " bytes of raw_data but shape " +
                      Tensor{"", "", e.info.shape, {}}.shapeString() + " of " + e.type->name +
                      " needs " + std::to_string(numel) + " x " + std::to_string(itemsize));
    }
    return e;
  }
  e.field = e.type->typed;
  std::uint64_t count = 0;
  for (const auto& [f, n] : typedCounts) {
    if (f == e.field) count = static_cast<std::uint64_t>(n);
  }
  if (count != numel) {
    fail(where, what + " has " + std::to_string(count) + " values in " + fieldName(e.field) +
                    " but shape " + Tensor{"", "", e.info.shape, {}}.shapeString() + " needs " +
                    std::to_string(numel));
  }
  if (e.field == Field::Int32) {
    for (const std::int64_t v : tp.int32_data()) checkedInteger(v, *e.type, where, what);
  } else if (e.field == Field::Uint64) {
    for (const std::uint64_t v : tp.uint64_data()) checkedInteger(v, *e.type, where, what);
  }
  return e;
}

// The weights of a parsed model, in file order: initializers, then Constant nodes.
struct Model {
  onnx::ModelProto proto;
  std::deque<onnx::TensorProto> synthetic;  // Constant value_float(s)/value_int(s) as tensors
  std::vector<Entry> entries;
};

void parseModel(std::span<const std::uint8_t> bytes, const std::string& where, Model& m) {
  if (bytes.empty()) fail(where, "file is empty");
  if (bytes.size() > kMaxModelBytes) {
    fail(where, "model of " + bytesText(bytes.size()) +
                    " is larger than protobuf's 2 GiB message limit (such models keep their "
                    "weights in external data files, which are not supported)");
  }
  if (!m.proto.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    fail(where, "not a valid ONNX model (protobuf parse failed)");
  }
  if (!m.proto.has_graph()) fail(where, "not an ONNX model (no graph)");
  const onnx::GraphProto& g = m.proto.graph();
  std::unordered_set<std::string> seen;
  auto add = [&](const onnx::TensorProto& tp, const std::string& name) {
    // Names are unique in a valid model; a repeated one keeps its first definition so that
    // listing and loading by name agree.
    if (!seen.insert(name).second) return;
    m.entries.push_back(describe(tp, name, where));
  };
  for (int i = 0; i < g.initializer_size(); ++i) {
    const onnx::TensorProto& tp = g.initializer(i);
    if (tp.name().empty()) fail(where, "initializer #" + std::to_string(i) + " has no name");
    add(tp, tp.name());
  }
  for (int i = 0; i < g.node_size(); ++i) {
    const onnx::NodeProto& n = g.node(i);
    if (n.op_type() != "Constant" || !(n.domain().empty() || n.domain() == "ai.onnx")) continue;
    if (n.output_size() < 1 || n.output(0).empty()) continue;  // produces nothing anyone uses
    for (const onnx::AttributeProto& a : n.attribute()) {
      const std::string& an = a.name();
      if (an == "value" && a.has_t()) {
        add(a.t(), n.output(0));
      } else if (an == "value_float" || an == "value_floats" || an == "value_int" ||
                 an == "value_ints") {
        onnx::TensorProto& tp = m.synthetic.emplace_back();
        if (an == "value_float") {
          tp.set_data_type(kFloat);
          tp.add_float_data(a.f());
        } else if (an == "value_floats") {
          tp.set_data_type(kFloat);
          tp.add_dims(a.floats_size());
          *tp.mutable_float_data() = a.floats();
        } else if (an == "value_int") {
          tp.set_data_type(kInt64);
          tp.add_int64_data(a.i());
        } else {
          tp.set_data_type(kInt64);
          tp.add_dims(a.ints_size());
          *tp.mutable_int64_data() = a.ints();
        }
        add(tp, n.output(0));
      } else {
        continue;
      }
      break;  // a Constant node has one value attribute
    }
  }
  if (m.entries.empty()) {
    fail(where, "holds no weights (no graph initializers and no Constant nodes with a value)");
  }
}

Tensor loadEntry(const Entry& e, const std::string& where) {
  const std::string what = "tensor '" + printable(e.info.name) + "'";
  if (!e.refusal.empty()) fail(where, e.refusal);
  checkLoadable(e.numel, where, what);
  const onnx::TensorProto& tp = *e.proto;
  const TypeRow& t = *e.type;
  DType dt;
  dt.kind = t.kind;
  dt.size = t.size;
  dt.bigEndian = false;  // ONNX raw_data is little-endian on every platform
  dt.name = t.name;
  Tensor out;
  out.name = e.info.name;
  out.dtype = t.name;
  out.shape = e.info.shape;
  const auto n = static_cast<std::size_t>(e.numel);
  out.data.resize(n);
  float* dst = out.data.data();
  switch (e.field) {
    case Field::Raw:
      convertElements(reinterpret_cast<const std::uint8_t*>(tp.raw_data().data()), n, dt, dst);
      break;
    case Field::Float:
      if (n) std::memcpy(dst, tp.float_data().data(), n * sizeof(float));
      break;
    case Field::Double:
      for (std::size_t i = 0; i < n; ++i) dst[i] = narrow(tp.double_data(static_cast<int>(i)));
      break;
    case Field::Int64:
      for (std::size_t i = 0; i < n; ++i) {
        dst[i] = static_cast<float>(tp.int64_data(static_cast<int>(i)));
      }
      break;
    case Field::Int32:
    case Field::Uint64: {
      // Re-encode each element as the little-endian bytes raw_data would hold, so the one
      // conversion routine (and its rounding) serves both layouts.
      std::uint8_t buf[8];
      for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t u =
            e.field == Field::Int32
                ? checkedInteger(std::int64_t{tp.int32_data(static_cast<int>(i))}, t, where, what)
                : checkedInteger(std::uint64_t{tp.uint64_data(static_cast<int>(i))}, t, where,
                                 what);
        for (int b = 0; b < t.size; ++b) buf[b] = static_cast<std::uint8_t>(u >> (8 * b));
        convertElements(buf, 1, dt, dst + i);
      }
      break;
    }
    case Field::None:
      fail(where, "internal error: " + what + " has no data field");
  }
  return out;
}

Tensor loadSelected(const Model& m, const std::string& name, const std::string& where) {
  std::vector<TensorInfo> infos;
  infos.reserve(m.entries.size());
  for (const auto& e : m.entries) infos.push_back(e.info);
  const TensorInfo& chosen = selectTensor(infos, name, where);
  return loadEntry(m.entries[static_cast<std::size_t>(&chosen - infos.data())], where);
}

std::vector<std::uint8_t> readModelFile(const std::string& path) {
  FileInput in(path);
  if (in.size() == 0) fail(path, "file is empty");
  if (in.size() > kMaxModelBytes) {
    fail(path, "model of " + bytesText(in.size()) +
                   " is larger than protobuf's 2 GiB message limit (such models keep their "
                   "weights in external data files, which are not supported)");
  }
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(in.size()));
  in.readAt(0, bytes.data(), bytes.size());
  return bytes;
}

}  // namespace

bool looksLikeOnnx(const std::string& path) {
  try {
    const std::vector<std::uint8_t> bytes = readModelFile(path);
    // Serialisers write fields in number order, so a model starts with ir_version (field 1,
    // varint: tag byte 0x08). Almost any byte string parses as *some* protobuf, so the
    // parse alone proves little; the tag and the presence of a graph make it convincing.
    if (bytes.empty() || bytes[0] != 0x08) return false;
    onnx::ModelProto m;
    return m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) && m.has_ir_version() &&
           m.has_graph();
  } catch (const Error&) {
    return false;
  }
}

std::vector<TensorInfo> listOnnxFile(const std::string& path) {
  return listOnnx(readModelFile(path), path);
}

Tensor loadOnnxFile(const std::string& path, const std::string& name) {
  Model m;
  {
    // The parsed message holds its own copy of every tensor; the file bytes can go before the
    // float32 result is allocated (peak memory: model + model, not model x 2 + result).
    const std::vector<std::uint8_t> bytes = readModelFile(path);
    parseModel(bytes, path, m);
  }
  return loadSelected(m, name, path);
}

}  // namespace detail

std::vector<TensorInfo> listOnnx(std::span<const std::uint8_t> bytes, const std::string& where) {
  detail::Model m;
  detail::parseModel(bytes, where, m);
  std::vector<TensorInfo> out;
  out.reserve(m.entries.size());
  for (auto& e : m.entries) out.push_back(std::move(e.info));
  return out;
}

Tensor parseOnnx(std::span<const std::uint8_t> bytes, const std::string& name,
                 const std::string& where) {
  detail::Model m;
  detail::parseModel(bytes, where, m);
  return detail::loadSelected(m, name, where);
}

}  // namespace quant
