// SPDX-License-Identifier: GPL-3.0-or-later
// Non-uniform and block quantization formats; see quant/numeric/nonuniform.h for the conventions.
#include "quant/numeric/nonuniform.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>

#include "quant/base/tensor.h"

namespace quant {

namespace nonuniform_detail {

std::uint16_t fp32ToFp16(float f) {
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(f);
  const auto sign = static_cast<std::uint16_t>((bits >> 16) & 0x8000u);
  const std::uint32_t mag = bits & 0x7fffffffu;
  if (mag >= 0x7f800000u) {
    // Inf stays Inf; NaN keeps its top payload bits and is forced quiet so it stays a NaN.
    if (mag == 0x7f800000u) return static_cast<std::uint16_t>(sign | 0x7c00u);
    return static_cast<std::uint16_t>(sign | 0x7e00u | ((mag >> 13) & 0x3ffu));
  }
  // 65520 is halfway between 65504 (odd mantissa) and 65536, so it and above round to Inf.
  if (mag >= 0x477ff000u) return static_cast<std::uint16_t>(sign | 0x7c00u);
  if (mag >= 0x38800000u) {  // >= 2^-14: a normal half
    const std::uint32_t exp = (mag >> 23) - 127u + 15u;
    std::uint32_t half = (exp << 10) | ((mag >> 13) & 0x3ffu);
    const std::uint32_t rest = mag & 0x1fffu;
    // A carry out of the mantissa correctly bumps the exponent.
    if (rest > 0x1000u || (rest == 0x1000u && (half & 1u))) ++half;
    return static_cast<std::uint16_t>(sign | half);
  }
  // Below 2^-25 everything rounds to zero (2^-25 itself is a tie that goes to the even 0).
  if (mag <= 0x33000000u) return sign;
  // Subnormal half: count units of 2^-24. The float is m * 2^(e - 150) with the implicit bit.
  const std::uint32_t e = mag >> 23;
  const std::uint32_t m = (mag & 0x7fffffu) | 0x800000u;
  const std::uint32_t shift = 126u - e;  // 14..24 here
  std::uint32_t half = m >> shift;
  const std::uint32_t rest = m & ((1u << shift) - 1u);
  const std::uint32_t halfway = 1u << (shift - 1u);
  if (rest > halfway || (rest == halfway && (half & 1u))) ++half;
  return static_cast<std::uint16_t>(sign | half);
}

float fp16ToFp32(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  const std::uint32_t exp = (h >> 10) & 0x1fu;
  const std::uint32_t man = h & 0x3ffu;
  if (exp == 0x1fu) return std::bit_cast<float>(sign | 0x7f800000u | (man << 13));
  if (exp == 0) {
    // Zero or subnormal: man * 2^-24 is exact in float.
    const float v = std::ldexp(static_cast<float>(man), -24);
    return sign ? -v : v;
  }
  return std::bit_cast<float>(sign | ((exp - 15u + 127u) << 23) | (man << 13));
}

}  // namespace nonuniform_detail

namespace {

using nonuniform_detail::fp16ToFp32;
using nonuniform_detail::fp32ToFp16;

constexpr int kFp32Bits = 32;
constexpr int kFp16Bits = 16;
constexpr std::size_t kGgmlBlock = 32;

std::string fmt(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// Bits per weight of n codes of `bits` bits plus `extraBits` of scales / tables.
double bitsPerWeight(std::size_t n, int bits, double extraBits) {
  if (n == 0) return bits;
  return (static_cast<double>(n) * bits + extraBits) / static_cast<double>(n);
}

std::size_t blockCount(std::size_t n, std::size_t block) {
  return n == 0 ? 0 : (n - 1) / block + 1;
}

float finiteAbsmax(std::span<const float> v) {
  float m = 0.0f;
  for (float x : v)
    if (std::isfinite(x)) m = std::max(m, std::fabs(x));
  return m;
}

// The non-finite rule of the header: NaN -> 0, +-Inf -> +-limit.
float sanitize(float v, float limit) {
  if (std::isnan(v)) return 0.0f;
  if (std::isinf(v)) return v > 0 ? limit : -limit;
  return v;
}

// Float -> int with clamping, defined for every input (NaN -> 0), so no out-of-range casts.
int clampToInt(float q, int lo, int hi) {
  if (std::isnan(q)) return 0;
  if (q <= static_cast<float>(lo)) return lo;
  if (q >= static_cast<float>(hi)) return hi;
  return static_cast<int>(q);
}

// fp16 storage of a scale that saturates instead of overflowing to Inf.
float storeScaleFp16(float d) {
  std::uint16_t h = fp32ToFp16(d);
  if ((h & 0x7fffu) == 0x7c00u) h = static_cast<std::uint16_t>((h & 0x8000u) | 0x7bffu);
  return fp16ToFp32(h);
}

// Fills mse and nonFinite from the input and the already filled reconstruction.
void finish(CodebookResult& r, std::span<const float> x) {
  double sum = 0.0;
  std::size_t finite = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i])) {
      ++r.nonFinite;
      continue;
    }
    const double e = static_cast<double>(x[i]) - static_cast<double>(r.reconstructed[i]);
    sum += e * e;
    ++finite;
  }
  r.mse = finite ? sum / static_cast<double>(finite) : 0.0;
}

void requireBlock(const char* scheme, int blockSize) {
  if (blockSize < 1)
    throw Error(std::string(scheme) + ": block size must be >= 1 (got " +
                std::to_string(blockSize) + ")");
}

// Standard-normal CDF via erfc, which stays accurate in the lower tail.
double normalCdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

}  // namespace

// ---------------------------------------------------------------------------------------------
// NF4

const std::array<float, 16>& nf4Table() {
  static const std::array<float, 16> table = {
      -1.0f,
      -0.6961928009986877f,
      -0.5250730514526367f,
      -0.39491748809814453f,
      -0.28444138169288635f,
      -0.18477343022823334f,
      -0.09105003625154495f,
      0.0f,
      0.07958029955625534f,
      0.16093020141124725f,
      0.24611230194568634f,
      0.33791524171829224f,
      0.44070982933044434f,
      0.5626170039176941f,
      0.7229568362236023f,
      1.0f,
  };
  return table;
}

double inverseNormalCdf(double p) {
  if (std::isnan(p)) return p;
  if (p <= 0.0) return -std::numeric_limits<double>::infinity();
  if (p >= 1.0) return std::numeric_limits<double>::infinity();
  if (p == 0.5) return 0.0;  // the iteration would stop at ~1e-18 instead of the exact median
  // Work in the lower half (1 - p is exact for p >= 0.5) and mirror.
  const bool upper = p > 0.5;
  const double q = upper ? 1.0 - p : p;
  // Starting point: the classic rational tail approximation (Abramowitz & Stegun 26.2.23,
  // |error| < 4.5e-4), good enough for Halley's cubic convergence to finish in a few steps.
  const double t = std::sqrt(-2.0 * std::log(q));
  double x = -(t - (2.515517 + t * (0.802853 + t * 0.010328)) /
                       (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308))));
  const double sqrt2pi = std::sqrt(2.0 * std::numbers::pi);
  for (int i = 0; i < 6; ++i) {
    // Near the median Phi(x) - q cancels; there q - 0.5 is exact and erf is accurate for
    // small x, which keeps the relative accuracy of tiny results.
    const double err =
        q >= 0.25 ? 0.5 * std::erf(x / std::numbers::sqrt2) - (q - 0.5) : normalCdf(x) - q;
    const double u = err * sqrt2pi * std::exp(0.5 * x * x);  // err / pdf(x)
    if (!std::isfinite(u)) break;
    const double next = x - u / (1.0 + 0.5 * x * u);
    if (next == x) break;
    x = next;
  }
  return upper ? -x : x;
}

std::array<double, 16> nf4ComputedTable(double offset) {
  std::array<double, 16> v{};
  std::size_t k = 0;
  // Positive half: linspace(offset, 0.5, 9) without its last point 0.5.
  for (int i = 0; i < 8; ++i) v[k++] = inverseNormalCdf(offset + i * (0.5 - offset) / 8.0);
  // Negative half: linspace(offset, 0.5, 8) without 0.5, negated.
  for (int i = 0; i < 7; ++i) v[k++] = -inverseNormalCdf(offset + i * (0.5 - offset) / 7.0);
  v[k++] = 0.0;
  std::sort(v.begin(), v.end());
  const double top = v.back();
  for (double& d : v) d /= top;
  return v;
}

CodebookResult quantizeNF4(std::span<const float> x, int blockSize) {
  requireBlock("nf4", blockSize);
  const auto& table = nf4Table();
  std::array<double, 15> mids{};
  for (std::size_t i = 0; i < mids.size(); ++i)
    mids[i] = (static_cast<double>(table[i]) + static_cast<double>(table[i + 1])) / 2.0;
  constexpr std::int32_t kZeroCode = 7;

  CodebookResult r;
  r.scheme = "nf4";
  r.bits = 4;
  r.blockSize = blockSize;
  r.codebook.assign(table.begin(), table.end());
  const std::size_t n = x.size();
  const auto block = static_cast<std::size_t>(blockSize);
  r.reconstructed.resize(n);
  r.codes.resize(n);
  r.scales.reserve(blockCount(n, block));
  for (std::size_t b = 0; b < n; b += std::min(block, n - b)) {
    const std::size_t e = b + std::min(block, n - b);
    const float absmax = finiteAbsmax(x.subspan(b, e - b));
    r.scales.push_back(absmax);
    for (std::size_t i = b; i < e; ++i) {
      if (absmax == 0.0f) {
        r.codes[i] = kZeroCode;
        r.reconstructed[i] = 0.0f;
        continue;
      }
      const double t = static_cast<double>(sanitize(x[i], absmax)) / static_cast<double>(absmax);
      // First midpoint >= t: a value exactly on a midpoint takes the lower code.
      const auto idx = std::lower_bound(mids.begin(), mids.end(), t) - mids.begin();
      r.codes[i] = static_cast<std::int32_t>(idx);
      r.reconstructed[i] = table[static_cast<std::size_t>(idx)] * absmax;
    }
  }
  r.bitsPerWeight = bitsPerWeight(n, 4, static_cast<double>(r.scales.size()) * kFp32Bits);
  r.description = "NF4 (QLoRA NormalFloat4), block " + std::to_string(blockSize) +
                  ", fp32 absmax scale per block: 4 + 32/" + std::to_string(blockSize) + " -> " +
                  fmt(r.bitsPerWeight) + " bits/weight (double-quantized scales not modelled)";
  finish(r, x);
  return r;
}

// ---------------------------------------------------------------------------------------------
// log2

CodebookResult quantizeLog2(std::span<const float> x, int bits, int blockSize) {
  if (bits < 2 || bits > 8)
    throw Error("log2: bits must be in 2..8 (got " + std::to_string(bits) + ")");
  if (blockSize < 0)
    throw Error("log2: block size must be >= 0 (got " + std::to_string(blockSize) + ")");
  const int maxM = (1 << (bits - 1)) - 1;  // M: largest magnitude code
  const std::int32_t signBit = 1 << (bits - 1);
  const double smallest = std::ldexp(1.0, -(maxM - 1));

  CodebookResult r;
  r.scheme = "log2";
  r.bits = bits;
  r.blockSize = blockSize;
  // Normalized representable values, ascending.
  for (int k = 0; k < maxM; ++k) r.codebook.push_back(-std::ldexp(1.0f, -k));
  r.codebook.push_back(0.0f);
  for (int k = maxM - 1; k >= 0; --k) r.codebook.push_back(std::ldexp(1.0f, -k));

  const std::size_t n = x.size();
  const std::size_t block =
      blockSize == 0 ? std::max<std::size_t>(n, 1) : static_cast<std::size_t>(blockSize);
  r.reconstructed.resize(n);
  r.codes.resize(n);
  for (std::size_t b = 0; b < n; b += std::min(block, n - b)) {
    const std::size_t e = b + std::min(block, n - b);
    const float scale = finiteAbsmax(x.subspan(b, e - b));
    r.scales.push_back(scale);
    for (std::size_t i = b; i < e; ++i) {
      const float v = scale == 0.0f ? 0.0f : sanitize(x[i], scale);
      const double t = scale == 0.0f ? 0.0 : std::fabs(static_cast<double>(v)) / scale;
      int m;
      if (t <= smallest / 2.0) {
        m = 0;  // ties between 0 and the smallest magnitude go to 0
      } else if (t <= smallest) {
        m = 1;
      } else {
        int ex;
        const double f = std::frexp(t, &ex);  // t = f * 2^ex, f in [0.5, 1)
        // Candidates 2^(ex-1) and 2^ex; their midpoint is 0.75 * 2^ex, ties go down.
        int p = f > 0.75 ? ex : ex - 1;
        p = std::clamp(p, -(maxM - 1), 0);
        m = maxM + p;
      }
      const bool negative = v < 0.0f && m != 0;
      float mag = m == 0 ? 0.0f : std::ldexp(scale, -(maxM - m));
      r.codes[i] = (negative ? signBit : 0) | m;
      r.reconstructed[i] = negative ? -mag : mag;
    }
  }
  r.bitsPerWeight = bitsPerWeight(n, bits, static_cast<double>(r.scales.size()) * kFp32Bits);
  r.description = "log2 (sign + power-of-two magnitude), " + std::to_string(bits) +
                  " bits, values +-scale*2^-k for k=0.." + std::to_string(maxM - 1) + " and 0, " +
                  (blockSize == 0 ? std::string("one fp32 scale per tensor")
                                  : "fp32 scale per block of " + std::to_string(blockSize)) +
                  " -> " + fmt(r.bitsPerWeight) + " bits/weight";
  finish(r, x);
  return r;
}

// ---------------------------------------------------------------------------------------------
// k-means

CodebookResult quantizeKMeans(std::span<const float> x, int bits, int maxIterations) {
  if (bits < 1 || bits > 8)
    throw Error("kmeans: bits must be in 1..8 (got " + std::to_string(bits) + ")");
  if (maxIterations < 1)
    throw Error("kmeans: max iterations must be >= 1 (got " + std::to_string(maxIterations) + ")");
  const std::size_t k = std::size_t{1} << bits;

  std::vector<float> sorted;
  sorted.reserve(x.size());
  for (float v : x)
    if (std::isfinite(v)) sorted.push_back(v);
  std::sort(sorted.begin(), sorted.end());
  const std::size_t m = sorted.size();

  std::vector<float> cent(k, 0.0f);
  int iterations = 0;
  if (m > 0) {
    std::vector<float> distinct(sorted);
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    const std::size_t u = distinct.size();
    if (u <= k) {
      std::copy(distinct.begin(), distinct.end(), cent.begin());
      std::fill(cent.begin() + static_cast<std::ptrdiff_t>(u), cent.end(), distinct.back());
    } else {
      // Data quantiles, then forced onto k distinct data values (keeps order, avoids twins that
      // would stay twins forever).
      std::vector<std::size_t> idx(k);
      for (std::size_t j = 0; j < k; ++j) {
        const std::size_t pos = std::min(m - 1, ((2 * j + 1) * m) / (2 * k));
        idx[j] = static_cast<std::size_t>(
            std::lower_bound(distinct.begin(), distinct.end(), sorted[pos]) - distinct.begin());
      }
      for (std::size_t j = 1; j < k; ++j) idx[j] = std::max(idx[j], idx[j - 1] + 1);
      idx[k - 1] = std::min(idx[k - 1], u - 1);
      for (std::size_t j = k - 1; j-- > 0;) idx[j] = std::min(idx[j], idx[j + 1] - 1);
      for (std::size_t j = 0; j < k; ++j) cent[j] = distinct[idx[j]];

      std::vector<double> prefix(m + 1, 0.0);
      for (std::size_t i = 0; i < m; ++i) prefix[i + 1] = prefix[i] + sorted[i];

      // Clusters are contiguous ranges of the sorted data: bound[j]..bound[j+1].
      std::vector<std::size_t> bound(k + 1, 0), next(k + 1, 0);
      next[k] = m;
      for (int it = 0; it < maxIterations; ++it) {
        for (std::size_t j = 1; j < k; ++j) {
          const double mid = (static_cast<double>(cent[j - 1]) + cent[j]) / 2.0;
          next[j] = static_cast<std::size_t>(
              std::upper_bound(sorted.begin(), sorted.end(), mid,
                               [](double a, float b) { return a < static_cast<double>(b); }) -
              sorted.begin());
        }
        if (it > 0 && next == bound) break;
        bound.swap(next);
        next[k] = m;
        ++iterations;
        for (std::size_t j = 0; j < k; ++j) {
          const std::size_t s = bound[j], e = bound[j + 1];
          if (e <= s) continue;  // empty cluster keeps its centroid
          double mean = (prefix[e] - prefix[s]) / static_cast<double>(e - s);
          // Rounding in the prefix sums must not push a mean outside its cluster (order!).
          mean =
              std::clamp(mean, static_cast<double>(sorted[s]), static_cast<double>(sorted[e - 1]));
          cent[j] = static_cast<float>(mean);
        }
      }
    }
  }

  CodebookResult r;
  r.scheme = "kmeans";
  r.bits = bits;
  r.blockSize = 0;
  r.codebook = cent;
  std::vector<double> mids(k - 1);
  for (std::size_t j = 0; j + 1 < k; ++j)
    mids[j] = (static_cast<double>(cent[j]) + static_cast<double>(cent[j + 1])) / 2.0;
  const std::size_t n = x.size();
  r.reconstructed.resize(n);
  r.codes.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (m == 0) {
      r.codes[i] = 0;
      r.reconstructed[i] = 0.0f;
      continue;
    }
    float v = x[i];
    if (std::isnan(v)) v = 0.0f;
    if (std::isinf(v)) v = v > 0 ? sorted.back() : sorted.front();
    const auto j =
        std::lower_bound(mids.begin(), mids.end(), static_cast<double>(v)) - mids.begin();
    r.codes[i] = static_cast<std::int32_t>(j);
    r.reconstructed[i] = cent[static_cast<std::size_t>(j)];
  }
  r.bitsPerWeight = bitsPerWeight(n, bits, static_cast<double>(k) * kFp32Bits);
  r.description = "k-means code book, " + std::to_string(k) + " fp32 centroids (" +
                  std::to_string(iterations) + " Lloyd iterations): " + std::to_string(bits) +
                  " + " + std::to_string(k) + "*32/" + std::to_string(n) + " -> " +
                  fmt(r.bitsPerWeight) + " bits/weight";
  finish(r, x);
  return r;
}

// ---------------------------------------------------------------------------------------------
// block absmax integers

CodebookResult quantizeBlockAbsmax(std::span<const float> x, int bits, int blockSize) {
  if (bits < 2 || bits > 16)
    throw Error("absmax: bits must be in 2..16 (got " + std::to_string(bits) + ")");
  requireBlock("absmax", blockSize);
  const int qmax = (1 << (bits - 1)) - 1;

  CodebookResult r;
  r.scheme = "absmax";
  r.bits = bits;
  r.blockSize = blockSize;
  const std::size_t n = x.size();
  const auto block = static_cast<std::size_t>(blockSize);
  r.reconstructed.resize(n);
  r.codes.resize(n);
  r.scales.reserve(blockCount(n, block));
  for (std::size_t b = 0; b < n; b += std::min(block, n - b)) {
    const std::size_t e = b + std::min(block, n - b);
    const float absmax = finiteAbsmax(x.subspan(b, e - b));
    const float scale = absmax / static_cast<float>(qmax);
    r.scales.push_back(scale);
    for (std::size_t i = b; i < e; ++i) {
      int q = 0;
      if (scale != 0.0f)
        q = clampToInt(std::nearbyint(sanitize(x[i], absmax) / scale), -qmax, qmax);
      r.codes[i] = q;
      float rec = static_cast<float>(q) * scale;
      // Near FLT_MAX the rounded scale times qmax can round past the largest float.
      if (std::isinf(rec)) rec = rec > 0 ? absmax : -absmax;
      r.reconstructed[i] = rec;
    }
  }
  r.bitsPerWeight = bitsPerWeight(n, bits, static_cast<double>(r.scales.size()) * kFp32Bits);
  r.description = "symmetric absmax int" + std::to_string(bits) + ", block " +
                  std::to_string(blockSize) + ", fp32 scale per block: " + std::to_string(bits) +
                  " + 32/" + std::to_string(blockSize) + " -> " + fmt(r.bitsPerWeight) +
                  " bits/weight (round half to even)";
  finish(r, x);
  return r;
}

// ---------------------------------------------------------------------------------------------
// GGUF Q8_0 / Q4_0

namespace {

// x / d as ggml computes it (x times the fp32 reciprocal); when 1/d overflows (d subnormal)
// fall back to a double division so the result stays finite.
float scaledByReciprocal(float v, float d, float id) {
  if (std::isfinite(id)) return v * id;
  return static_cast<float>(static_cast<double>(v) / static_cast<double>(d));
}

}  // namespace

CodebookResult quantizeQ8_0(std::span<const float> x) {
  CodebookResult r;
  r.scheme = "q8_0";
  r.bits = 8;
  r.blockSize = static_cast<int>(kGgmlBlock);
  const std::size_t n = x.size();
  r.reconstructed.resize(n);
  r.codes.resize(n);
  r.scales.reserve(blockCount(n, kGgmlBlock));
  for (std::size_t b = 0; b < n; b += std::min(kGgmlBlock, n - b)) {
    const std::size_t e = b + std::min(kGgmlBlock, n - b);
    const float amax = finiteAbsmax(x.subspan(b, e - b));
    const float d = amax / 127.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    const float stored = storeScaleFp16(d);
    r.scales.push_back(stored);
    for (std::size_t i = b; i < e; ++i) {
      const float x0 = scaledByReciprocal(sanitize(x[i], amax), d, id);
      const int q = clampToInt(std::round(x0), -127, 127);  // std::round = roundf: ties away
      r.codes[i] = q;
      r.reconstructed[i] = static_cast<float>(q) * stored;
    }
  }
  r.bitsPerWeight = bitsPerWeight(n, 8, static_cast<double>(r.scales.size()) * kFp16Bits);
  r.description =
      "GGUF Q8_0: blocks of 32 int8 + fp16 scale d = absmax/127, roundf (ties away "
      "from zero): (32*8 + 16)/32 -> " +
      fmt(r.bitsPerWeight) + " bits/weight";
  finish(r, x);
  return r;
}

CodebookResult quantizeQ4_0(std::span<const float> x) {
  CodebookResult r;
  r.scheme = "q4_0";
  r.bits = 4;
  r.blockSize = static_cast<int>(kGgmlBlock);
  const std::size_t n = x.size();
  r.reconstructed.resize(n);
  r.codes.resize(n);
  r.scales.reserve(blockCount(n, kGgmlBlock));
  for (std::size_t b = 0; b < n; b += std::min(kGgmlBlock, n - b)) {
    const std::size_t e = b + std::min(kGgmlBlock, n - b);
    float amax = 0.0f, maxv = 0.0f;
    for (std::size_t i = b; i < e; ++i) {
      // Strict '<' like ggml: the first value of the largest magnitude wins.
      if (std::isfinite(x[i]) && amax < std::fabs(x[i])) {
        amax = std::fabs(x[i]);
        maxv = x[i];
      }
    }
    const float d = maxv / -8.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    const float stored = storeScaleFp16(d);
    r.scales.push_back(stored);
    for (std::size_t i = b; i < e; ++i) {
      const float x0 = scaledByReciprocal(sanitize(x[i], amax), d, id);
      // x0 is in [-8, 8], so x0 + 8.5 >= 0 and the int conversion truncates = floors.
      const int q = clampToInt(x0 + 8.5f, 0, 15);
      r.codes[i] = q;
      r.reconstructed[i] = static_cast<float>(q - 8) * stored;
    }
  }
  r.bitsPerWeight = bitsPerWeight(n, 4, static_cast<double>(r.scales.size()) * kFp16Bits);
  r.description =
      "GGUF Q4_0: blocks of 32 4-bit codes + fp16 scale d = max/-8 (signed max), "
      "q = min(15, (int)(x/d + 8.5)), value (q-8)*d: (32*4 + 16)/32 -> " +
      fmt(r.bitsPerWeight) + " bits/weight";
  finish(r, x);
  return r;
}

// ---------------------------------------------------------------------------------------------
// dispatcher

std::vector<std::string> nonUniformSchemeNames() {
  return {"nf4", "log2", "kmeans", "absmax", "q8_0", "q4_0"};
}

CodebookResult quantizeNonUniform(std::string scheme, std::span<const float> x, int bits,
                                  int blockSize) {
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto names = nonUniformSchemeNames();
  if (std::find(names.begin(), names.end(), scheme) == names.end()) {
    std::string known;
    for (const auto& s : names) known += (known.empty() ? "" : ", ") + s;
    throw Error("unknown non-uniform scheme '" + scheme + "' (known: " + known + ")");
  }
  if (blockSize < 0)
    throw Error(scheme + ": block size must be >= 0 (got " + std::to_string(blockSize) + ")");
  auto fixedBits = [&](int want) {
    if (bits != 0 && bits != want)
      throw Error(scheme + " always uses " + std::to_string(want) + " bits (got " +
                  std::to_string(bits) + ")");
  };
  auto fixedBlock = [&](int want) {
    if (blockSize != 0 && blockSize != want)
      throw Error(scheme + " always uses blocks of " + std::to_string(want) + " (got " +
                  std::to_string(blockSize) + ")");
  };
  if (scheme == "nf4") {
    fixedBits(4);
    return quantizeNF4(x, blockSize == 0 ? 64 : blockSize);
  }
  if (scheme == "log2") return quantizeLog2(x, bits == 0 ? 4 : bits, blockSize);
  if (scheme == "kmeans") {
    if (blockSize != 0)
      throw Error("kmeans fits one code book per tensor; block size must be 0 (got " +
                  std::to_string(blockSize) + ")");
    return quantizeKMeans(x, bits == 0 ? 4 : bits);
  }
  if (scheme == "absmax")
    return quantizeBlockAbsmax(x, bits == 0 ? 4 : bits, blockSize == 0 ? 64 : blockSize);
  if (scheme == "q8_0") {
    fixedBits(8);
    fixedBlock(32);
    return quantizeQ8_0(x);
  }
  if (scheme == "q4_0") {
    fixedBits(4);
    fixedBlock(32);
    return quantizeQ4_0(x);
  }
  throw Error("unhandled non-uniform scheme '" + scheme + "'");  // names list out of sync
}

}  // namespace quant
