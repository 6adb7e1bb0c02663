// SPDX-License-Identifier: GPL-3.0-or-later
// Non-uniform and block quantization formats used for LLM weight compression: NF4 (QLoRA),
// power-of-two (log2) codes, a 1-D k-means code book, block-wise absmax integers and the
// GGUF / llama.cpp block formats Q8_0 and Q4_0.
//
// Every function quantizes a flat tensor (blocks run along the flattened order), dequantizes it
// again and reports the TRUE storage cost in bits per weight, counting the per-block scales and
// the code book:  bitsPerWeight = (n * codeBits + storedScaleAndTableBits) / n.
// A last block shorter than the block size is a block of its own and its scale is counted, so
// e.g. NF4 on 100 values with block 64 costs (100*4 + 2*32)/100 = 4.64 bits. For an empty input
// bitsPerWeight is just the code width (nothing is stored).
//
// Non-finite inputs never reach a scale: absmax / min / max are taken over the finite values
// only. Before coding, NaN is treated as 0: it gets the code of 0 (nf4 7, q4_0 8, otherwise 0)
// and reconstructs to 0 (k-means: to the centroid nearest 0). +Inf / -Inf are treated as
// +absmax / -absmax of their block (k-means: the largest / smallest finite value of the tensor),
// i.e. they saturate to the extreme code. `mse` ignores the non-finite positions. A block with no
// nonzero finite value gets scale 0, all zero codes and reconstructs to 0 (no division by zero).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace quant {

struct CodebookResult {
  std::string scheme;                // "nf4", "log2", "kmeans", "absmax", "q8_0", "q4_0"
  std::vector<float> reconstructed;  // dequantized values, one per input value
  // One code per input value. int32 so that signed integer codes stay readable; the meaning:
  //   nf4    index 0..15 into nf4Table()
  //   log2   (sign << (bits-1)) | m, see quantizeLog2
  //   kmeans index into `codebook` (sorted ascending)
  //   absmax signed integer q in [-(2^(bits-1)-1), 2^(bits-1)-1]
  //   q8_0   signed int8 q in [-127, 127]
  //   q4_0   unsigned nibble q in [0, 15] (value = (q - 8) * d)
  std::vector<std::int32_t> codes;
  std::vector<float> scales;    // one per block, exactly as stored (fp16-rounded for Q8_0/Q4_0)
  std::vector<float> codebook;  // normalized code values (nf4, log2) or centroids (kmeans);
                                // empty for the uniform integer formats
  int bits = 0;                 // code bits per weight, excluding scales / code book
  int blockSize = 0;            // values per scale; 0 = one scale / code book for the whole tensor
  double bitsPerWeight = 0.0;   // true storage cost including scales and code book
  double mse = 0.0;             // mean squared error over the finite inputs (0 if there are none)
  std::size_t nonFinite = 0;    // how many inputs were NaN or +-Inf
  std::string description;      // one line for the UI / CLI, with the bpw arithmetic
};

// ---------------------------------------------------------------------------------------------
// NF4 (QLoRA NormalFloat4, as in bitsandbytes).

// The 16 published NF4 values, ascending, exactly as printed in the QLoRA paper / bitsandbytes.
const std::array<float, 16>& nf4Table();

// Recomputes the NF4 values from their definition: with Phi^-1 the standard-normal quantile
// function and linspace(a, b, k) k evenly spaced points including both ends,
//   positive half = Phi^-1(linspace(offset, 0.5, 9)[0..7]),
//   negative half = -Phi^-1(linspace(offset, 0.5, 8)[0..6]), plus an exact 0,
// sorted and divided by the largest value (so the ends are exactly -1 and +1).
// Computed in double; the linspace points are evaluated in double too (bitsandbytes builds them
// in float32, which moves the published values by < 1e-6).
std::array<double, 16> nf4ComputedTable(double offset = 0.9677083);

// Standard-normal quantile function Phi^-1(p), own implementation (rational initial guess
// refined by Halley steps on erf / erfc), accurate to a few 1e-16 relative, also near p = 0.5.
// p <= 0 gives -inf, p >= 1 gives +inf, NaN gives NaN.
double inverseNormalCdf(double p);

// NF4 with block-wise absmax scaling: per block scale = max |x| over the finite values, stored
// as fp32, so bpw = 4 + 32/blockSize (4.5 at the default 64). Each value goes to the code whose
// value is nearest to x/scale (that ratio computed in double); an exact tie between two codes
// picks the lower index. Reconstruction is float(code * scale).
// Double quantization of the scales (QLoRA's 8-bit second-level scales) is out of scope.
// Throws quant::Error if blockSize < 1.
CodebookResult quantizeNF4(std::span<const float> x, int blockSize = 64);

// ---------------------------------------------------------------------------------------------
// Power-of-two (log2) quantization with `bits` bits (2..8), sign + magnitude code.
// Code layout: code = (sign << (bits-1)) | m with sign = 1 for negative values, M = 2^(bits-1)-1,
//   m = 0          -> 0
//   m = 1 .. M     -> scale * 2^-(M - m)   (m = M is the scale itself, m = 1 is scale*2^-(M-1))
// so the representable magnitudes are scale*2^-k for k = 0..M-1 plus zero; the code "negative
// zero" (sign 1, m 0) is never produced. scale = max |x| of the block (fp32), blockSize 0 = one
// scale for the whole tensor; bpw = bits + 32 * blocks / n.
// Rounding: NEAREST IN VALUE (not in the log domain): between 2^-(k+1) and 2^-k the threshold is
// 0.75 * 2^-k; between the smallest magnitude s and 0 it is s/2. Exact ties go to the smaller
// magnitude. Throws quant::Error for bits outside 2..8 or blockSize < 0.
CodebookResult quantizeLog2(std::span<const float> x, int bits, int blockSize = 0);

// ---------------------------------------------------------------------------------------------
// 1-D k-means (Lloyd) code book with 2^bits centroids (bits 1..8) for the whole tensor, fit on the
// finite values. Deterministic: the centroids start at the data quantiles
// sorted[floor((j + 0.5) * n / k)], nudged to distinct data values; Lloyd iterations run until no
// assignment changes or maxIterations (default 100). Assignment is by sorted centroids and
// midpoints; a value exactly on a midpoint goes to the lower centroid. An empty cluster keeps its
// centroid. With fewer distinct values than 2^bits the code book is those values (padded with the
// largest), so the reconstruction is exact. Because everything runs on the sorted data the result
// does not depend on the input order. bpw = bits + 2^bits * 32 / n (fp32 code book).
// Throws quant::Error for bits outside 1..8 or maxIterations < 1.
CodebookResult quantizeKMeans(std::span<const float> x, int bits, int maxIterations = 100);

// ---------------------------------------------------------------------------------------------
// Symmetric block-wise absmax integers: per block scale = absmax / (2^(bits-1)-1) (fp32),
// q = nearbyint(x / scale) (round half to even under the default rounding mode), clamped to
// [-(2^(bits-1)-1), 2^(bits-1)-1]; reconstruction float(q * scale) (saturated to +-absmax in the
// one case where that product overflows fp32, absmax close to FLT_MAX). A block whose scale is 0
// (all zeros, all non-finite, or an absmax so tiny that absmax / qmax underflows) codes to 0.
// bpw = bits + 32/blockSize. Throws quant::Error for bits outside 2..16 or blockSize < 1.
CodebookResult quantizeBlockAbsmax(std::span<const float> x, int bits, int blockSize = 64);

// ---------------------------------------------------------------------------------------------
// GGUF / llama.cpp block formats (blocks of 32, one fp16 scale per block). They mirror ggml's
// reference quantizers: the codes are computed with the fp32 scale d via its reciprocal
// (x * (1/d)), the scale is then stored as fp16 (round to nearest even) and reconstruction uses
// the stored fp16 scale. Departures from ggml, both only for inputs ggml mishandles: non-finite
// inputs follow the rule at the top of this file, and a scale above the fp16 range saturates to
// 65504 instead of becoming Inf (codes are clamped to their range).
//
// Q8_0: d = absmax / 127, q = roundf(x / d) -- roundf rounds ties AWAY FROM ZERO like ggml
// (2.5 -> 3, -2.5 -> -3), unlike the ties-to-even of quantizeBlockAbsmax. Stored as 32 int8 +
// one fp16: bpw = (32*8 + 16) / 32 = 8.5.
CodebookResult quantizeQ8_0(std::span<const float> x);

// Q4_0: max = the signed value with the largest magnitude (the first one on ties), d = max / -8,
// q = min(15, (int)(x / d + 8.5)) -- truncation of a value >= 0, i.e. round half up -- and
// reconstruction (q - 8) * d. So the extreme value reconstructs exactly at q = 0 and the opposite
// side only reaches 7 * |d|: the grid is asymmetric (-8..7 steps). ggml packs two codes per
// byte (value j in the low nibble, j + 16 in the high nibble); `codes` holds one per value.
// bpw = (32*4 + 16) / 32 = 4.5.
CodebookResult quantizeQ4_0(std::span<const float> x);

// ---------------------------------------------------------------------------------------------
// Names accepted by quantizeNonUniform: "nf4", "log2", "kmeans", "absmax", "q8_0", "q4_0".
std::vector<std::string> nonUniformSchemeNames();

// Dispatcher for the CLI / UI. `scheme` is case-insensitive. bits = 0 / blockSize = 0 pick the
// defaults: nf4 (bits 4, block 64), log2 (bits 4, one scale per tensor), kmeans (bits 4, no
// blocks), absmax (bits 4, block 64), q8_0 / q4_0 (fixed bits 8 / 4, block 32).
// Throws quant::Error for an unknown scheme, bits that the scheme doesn't support, a negative
// block size, or a block size a fixed format doesn't use (q8_0 / q4_0 other than 32, kmeans > 0).
CodebookResult quantizeNonUniform(std::string scheme, std::span<const float> x, int bits = 0,
                                  int blockSize = 0);

namespace nonuniform_detail {
// IEEE fp32 -> fp16 bits, round to nearest, ties to even; overflow gives Inf, NaN stays NaN.
std::uint16_t fp32ToFp16(float f);
// fp16 bits -> fp32 (exact).
float fp16ToFp32(std::uint16_t h);
}  // namespace nonuniform_detail

}  // namespace quant
