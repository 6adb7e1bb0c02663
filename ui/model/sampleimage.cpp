// SPDX-License-Identifier: GPL-3.0-or-later
#include "sampleimage.h"

#include <algorithm>
#include <cmath>

namespace quantlab::ui {

QImage sampleImage(const quant::Dataset& data, std::int64_t index) {
  const std::vector<std::int64_t>& s = data.images.shape;
  if (s.empty() || index < 0 || index >= s[0]) return {};
  std::int64_t c = 1, h = 0, w = 0;
  if (s.size() == 4) {
    c = s[1], h = s[2], w = s[3];
  } else if (s.size() == 2) {
    const auto side = static_cast<std::int64_t>(std::lround(std::sqrt(static_cast<double>(s[1]))));
    if (side * side != s[1]) return {};
    h = w = side;
  }
  if ((c != 1 && c != 3) || h < 1 || w < 1 || h > 4096 || w > 4096) return {};
  const std::size_t per = static_cast<std::size_t>(c * h * w);
  const float* px = data.images.data.data() + static_cast<std::size_t>(index) * per;
  const auto [lo, hi] = std::minmax_element(px, px + per);
  const bool unit = *lo >= 0.0f && *hi <= 1.0f;
  const float base = unit ? 0.0f : *lo;
  const float span = unit ? 1.0f : std::max(*hi - *lo, 1e-12f);
  auto level = [&](float v) {
    return std::clamp(static_cast<int>((v - base) / span * 255.0f + 0.5f), 0, 255);
  };
  const auto plane = static_cast<std::size_t>(h * w);
  QImage im(static_cast<int>(w), static_cast<int>(h),
            c == 1 ? QImage::Format_Grayscale8 : QImage::Format_RGB32);
  for (int y = 0; y < im.height(); ++y) {
    for (int x = 0; x < im.width(); ++x) {
      const std::size_t i = static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + x;
      if (c == 1)
        im.scanLine(y)[x] = static_cast<uchar>(255 - level(px[i]));
      else
        reinterpret_cast<QRgb*>(im.scanLine(y))[x] =
            qRgb(level(px[i]), level(px[plane + i]), level(px[2 * plane + i]));
    }
  }
  return im;
}

}  // namespace quantlab::ui
