// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the ONNX model reader (initializers and Constant nodes).
#include <cstddef>
#include <cstdint>
#include <string>

#include "quant/io/tensorio.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  try {
    const auto infos = quant::listOnnx(bytes, "fuzz.onnx");
    for (const auto& info : infos) {
      try {
        const quant::Tensor t = quant::parseOnnx(bytes, info.name, "fuzz.onnx");
        // Listing validated the layout, so a loaded tensor must agree with it.
        if (t.name != info.name || t.shape != info.shape || t.dtype != info.dtype ||
            static_cast<std::int64_t>(t.data.size()) != t.numel()) {
          __builtin_trap();
        }
      } catch (const quant::Error& e) {
        // Only the tensors listing reports but cannot convert may be refused.
        const std::string m = e.what();
        if (m.find("not supported") == std::string::npos &&
            m.find("holds strings") == std::string::npos &&
            m.find("(UNDEFINED)") == std::string::npos) {
          __builtin_trap();
        }
      }
    }
  } catch (const quant::Error&) {
  }
  return 0;
}
