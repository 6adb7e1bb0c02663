// SPDX-License-Identifier: GPL-3.0-or-later
// The float32 forward pass of Linear and Conv2d on the dispatched fp32 GEMM kernels (fp32gemm.h),
// with bias and an optional ReLU fused into the GEMM's output stage. model.cpp uses them whenever
// the kernel level is above reference (QUANTLAB_ISA=reference or sse2 keeps the Eigen path).
// Private to core/nn.
#pragma once

#include <cstdint>
#include <memory>

#include "quant/kernels/fp32gemm.h"
#include "quant/nn/model.h"

namespace quant::detail {

// True when the fp32 forward pass runs on the SIMD GEMM kernels.
bool useFp32Kernels();

// A Linear layer's weights ([out, in], used as B = W^T) and bias packed once: a process-wide cache
// keyed by the layer's shape and a checksum of its weights and bias, so an edited or retrained
// layer is packed again and copies of a model share one packing. Thread-safe.
std::shared_ptr<const fp32gemm::PackedWeights> packedLinear(const Layer& l);

// y (n x out) = act(x (n x in) W^T + b).
void linearKernel(const fp32gemm::PackedWeights& w, std::int64_t n, const float* x, float* y,
                  bool relu);
// Conv2d of n whole NCHW samples through im2col: per sample and group, y = act(W cols + b).
void conv2dKernel(const Layer& l, std::int64_t n, const float* x, float* y, bool relu);

}  // namespace quant::detail
