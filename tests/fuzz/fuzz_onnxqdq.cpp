// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the quantized ONNX importer (QDQ / QOperator, onnxqdq.h). A model that
// imports must also run on the int8 engine (when it is small enough to run quickly) and survive
// QDQ export -> import with bit-identical int8 outputs.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "quant/nn/onnxqdq.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  quant::QuantizedOnnxModel m;
  try {
    m = quant::importQuantizedOnnx(bytes, "fuzz.onnx");
  } catch (const quant::Error&) {
    return 0;
  }
  quant::Tensor x;
  x.shape = {1};
  x.shape.insert(x.shape.end(), m.fp32.inputShape.begin(), m.fp32.inputShape.end());
  std::int64_t activations = 0;
  for (const quant::Layer& l : m.fp32.layers) {
    std::int64_t n = 1;
    for (const std::int64_t d : l.outShape) n *= d;
    activations += n;
  }
  if (x.numel() > (1 << 16) || m.fp32.macsPerSample() > (1 << 20) || activations > (1 << 20))
    return 0;
  x.data.resize(static_cast<std::size_t>(x.numel()));
  for (std::size_t i = 0; i < x.data.size(); ++i) x.data[i] = float(int(i % 7) - 3) * 0.25f;
  const quant::Tensor y = quant::runInt8(m.int8, x);
  const quant::QuantizedOnnxModel r =
      quant::importQuantizedOnnx(quant::exportQdqOnnx(m.int8), "export.onnx");
  const quant::Tensor y2 = quant::runInt8(r.int8, x);
  if (y.shape != y2.shape || y.data.size() != y2.data.size() ||
      (!y.data.empty() && std::memcmp(y.data.data(), y2.data.data(), y.data.size() * 4) != 0)) {
    __builtin_trap();
  }
  return 0;
}
