// SPDX-License-Identifier: GPL-3.0-or-later
// Fixed-width histograms and the finite min/max scan (see quant/numeric/histogram.h).
//
// Both functions run on every slider move of tensors with up to tens of millions of elements, so
// the hot loops avoid data-dependent branches: "finite" is tested as (v - v == 0), which is false
// for NaN and for +-Inf (Inf - Inf is NaN), and the min/max updates are selects the compiler turns
// into minps/maxps. Nothing here casts an out-of-range float to an integer: bin indices are
// computed only for values already known to lie in [lo, hi].
#include "quant/numeric/histogram.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "quant/base/tensor.h"

namespace quant {

double Histogram::binWidth() const {
  if (counts.empty()) return 0.0;
  return (hi - lo) / static_cast<double>(counts.size());
}

double Histogram::binCenter(std::size_t i) const {
  return lo + (static_cast<double>(i) + 0.5) * binWidth();
}

std::int64_t Histogram::total() const {
  return std::accumulate(counts.begin(), counts.end(), std::int64_t{0}) + below + above;
}

MinMax finiteMinMax(std::span<const float> x) {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  // Independent lanes let the compiler vectorise the loop without reassociating a single
  // accumulator; 32-bit lane counters are flushed into 64-bit totals every kChunk blocks so they
  // cannot overflow.
  constexpr std::size_t kLanes = 16;
  constexpr std::size_t kChunk = std::size_t{1} << 20;  // blocks per flush (< 2^31 per lane)
  float mn[kLanes], mx[kLanes];
  std::int32_t cnt[kLanes];
  for (std::size_t j = 0; j < kLanes; ++j) {
    mn[j] = kInf;
    mx[j] = -kInf;
    cnt[j] = 0;
  }
  std::int64_t finite = 0;
  const float* p = x.data();
  const std::size_t n = x.size();
  const std::size_t blocks = n / kLanes;
  std::size_t b = 0;
  while (b < blocks) {
    const std::size_t end = std::min(blocks, b + kChunk);
    for (; b < end; ++b) {
      const float* q = p + b * kLanes;
      for (std::size_t j = 0; j < kLanes; ++j) {
        const float v = q[j];
        const bool f = (v - v) == 0.0f;
        const float a = f ? v : kInf;
        const float c = f ? v : -kInf;
        mn[j] = a < mn[j] ? a : mn[j];
        mx[j] = c > mx[j] ? c : mx[j];
        cnt[j] += static_cast<std::int32_t>(f);
      }
    }
    for (std::size_t j = 0; j < kLanes; ++j) {
      finite += cnt[j];
      cnt[j] = 0;
    }
  }
  float lo = kInf, hi = -kInf;
  for (std::size_t j = 0; j < kLanes; ++j) {
    lo = std::min(lo, mn[j]);
    hi = std::max(hi, mx[j]);
  }
  for (std::size_t i = blocks * kLanes; i < n; ++i) {
    const float v = p[i];
    if ((v - v) == 0.0f) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
      ++finite;
    }
  }
  MinMax r;
  r.finiteCount = finite;
  if (finite > 0) {
    r.min = lo;
    r.max = hi;
  }
  return r;
}

Histogram buildHistogram(std::span<const float> x, int bins, double lo, double hi) {
  if (bins < 1) throw Error("histogram: bin count must be at least 1, got " + std::to_string(bins));
  if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi) {
    throw Error("histogram: range [" + std::to_string(lo) + ", " + std::to_string(hi) +
                "] is not a finite interval");
  }
  Histogram h;
  h.lo = lo;
  h.hi = hi;
  h.counts.assign(static_cast<std::size_t>(bins), 0);
  const std::size_t nb = static_cast<std::size_t>(bins);

  if (lo == hi) {
    // A single value: no width to divide by. Everything equal to it goes to the middle bin.
    const std::size_t mid = nb / 2;
    std::int64_t nonFinite = 0, below = 0, above = 0, at = 0;
    for (const float v : x) {
      const double d = v;
      const bool f = (v - v) == 0.0f;
      nonFinite += !f;
      below += f && d < lo;
      above += f && d > hi;
      at += f && d == lo;
    }
    h.counts[mid] = at;
    h.nonFinite = nonFinite;
    h.below = below;
    h.above = above;
    return h;
  }

  const double width = (hi - lo) / static_cast<double>(bins);
  const double inv = static_cast<double>(bins) / (hi - lo);
  const std::size_t last = nb - 1;
  const auto binsD = static_cast<double>(bins);
  // Four interleaved count arrays: runs of equal values (common in already-quantized or ReLU
  // data) would otherwise serialise on one counter's store-to-load dependency.
  const bool split = x.size() >= (std::size_t{1} << 16) && nb <= (std::size_t{1} << 16);
  const std::size_t ways = split ? 4 : 1;
  std::vector<std::int64_t> acc(nb * ways, 0);
  std::int64_t nonFinite = 0, below = 0, above = 0;
  const float* p = x.data();
  const std::size_t n = x.size();
  for (std::size_t i = 0; i < n; ++i) {
    const float v = p[i];
    const double d = v;
    if (!((v - v) == 0.0f)) {
      ++nonFinite;
      continue;
    }
    if (d < lo) {
      ++below;
      continue;
    }
    if (d > hi) {
      ++above;
      continue;
    }
    // d is in [lo, hi], so t is in [0, bins * (1 + tiny)]; the comparison also sends a NaN t
    // (only possible for absurd ranges such as hi - lo overflowing) to the last bin instead of
    // into an undefined conversion.
    const double t = (d - lo) * inv;
    std::size_t k = t < binsD ? static_cast<std::size_t>(t) : last;
    // The multiplication by 1/width can land one bin off next to an edge; settle it against
    // the documented edges lo + i * width (hi itself stays in the last bin).
    if (k > 0 && d < lo + static_cast<double>(k) * width) {
      --k;
    } else if (k < last && d >= lo + static_cast<double>(k + 1) * width) {
      ++k;
    }
    ++acc[(i & (ways - 1)) * nb + k];
  }
  for (std::size_t w = 0; w < ways; ++w) {
    for (std::size_t k = 0; k < nb; ++k) h.counts[k] += acc[w * nb + k];
  }
  h.nonFinite = nonFinite;
  h.below = below;
  h.above = above;
  return h;
}

Histogram buildHistogram(std::span<const float> x, int bins) {
  const MinMax mm = finiteMinMax(x);
  return buildHistogram(x, bins, mm.min, mm.max);
}

}  // namespace quant
