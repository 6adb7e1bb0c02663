// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the .npy parser. Only quant::Error may escape the parser; any other
// exception, crash, sanitizer report, hang or giant allocation is a bug.
#include <cstddef>
#include <cstdint>

#include "quant/io/tensorio.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  try {
    const quant::TensorInfo info = quant::inspectNpy(bytes, "fuzz.npy");
    const quant::Tensor t = quant::parseNpy(bytes, "fuzz.npy");
    // The header and the data must agree.
    if (t.shape != info.shape || static_cast<std::int64_t>(t.data.size()) != t.numel()) {
      __builtin_trap();
    }
  } catch (const quant::Error&) {
  }
  return 0;
}
