// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the CSV/TSV matrix parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "quant/io/tensorio.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const quant::Tensor t = quant::parseCsv(text, "fuzz.csv");
    if (t.shape.size() != 2 || static_cast<std::int64_t>(t.data.size()) != t.numel()) {
      __builtin_trap();
    }
  } catch (const quant::Error&) {
  }
  return 0;
}
