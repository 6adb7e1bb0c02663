// SPDX-License-Identifier: GPL-3.0-or-later
// PNG and JPEG images (libpng, libjpeg-turbo) and fitting images to a model's [C, H, W] input.
//
// Decoded pixels are float32 bytes 0..255 in channel-major order [C, H, W], C = 1 (grey) or 3
// (RGB); alpha is dropped (composited on black by libpng), palettes and 16-bit PNGs become 8-bit
// RGB. Safety: files are untrusted; an image above kMaxImagePixels or one the library rejects
// is ONE quant::Error "<where>: <problem>".
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "quant/base/tensor.h"

namespace quant {

// 16 Mpixel (4096 x 4096): far above any image a small vision model classifies, and small
// enough that a hostile header cannot make the float copies of one image cost more than ~600 MB.
inline constexpr std::int64_t kMaxImagePixels = std::int64_t{1} << 24;

// Decodes a PNG (magic 89 50 4e 47) or JPEG (ff d8 ff) held in memory to [C, H, W] with C = 1
// for grey images and 3 otherwise. dtype "uint8".
Tensor decodeImage(std::span<const std::uint8_t> bytes, const std::string& where);
Tensor loadImage(const std::string& path);

// How an image of another size reaches the model's H x W.
enum class ImageFit {
  Exact,    // sizes must already match
  Stretch,  // resize to H x W (aspect ratio not kept)
  Crop,     // resize so the image covers H x W keeping its aspect ratio, then crop the centre
};
// "exact" | "stretch" | "crop"; throws quant::Error for anything else.
ImageFit parseImageFit(const std::string& text);
const char* imageFitName(ImageFit fit);

// Fits one [C', H', W'] image to [channels, height, width]: channels by grey -> RGB replication
// or RGB -> grey luma (ITU-R BT.601: 0.299 R + 0.587 G + 0.114 B), size by `fit` with bilinear
// sampling at pixel centres (edges clamped). An image already [channels, height, width] is
// returned unchanged, bit for bit.
Tensor fitImage(const Tensor& image, std::int64_t channels, std::int64_t height, std::int64_t width,
                ImageFit fit, const std::string& where);

}  // namespace quant
