// SPDX-License-Identifier: GPL-3.0-or-later
#include "quant/base/tensor.h"

#include <limits>

namespace quant {

std::int64_t checkedNumel(std::span<const std::int64_t> shape) {
  constexpr std::int64_t kLimit = std::int64_t{1} << 62;
  std::int64_t n = 1;
  for (std::int64_t d : shape) {
    if (d < 0) throw Error("negative dimension " + std::to_string(d) + " in shape");
    if (d != 0 && n > kLimit / d) throw Error("shape has more than 2^62 elements");
    n *= d;
  }
  return n;
}

std::int64_t Tensor::numel() const { return checkedNumel(shape); }

std::string Tensor::shapeString() const {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

}  // namespace quant
