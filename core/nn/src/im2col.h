// SPDX-License-Identifier: GPL-3.0-or-later
// im2col in the [K, P] layout shared by the float32 forward pass (model.cpp, per group) and
// training (train.cpp, float and double): for the `channels` planes of H x W values at x,
//   cols[(c * kH + ky) * kW + kx, oy * oW + ox] = x[c, oy * sH + ky - padTop, ox * sW + kx -
//   padLeft]
// or `pad` where that position falls into the padding; cols is row-major with K = channels * kH *
// kW rows of P = oH * oW values, rowStride >= P apart (0 = P; the columns past P are not written).
// Pure copies, so the result does not depend on the element type's arithmetic. (The int8 executor
// builds the transposed [P, K] layout its GEMM takes, one output pixel per row, and keeps its own
// loop in that order.) Internal header (not installed).
#pragma once

#include <algorithm>
#include <cstdint>

#include "quant/nn/model.h"

namespace quant::detail {

template <class T>
void im2colRows(const Layer& l, const T* x, std::int64_t channels, T pad, T* cols,
                std::int64_t rowStride = 0) {
  const std::int64_t H = l.inShape[1], W = l.inShape[2];
  const std::int64_t oH = l.outShape[1], oW = l.outShape[2], P = oH * oW;
  const std::int64_t ld = rowStride > 0 ? rowStride : P;
  for (std::int64_t c = 0; c < channels; ++c) {
    const T* plane = x + c * H * W;
    for (int ky = 0; ky < l.kernelH; ++ky) {
      for (int kx = 0; kx < l.kernelW; ++kx) {
        T* row = cols + ((c * l.kernelH + ky) * l.kernelW + kx) * ld;
        for (std::int64_t oy = 0; oy < oH; ++oy) {
          const std::int64_t iy = oy * l.strideH - l.padTop + ky;
          T* out = row + oy * oW;
          if (iy < 0 || iy >= H) {
            for (std::int64_t ox = 0; ox < oW; ++ox) out[ox] = pad;
            continue;
          }
          // ix = ox * sW + off lies inside the row for ox in [lo, hi): the loops carry no
          // bounds test (the stride-1 copy vectorizes).
          const std::int64_t sW = l.strideW, off = kx - l.padLeft;
          const std::int64_t lo = std::min(off >= 0 ? 0 : (sW - 1 - off) / sW, oW);
          const std::int64_t hi =
              std::max(lo, std::min(W - off <= 0 ? 0 : (W - off + sW - 1) / sW, oW));
          const T* in = plane + iy * W;
          for (std::int64_t ox = 0; ox < lo; ++ox) out[ox] = pad;
          if (sW == 1) {
            for (std::int64_t ox = lo; ox < hi; ++ox) out[ox] = in[ox + off];
          } else {
            for (std::int64_t ox = lo; ox < hi; ++ox) out[ox] = in[ox * sW + off];
          }
          for (std::int64_t ox = hi; ox < oW; ++ox) out[ox] = pad;
        }
      }
    }
  }
}

}  // namespace quant::detail
