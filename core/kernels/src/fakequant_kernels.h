// SPDX-License-Identifier: GPL-3.0-or-later
// The fake-quantize and int8-code kernels behind fakequant.cpp's front, one definition file per
// path. sums ==
// nullptr runs without measuring; otherwise the run's sums are added to *sums.
#pragma once

#include <cstddef>
#include <cstdint>

#include "quant/kernels/fakequant.h"

namespace quant::fakequant::kernels {

void runReference(const float* x, float* out, std::size_t n, const SlotParams& p, Sums* sums);
void runReference(const float* x, float* out, std::size_t n, const ElementParams& p, Sums* sums);
Sums measureReference(const float* x, const float* y, std::size_t n);
void codesReference(const float* x, std::int8_t* out, std::size_t n, const CodeParams& p);

#if defined(__x86_64__) || defined(__i386__)
void runSse2(const float* x, float* out, std::size_t n, const SlotParams& p, Sums* sums);
void runSse2(const float* x, float* out, std::size_t n, const ElementParams& p, Sums* sums);
void runAvx2(const float* x, float* out, std::size_t n, const SlotParams& p, Sums* sums);
void runAvx2(const float* x, float* out, std::size_t n, const ElementParams& p, Sums* sums);
Sums measureAvx2(const float* x, const float* y, std::size_t n);
void codesSse2(const float* x, std::int8_t* out, std::size_t n, const CodeParams& p);
void codesAvx2(const float* x, std::int8_t* out, std::size_t n, const CodeParams& p);
#endif

}  // namespace quant::fakequant::kernels
