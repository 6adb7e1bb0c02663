// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the .npz reader (libzip + the .npy parser on streamed members).
#include <cstddef>
#include <cstdint>

#include "quant/io/tensorio.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  try {
    const auto infos = quant::listNpz(bytes, "fuzz.npz");
    for (const auto& info : infos) {
      try {
        const quant::Tensor t = quant::parseNpz(bytes, info.name, "fuzz.npz");
        if (t.shape != info.shape || static_cast<std::int64_t>(t.data.size()) != t.numel()) {
          __builtin_trap();
        }
      } catch (const quant::Error&) {
        // A member's data may be corrupt even though its header was readable.
      }
    }
  } catch (const quant::Error&) {
  }
  return 0;
}
