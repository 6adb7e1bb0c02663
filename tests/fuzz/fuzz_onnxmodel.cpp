// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the ONNX model importer. A model that imports must also run (when it
// is small enough to run quickly) and survive export -> import with bit-identical outputs.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "quant/nn/model.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  quant::Model m;
  try {
    m = quant::importOnnxModel(bytes, "fuzz.onnx");
  } catch (const quant::Error&) {
    return 0;
  }
  quant::Tensor x;
  x.shape = {1};
  x.shape.insert(x.shape.end(), m.inputShape.begin(), m.inputShape.end());
  std::int64_t activations = 0;
  for (const quant::Layer& l : m.layers) {
    std::int64_t n = 1;
    for (const std::int64_t d : l.outShape) n *= d;
    activations += n;
  }
  if (x.numel() > (1 << 16) || m.macsPerSample() > (1 << 20) || activations > (1 << 20)) return 0;
  x.data.resize(static_cast<std::size_t>(x.numel()));
  for (std::size_t i = 0; i < x.data.size(); ++i) x.data[i] = float(int(i % 7) - 3) * 0.25f;
  const quant::Tensor y = quant::forward(m, x);
  const quant::Model r = quant::importOnnxModel(quant::exportOnnxModel(m), "export.onnx");
  const quant::Tensor y2 = quant::forward(r, x);
  if (y.shape != y2.shape || y.data.size() != y2.data.size() ||
      (!y.data.empty() && std::memcmp(y.data.data(), y2.data.data(), y.data.size() * 4) != 0)) {
    __builtin_trap();
  }
  return 0;
}
