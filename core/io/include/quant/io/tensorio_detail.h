// SPDX-License-Identifier: GPL-3.0-or-later
// Private helpers shared by the tensor file readers (npy.cpp, npz.cpp, safetensors.cpp,
// csv.cpp, onnx_tensors.cpp, tensorio.cpp) and by the ONNX model reader (nn/model_onnx.cpp), which
// decodes initializers the same way. Not installed; front ends do not use it.
#pragma once

#include <cstdint>
#include <fstream>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "quant/base/tensor.h"
#include "quant/io/tensorio.h"

namespace quant::detail {

// Throws quant::Error("<where>: <what>").
[[noreturn]] void fail(const std::string& where, const std::string& what);

// "1.5 MiB" style sizes for messages.
std::string bytesText(std::uint64_t n);

// Numel of `shape` or a quant::Error naming `where` (negative dimension, overflow).
std::int64_t numelOrFail(std::span<const std::int64_t> shape, const std::string& where);

// double -> float with ties-to-even; out-of-range values become +-inf (a plain cast would be
// undefined behaviour), nan stays nan.
float narrow(double d);

// An element type as stored in a file.
struct DType {
  enum class Kind { Float, BFloat, F8E4M3, F8E5M2, Int, UInt, Bool };
  Kind kind = Kind::Float;
  int size = 4;            // bytes per element
  bool bigEndian = false;  // byte order in the file
  std::string name;        // "float32", ...
};

// Converts `count` stored elements at `raw` to float32 (see tensorio.h for rounding).
void convertElements(const std::uint8_t* raw, std::size_t count, const DType& dt, float* out);

// A forward-only byte source. remaining() is the number of bytes still available, when known.
// exact() tells whether remaining() is trustworthy (files, memory) or only a hint declared by a
// container (a zip member's uncompressed size), in which case data is read incrementally so
// that allocation never runs ahead of the bytes actually delivered.
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  virtual std::size_t read(std::uint8_t* dst, std::size_t n) = 0;  // 0 = end of data
  virtual std::optional<std::uint64_t> remaining() const = 0;
  virtual bool exact() const = 0;
};

// Random access to a whole file or a memory buffer.
class RandomAccess {
 public:
  virtual ~RandomAccess() = default;
  virtual std::uint64_t size() const = 0;
  // Reads exactly n bytes at `offset` (the caller has checked the range) or throws.
  virtual void readAt(std::uint64_t offset, std::uint8_t* dst, std::size_t n) = 0;
};

class SpanInput final : public RandomAccess {
 public:
  explicit SpanInput(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  std::uint64_t size() const override { return bytes_.size(); }
  void readAt(std::uint64_t offset, std::uint8_t* dst, std::size_t n) override;

 private:
  std::span<const std::uint8_t> bytes_;
};

class FileInput final : public RandomAccess {
 public:
  // Opens a regular file; throws "<path>: no such file" etc.
  explicit FileInput(const std::string& path);
  std::uint64_t size() const override { return size_; }
  void readAt(std::uint64_t offset, std::uint8_t* dst, std::size_t n) override;

 private:
  std::string path_;
  std::ifstream in_;
  std::uint64_t size_ = 0;
};

// The bytes [begin, end) of a RandomAccess as a stream.
class RegionStream final : public ByteStream {
 public:
  RegionStream(RandomAccess& input, std::uint64_t begin, std::uint64_t end)
      : input_(input), pos_(begin), end_(end) {}
  std::size_t read(std::uint8_t* dst, std::size_t n) override;
  std::optional<std::uint64_t> remaining() const override { return end_ - pos_; }
  bool exact() const override { return true; }

 private:
  RandomAccess& input_;
  std::uint64_t pos_, end_;
};

// Reads exactly n bytes or throws "<where>: truncated: <what> needs N bytes but only M remain".
std::vector<std::uint8_t> readExact(ByteStream& in, std::uint64_t n, const std::string& where,
                                    const std::string& what);

// Reads `count` elements of `dt`, converting them in bounded chunks, into `out` (replaced).
void readElements(ByteStream& in, std::int64_t count, const DType& dt, std::vector<float>& out,
                  const std::string& where);

// Checks a tensor size against kMaxTensorElements.
void checkLoadable(std::int64_t numel, const std::string& where, const std::string& what);

// .npy pieces reused by .npz.
struct NpyHeader {
  DType dtype;
  bool fortranOrder = false;
  std::vector<std::int64_t> shape;
  std::int64_t numel = 0;
  std::uint64_t dataBytes = 0;
};
NpyHeader readNpyHeader(ByteStream& in, const std::string& where);
Tensor readNpyData(ByteStream& in, const NpyHeader& h, const std::string& where);

// Reorders column-major (Fortran) values to row-major.
std::vector<float> fortranToRowMajor(const std::vector<float>& in,
                                     std::span<const std::int64_t> shape);

// Zip archives (.npz and PyTorch's zip format).
std::vector<TensorInfo> listNpzFile(const std::string& path);
Tensor loadNpzFile(const std::string& path, const std::string& name);

// Safetensors on any RandomAccess.
std::vector<TensorInfo> listSafetensors(RandomAccess& in, const std::string& where);
Tensor loadSafetensors(RandomAccess& in, const std::string& name, const std::string& where);

// ONNX models (onnx_tensors.cpp). looksLikeOnnx never throws: it is true when the file parses
// as a ModelProto that starts with ir_version and has a graph.
bool looksLikeOnnx(const std::string& path);
std::vector<TensorInfo> listOnnxFile(const std::string& path);
Tensor loadOnnxFile(const std::string& path, const std::string& name);

// Picks `name` out of `infos` ("" = the only one) or throws listing the available names.
const TensorInfo& selectTensor(const std::vector<TensorInfo>& infos, const std::string& name,
                               const std::string& where);

// The pickle refusal message (without the file name).
std::string pickleRefusal();

}  // namespace quant::detail
