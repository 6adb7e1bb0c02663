// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the PNG/JPEG decoder of user data sets (libpng, libjpeg-turbo behind
// quant::decodeImage) and the fitting of a decoded image to model inputs. Only quant::Error may
// escape; any other exception, crash, sanitizer report, hang or giant allocation is a bug.
#include <cstddef>
#include <cstdint>

#include "quant/io/image.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const quant::Tensor img = quant::decodeImage({data, size}, "fuzz.png");
    if (img.shape.size() != 3 || (img.shape[0] != 1 && img.shape[0] != 3) ||
        static_cast<std::int64_t>(img.data.size()) != img.numel())
      __builtin_trap();
    for (const float v : img.data)
      if (!(v >= 0.0f && v <= 255.0f)) __builtin_trap();
    // Small targets only: the decoded image may be large, the fitted ones stay cheap.
    const quant::Tensor a = quant::fitImage(img, 3, 7, 5, quant::ImageFit::Stretch, "fuzz.png");
    const quant::Tensor b = quant::fitImage(img, 1, 4, 4, quant::ImageFit::Crop, "fuzz.png");
    for (const quant::Tensor* t : {&a, &b})
      for (const float v : t->data)
        if (!(v >= 0.0f && v <= 255.0f)) __builtin_trap();
  } catch (const quant::Error&) {
  }
  return 0;
}
