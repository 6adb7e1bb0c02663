// SPDX-License-Identifier: GPL-3.0-or-later
// A dense tensor as the engine sees it: a shape and row-major (C order) float32 values.
// Files of other dtypes are converted on load; the original dtype is kept for display.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace quant {

// Every error the engine reports to a user. The message is one line and, for files,
// starts with the file name ("weights.npy: header length 2^63 exceeds file size").
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Tensor {
  std::string name;                // tensor name inside its file ("" for single-tensor files)
  std::string dtype = "float32";   // dtype it had in its file, e.g. "float16", "int8", "bfloat16"
  std::vector<std::int64_t> shape; // empty shape = scalar (one element)
  std::vector<float> data;         // row-major values, size == numel()

  std::int64_t numel() const;
  std::span<const float> values() const { return data; }
  std::span<float> values() { return data; }
  std::string shapeString() const;  // "[64, 1, 3, 3]"
};

// Number of elements of a shape, or throws quant::Error when a dimension is negative
// or the product overflows 2^62.
std::int64_t checkedNumel(std::span<const std::int64_t> shape);

}  // namespace quant
