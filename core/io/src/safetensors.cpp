// SPDX-License-Identifier: GPL-3.0-or-later
// .safetensors: an 8-byte little-endian header length N, N bytes of JSON
// {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}, then the
// data region; offsets are relative to the start of the data region.
#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>

#include "quant/io/tensorio.h"
#include "quant/io/tensorio_detail.h"

namespace quant {

namespace detail {

namespace {

constexpr std::uint64_t kMaxHeader = std::uint64_t{100} << 20;  // the format's own limit

struct Entry {
  TensorInfo info;
  DType dtype;
  std::int64_t numel = 0;
  std::uint64_t begin = 0, end = 0;  // absolute file offsets
};

bool dtypeFromName(const std::string& s, DType& dt) {
  struct Row {
    const char* st;
    DType::Kind kind;
    int size;
    const char* name;
  };
  static const Row kRows[] = {
      {"F32", DType::Kind::Float, 4, "float32"},
      {"F16", DType::Kind::Float, 2, "float16"},
      {"BF16", DType::Kind::BFloat, 2, "bfloat16"},
      {"F64", DType::Kind::Float, 8, "float64"},
      {"I8", DType::Kind::Int, 1, "int8"},
      {"U8", DType::Kind::UInt, 1, "uint8"},
      {"I16", DType::Kind::Int, 2, "int16"},
      {"U16", DType::Kind::UInt, 2, "uint16"},
      {"I32", DType::Kind::Int, 4, "int32"},
      {"U32", DType::Kind::UInt, 4, "uint32"},
      {"I64", DType::Kind::Int, 8, "int64"},
      {"U64", DType::Kind::UInt, 8, "uint64"},
      {"BOOL", DType::Kind::Bool, 1, "bool"},
      {"F8_E4M3", DType::Kind::F8E4M3, 1, "float8_e4m3fn"},
      {"F8_E5M2", DType::Kind::F8E5M2, 1, "float8_e5m2"},
  };
  for (const Row& r : kRows) {
    if (s == r.st) {
      dt.kind = r.kind;
      dt.size = r.size;
      dt.bigEndian = false;
      dt.name = r.name;
      return true;
    }
  }
  return false;
}

std::uint64_t unsignedField(const nlohmann::json& v, const std::string& where,
                            const std::string& what) {
  if (!v.is_number_unsigned()) fail(where, what + " is not a non-negative integer");
  return v.get<std::uint64_t>();
}

std::vector<Entry> readIndex(RandomAccess& in, const std::string& where) {
  const std::uint64_t size = in.size();
  if (size == 0) fail(where, "file is empty");
  if (size < 8) {
    fail(where, "truncated: file has " + std::to_string(size) +
                    " bytes, fewer than the 8-byte header length");
  }
  std::uint8_t lenBytes[8];
  in.readAt(0, lenBytes, 8);
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | lenBytes[i];
  if (n > size - 8) {
    fail(where,
         "header length " + std::to_string(n) + " exceeds the file size (" + bytesText(size) + ")");
  }
  if (n > kMaxHeader) {
    fail(where, "header length " + bytesText(n) + " is larger than the 100 MiB limit");
  }
  std::string text(static_cast<std::size_t>(n), '\0');
  in.readAt(8, reinterpret_cast<std::uint8_t*>(text.data()), text.size());

  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    fail(where, "header is not valid JSON (error at byte " + std::to_string(e.byte) + ")");
  } catch (const nlohmann::json::exception&) {
    fail(where, "header is not valid JSON");
  }
  if (!j.is_object()) fail(where, "header is not a JSON object");

  const std::uint64_t dataStart = 8 + n;
  const std::uint64_t dataSize = size - dataStart;
  std::vector<Entry> out;
  for (const auto& [key, v] : j.items()) {
    if (key == "__metadata__") continue;
    const std::string what = "tensor '" + key + "'";
    if (!v.is_object()) fail(where, what + " is not a JSON object");
    const auto dt = v.find("dtype");
    const auto sh = v.find("shape");
    const auto off = v.find("data_offsets");
    if (dt == v.end() || !dt->is_string()) fail(where, what + " has no string 'dtype'");
    if (sh == v.end() || !sh->is_array()) fail(where, what + " has no 'shape' array");
    if (off == v.end() || !off->is_array() || off->size() != 2) {
      fail(where, what + " has no 'data_offsets' [begin, end]");
    }
    Entry e;
    e.info.name = key;
    const std::string dtypeName = dt->get<std::string>();
    if (!dtypeFromName(dtypeName, e.dtype)) {
      fail(where, what + " has unsupported dtype '" + dtypeName +
                      "' (supported: F32 F16 BF16 F64 I8 U8 I16 U16 I32 U32 I64 U64 BOOL "
                      "F8_E4M3 F8_E5M2)");
    }
    for (const auto& d : *sh) {
      const std::uint64_t u = unsignedField(d, where, what + " shape entry");
      if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        fail(where, what + " shape overflows");
      }
      e.info.shape.push_back(static_cast<std::int64_t>(u));
    }
    e.numel = numelOrFail(e.info.shape, where + ": " + what);
    const std::uint64_t b = unsignedField((*off)[0], where, what + " data_offsets begin");
    const std::uint64_t en = unsignedField((*off)[1], where, what + " data_offsets end");
    if (b > en || en > dataSize) {
      fail(where, what + " data_offsets [" + std::to_string(b) + ", " + std::to_string(en) +
                      "] lie outside the data region of " + std::to_string(dataSize) + " bytes");
    }
    const auto itemsize = static_cast<std::uint64_t>(e.dtype.size);
    const auto numel = static_cast<std::uint64_t>(e.numel);
    if (numel > std::numeric_limits<std::uint64_t>::max() / itemsize ||
        numel * itemsize != en - b) {
      fail(where, what + " has " + std::to_string(en - b) + " bytes of data but shape " +
                      Tensor{"", "", e.info.shape, {}}.shapeString() + " of " + e.dtype.name +
                      " needs " + std::to_string(numel) + " x " + std::to_string(itemsize));
    }
    e.info.dtype = e.dtype.name;
    e.info.byteSize = en - b;
    e.begin = dataStart + b;
    e.end = dataStart + en;
    out.push_back(std::move(e));
  }
  // File order is the natural reading order; the JSON object itself is unordered.
  std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.info.name < b.info.name;
  });
  if (out.empty()) fail(where, "holds no tensors");
  return out;
}

}  // namespace

std::vector<TensorInfo> listSafetensors(RandomAccess& in, const std::string& where) {
  std::vector<TensorInfo> out;
  for (auto& e : readIndex(in, where)) out.push_back(std::move(e.info));
  return out;
}

Tensor loadSafetensors(RandomAccess& in, const std::string& name, const std::string& where) {
  const std::vector<Entry> entries = readIndex(in, where);
  std::vector<TensorInfo> infos;
  for (const auto& e : entries) infos.push_back(e.info);
  const TensorInfo& chosen = selectTensor(infos, name, where);
  const Entry& e = entries[static_cast<std::size_t>(&chosen - infos.data())];
  checkLoadable(e.numel, where, "tensor '" + e.info.name + "'");
  Tensor t;
  t.name = e.info.name;
  t.dtype = e.dtype.name;
  t.shape = e.info.shape;
  RegionStream s(in, e.begin, e.end);
  readElements(s, e.numel, e.dtype, t.data, where);
  return t;
}

}  // namespace detail

std::vector<TensorInfo> listSafetensors(std::span<const std::uint8_t> bytes,
                                        const std::string& where) {
  detail::SpanInput in(bytes);
  return detail::listSafetensors(in, where);
}

Tensor parseSafetensors(std::span<const std::uint8_t> bytes, const std::string& name,
                        const std::string& where) {
  detail::SpanInput in(bytes);
  return detail::loadSafetensors(in, name, where);
}

}  // namespace quant
