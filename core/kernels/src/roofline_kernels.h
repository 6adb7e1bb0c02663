// SPDX-License-Identifier: GPL-3.0-or-later
// The micro-kernels behind roofline.h, one file per ISA (roofline_sse2.cpp, roofline_avx2.cpp,
// roofline_avx512.cpp). A peak loop runs `iterations` rounds of independent multiply-adds and
// returns a value that depends on all of them, so the compiler cannot drop the work; the k*Macs
// constants say how many multiply-accumulates one round does. A read pass sums `count` int32
// values (count a multiple of 64) with vector loads.
#pragma once

#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#define QUANT_ROOFLINE_X86 1
#else
#define QUANT_ROOFLINE_X86 0
#endif

// The peak loops name every accumulator c<i>, as the GEMM kernels do (gemm_kernels.h: GCC 12
// copies an array of vector accumulators once per round, and the loop would time those copies);
// QR_EACH writes a per-accumulator statement for each of them.
#define QR_EACH6(X) X(0) X(1) X(2) X(3) X(4) X(5)
#define QR_EACH10(X) QR_EACH6(X) X(6) X(7) X(8) X(9)
#define QR_EACH12(X) QR_EACH10(X) X(10) X(11)

namespace quant::roofline::kernels {

// Baseline (always compiled): mulps + addps and pmaddwd + paddd on xmm, or plain C++ loops on
// other architectures.
inline constexpr std::int64_t kSse2Fp32Macs = 6 * 4;
inline constexpr std::int64_t kSse2Int8Macs = 6 * 8;
float sse2Fp32(std::int64_t iterations);
std::int32_t sse2Int8(std::int64_t iterations);
std::int64_t sse2Read(const std::int32_t* p, std::int64_t count);

#if QUANT_ROOFLINE_X86
inline constexpr std::int64_t kAvx2Fp32Macs = 10 * 8;  // vfmadd231ps ymm
inline constexpr std::int64_t kAvx2Int8Macs = 6 * 16;  // vpmaddwd ymm
float avx2Fp32(std::int64_t iterations);
std::int32_t avx2Int8(std::int64_t iterations);
std::int64_t avx2Read(const std::int32_t* p, std::int64_t count);

inline constexpr std::int64_t kAvx512Fp32Macs = 12 * 16;  // vfmadd231ps zmm
inline constexpr std::int64_t kAvx512Int8Macs = 12 * 64;  // vpdpbusd zmm
float avx512Fp32(std::int64_t iterations);
std::int32_t avx512Int8(std::int64_t iterations);
std::int64_t avx512Read(const std::int32_t* p, std::int64_t count);
#endif

}  // namespace quant::roofline::kernels
