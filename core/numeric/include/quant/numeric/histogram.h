// SPDX-License-Identifier: GPL-3.0-or-later
// Fixed-width histograms of float data. Used by calibration (percentile, entropy, MSE searches),
// by the KL-divergence metric and by the histogram view.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace quant {

// `counts.size()` equal-width bins over [lo, hi]; bin i covers [lo + i*w, lo + (i+1)*w) and the last
// bin also holds hi. Non-finite values are counted in `nonFinite` and not binned; values outside
// [lo, hi] are counted in `below` / `above`.
struct Histogram {
  double lo = 0.0;
  double hi = 0.0;
  std::vector<std::int64_t> counts;
  std::int64_t below = 0;
  std::int64_t above = 0;
  std::int64_t nonFinite = 0;

  double binWidth() const;
  double binCenter(std::size_t i) const;
  std::int64_t total() const;  // binned + below + above (non-finite excluded)
};

// Finite min and max of x (ignoring NaN/Inf); {0, 0} and finiteCount 0 when there is none.
struct MinMax {
  float min = 0.0f;
  float max = 0.0f;
  std::int64_t finiteCount = 0;
};
MinMax finiteMinMax(std::span<const float> x);

// Histogram of x over [lo, hi] with `bins` bins (bins >= 1). lo == hi gives a single-value histogram
// (everything equal to lo lands in the middle bin).
Histogram buildHistogram(std::span<const float> x, int bins, double lo, double hi);
// Histogram over the finite range of x.
Histogram buildHistogram(std::span<const float> x, int bins);

}  // namespace quant
