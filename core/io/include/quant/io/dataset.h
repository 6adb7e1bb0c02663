// SPDX-License-Identifier: GPL-3.0-or-later
// IDX files (the format of MNIST and Fashion-MNIST) and the Fashion-MNIST data set.
//
// An IDX file is a big-endian header -- two zero bytes, a type code, the rank, then one 32-bit
// unsigned size per dimension -- followed by the row-major values, also big-endian. Type codes:
// 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64. This reader
// accepts ranks 1..4, plain or gzip-compressed (also concatenated gzip members).
//
// Values become float32 (Tensor::data) as in tensorio.h: integers are exact (every int16 and
// uint8 is representable; int32 rounds to nearest, ties-to-even, above 2^24), float64 narrows
// with round-to-nearest-ties-to-even and overflows to +-inf.
//
// Safety: files are untrusted. The data size a header declares must equal the bytes that are
// really there (no trailing bytes either); compressed input is inflated in chunks, never beyond
// kMaxIdxInflatedBytes nor beyond the size its own header declares, so a "zip bomb" costs at
// most that much memory. Every problem is ONE quant::Error starting with the file name.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "quant/base/tensor.h"
#include "quant/io/tensorio.h"

namespace quant {

// The most bytes a compressed IDX file may inflate to (512 MiB: 9x Fashion-MNIST's train set).
inline constexpr std::uint64_t kMaxIdxInflatedBytes = std::uint64_t{512} << 20;

// Parses an IDX file held in memory (gzip-compressed when it starts with 1f 8b). The tensor has
// the file's shape, an empty name, and dtype "uint8", "int8", "int16", "int32", "float32" or
// "float64".
Tensor parseIdx(std::span<const std::uint8_t> bytes, const std::string& where);

// The header of an IDX file held in memory, with its size checked against the data.
TensorInfo inspectIdx(std::span<const std::uint8_t> bytes, const std::string& where);

// Reads an IDX file (plain or gzip) from disk.
Tensor loadIdx(const std::string& path);
TensorInfo inspectIdxFile(const std::string& path);

// Inflates gzip (or zlib) data; fails with "<where>: ..." beyond `maxBytes` of output.
std::vector<std::uint8_t> inflateBytes(std::span<const std::uint8_t> compressed,
                                       const std::string& where,
                                       std::uint64_t maxBytes = kMaxIdxInflatedBytes);

enum class Split { Train, Test };

struct Dataset {
  Tensor images;                        // [n, 1, rows, cols] float32, pixel / 255 in [0, 1]
  std::vector<std::uint8_t> labels;     // n class indices
  std::vector<std::string> classNames;  // index -> name
};

// Where Debian's dataset-fashion-mnist package puts the files.
inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

// "T-shirt/top", "Trouser", ..., "Ankle boot" (10 names, label order).
const std::vector<std::string>& fashionMnistClassNames();

// Loads a split of Fashion-MNIST (or MNIST: same files) from `dir`: {train,t10k}-images-idx3-ubyte
// and {train,t10k}-labels-idx1-ubyte, each optionally with .gz, also the ".idx3-ubyte" spelling.
// Pixels p become p / 255 rounded to nearest float32 (ties-to-even), so 0 -> 0 and 255 -> 1.
// Throws "Fashion-MNIST not found in DIR: install it with ..." when the files are missing.
Dataset loadFashionMnist(const std::string& dir = kFashionMnistDir, Split split = Split::Test);

// Builds a Dataset from an images tensor (uint8, [n, rows, cols]) and a labels tensor (uint8,
// [n], values 0..9) as parsed from IDX files; the messages start with imagesWhere/labelsWhere.
Dataset makeFashionMnist(Tensor images, const Tensor& labels, const std::string& imagesWhere,
                         const std::string& labelsWhere);

}  // namespace quant
