// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the .safetensors reader.
#include <cstddef>
#include <cstdint>

#include "quant/io/tensorio.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  try {
    const auto infos = quant::listSafetensors(bytes, "fuzz.safetensors");
    for (const auto& info : infos) {
      const quant::Tensor t = quant::parseSafetensors(bytes, info.name, "fuzz.safetensors");
      // Listing validated everything, so loading must succeed and agree with it.
      if (t.shape != info.shape || t.dtype != info.dtype ||
          static_cast<std::int64_t>(t.data.size()) != t.numel()) {
        __builtin_trap();
      }
    }
  } catch (const quant::Error&) {
  }
  return 0;
}
