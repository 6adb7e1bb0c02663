// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the normalisation file read beside a model (MODEL.normalization.json,
// quant/io/userdata.h) and for the split flags' range parser. Only quant::Error may escape.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "quant/io/userdata.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const quant::Normalization n = quant::parseNormalizationJson(text, "fuzz.json");
    if (n.divisor && !(*n.divisor > 0 && std::isfinite(*n.divisor))) __builtin_trap();
    for (const float s : n.std)
      if (!(s > 0)) __builtin_trap();
  } catch (const quant::Error&) {
  }
  try {
    const quant::SampleRange r = quant::parseSampleRange(text, 1000);
    if (r.first < 0 || r.count < 1 || r.end() > 1000) __builtin_trap();
  } catch (const quant::Error&) {
  }
  return 0;
}
