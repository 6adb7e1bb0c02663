// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the IDX parser (plain and gzip) and the Fashion-MNIST assembly. Only
// quant::Error may escape; any other exception, crash, sanitizer report, hang or giant
// allocation is a bug.
#include <cstddef>
#include <cstdint>

#include "quant/io/dataset.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  try {
    const quant::TensorInfo info = quant::inspectIdx(bytes, "fuzz-ubyte");
    const quant::Tensor t = quant::parseIdx(bytes, "fuzz-ubyte");
    // The header and the data must agree.
    if (t.shape != info.shape || static_cast<std::int64_t>(t.data.size()) != t.numel()) {
      __builtin_trap();
    }
    // Use the tensor as both images and labels: exercises every check of the assembly.
    quant::Tensor labels;
    labels.dtype = t.dtype;
    labels.shape = {t.shape.empty() ? 0 : t.shape[0]};
    labels.data.assign(
        t.data.begin(),
        t.data.begin() +
            std::min<std::ptrdiff_t>(labels.shape[0], static_cast<std::ptrdiff_t>(t.data.size())));
    labels.shape[0] = static_cast<std::int64_t>(labels.data.size());
    const quant::Dataset ds = quant::makeFashionMnist(t, labels, "img", "lab");
    for (const float v : ds.images.data) {
      if (!(v >= 0.0f && v <= 1.0f)) __builtin_trap();
    }
  } catch (const quant::Error&) {
  }
  return 0;
}
