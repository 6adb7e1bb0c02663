// SPDX-License-Identifier: GPL-3.0-or-later
// Calibration methods (see quant/numeric/calibrate.h). Conventions, where a method has a
// reference tool:
//
// MovingAverageMinMax  PyTorch MovingAverageMinMaxObserver. Batches are consecutive runs of
//                      `batchSize` values in memory order; a batch without finite values is
//                      skipped; the first batch with finite values initialises min/max; the update
//                      m <- m + c * (batch_m - m) is done in float32 like PyTorch's float tensors.
// Percentile           Exact order statistics (std::nth_element on a copy of the finite values up
//                      to 2^20 values; above, a copy-free radix selection on the bits, same
//                      result bit for bit; no histogram), interpolated like numpy.percentile's default 'linear' method:
//                      with h = (n - 1) * p / 100 and k = floor(h), the value is
//                      v[k] + (h - k) * (v[k+1] - v[k]) over the sorted finite values v.
//                      Two-sided returns [P_(100-p), P_p] (ordered); the |x| variant +-P_p(|x|).
// Mse                  Minimises the total squared fake-quantization error over a grid of clipping
//                      windows: symmetric schemes search t in (0, absmax] (window [-t, t]);
//                      asymmetric schemes search lo' = a * min(min, 0), hi' = b * max(max, 0) with
//                      a, b in (0, 1] by coordinate descent. Every 1-D search scans 200 (symmetric)
//                      or 100 (asymmetric) even steps, then zooms twice around the best step with
//                      41 points at 1/20 of the previous spacing. Up to kMseExactLimit finite
//                      values (2^16) the error is measured exactly on the data (quantizeValue /
//                      dequantizeValue arithmetic, inlined bit-identically); above it, on a
//                      kMseBins-bin (4096) histogram whose bins are taken as uniformly filled (the
//                      squared error is integrated exactly over each bin), which costs O(bins) per
//                      candidate instead of O(n).
// Entropy              TensorRT's KL procedure on a histogram of |x| over [0, absmax] with
//                      config.histogramBins (2048) bins. Target levels: 2^(bits-1) (128 for
//                      int8); an unsigned asymmetric spec on non-negative data has 2^bits levels
//                      over [0, t]. For every candidate i (levels..bins): P = bins 0..i-1 with the
//                      mass of bins i.. added to bin i-1; Q = the unfolded bins 0..i-1 merged
//                      into `levels` groups of i / levels bins (the last group takes the
//                      remainder), each group's total spread evenly over the bins where P is
//                      non-zero (Q = 0 where P = 0), as in TensorRT's description and MXNet's
//                      implementation. KL(P || Q) is computed on normalised P and Q; a bin with
//                      P > 0 and Q = 0 uses Q = 1e-10 (the epsilon of quant::klDivergence). The
//                      first minimum wins; threshold = (i + 0.5) * width, as in TensorRT's
//                      published procedure (the centre of the first clipped bin), capped at
//                      absmax. When the number of levels reaches the bin count no candidate clips
//                      and the threshold is absmax.
// HistogramL2          PyTorch HistogramObserver._non_linear_param_search on a histogram of the
//                      data over [min, max] (config.histogramBins bins), with 2^bits destination
//                      bins: alpha / beta (the fraction of mass cut below / above) advance in
//                      steps of 1e-5; each step moves the side whose quantile moved by more bins
//                      (the upper side on ties); when the bin window [start, end] changes, the L2
//                      error of quantizing the whole histogram onto 2^bits even bins spanning the
//                      window (bins taken as uniformly filled, clipped bins mapped to the end
//                      bins) is recomputed, and the search stops as soon as it increases. As in
//                      PyTorch the smallest error starts at +inf, so the first narrowing step is
//                      always taken (even when keeping the full range would have been better).
//                      Result: [min + start * w, min + (end + 1) * w].
//
// Symmetric methods (percentile of |x|, entropy) return the data range clipped into [-t, t] rather
// than [-t, t] itself: for a symmetric spec the scale (max(|lo|, |hi|) = t) is identical, and an
// asymmetric or unsigned spec does not waste codes on a side where there is no data.
//
// One file of ~790 lines on purpose: the methods share the rounding-error model, the range search
// and the order-statistics helpers at the top, which would otherwise become a private header
// included by six small files.
#include "quant/numeric/calibrate.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>

#include "quant/kernels/rounding.h"

namespace quant {

namespace {

constexpr std::size_t kMseExactLimit = std::size_t{1} << 16;
constexpr int kMseBins = 4096;
constexpr double kKlEpsilon = 1e-10;

bool isFinite(float v) { return (v - v) == 0.0f; }

std::vector<float> finiteValues(std::span<const float> x) {
  std::vector<float> v;
  v.reserve(x.size());
  for (const float f : x) {
    if (isFinite(f)) v.push_back(f);
  }
  return v;
}

std::int64_t countNonFinite(std::span<const float> x) {
  std::int64_t n = 0;
  for (const float f : x) n += !isFinite(f);
  return n;
}

Range clampInto(const MinMax& mm, double lo, double hi) {
  const auto l = static_cast<float>(lo), h = static_cast<float>(hi);
  return Range{std::clamp(mm.min, l, h), std::clamp(mm.max, l, h)};
}

void validateConfig(const CalibrationConfig& c) {
  if (!(c.percentile > 0.0 && c.percentile <= 100.0)) {
    throw Error("calibration: percentile must be in (0, 100], got " + std::to_string(c.percentile));
  }
  if (!(c.averagingConstant >= 0.0 && c.averagingConstant <= 1.0)) {
    throw Error("calibration: averaging constant must be in [0, 1], got " +
                std::to_string(c.averagingConstant));
  }
  if (c.batchSize < 1) throw Error("calibration: batch size must be at least 1");
  if (c.histogramBins < 1 || c.histogramBins > (1 << 24)) {
    throw Error("calibration: histogram bins must be in [1, 2^24], got " +
                std::to_string(c.histogramBins));
  }
}

// ---------------------------------------------------------------------------------------------
// Squared error of a rounding-and-clamping quantizer over an interval, in code units.
//
// In code units t = x / scale + zp the quantizer is C(t) = clamp(round(t), qmin, qmax), and
// (x - Q(x))^2 = scale^2 * (t - C(t))^2. These return the integral of (t - C(t))^2 dt.

// Integral of (t - c)^2 over [u, v]; factored so that no large cubes cancel.
double sqIntegral(double u, double v, double c) {
  const double a = u - c, b = v - c;
  return (v - u) * (a * a + a * b + b * b) / 3.0;
}

double roundingIntegral(double u, double v, int qmin, int qmax) {
  double sum = 0.0;
  const double lowEdge = qmin + 0.5, highEdge = qmax - 0.5;
  if (u < lowEdge) sum += sqIntegral(u, std::min(v, lowEdge), qmin);
  if (v > highEdge) sum += sqIntegral(std::max(u, highEdge), v, qmax);
  const double m0 = std::max(u, lowEdge), m1 = std::min(v, highEdge);
  if (m0 < m1) {
    // m0, m1 lie in [qmin + 0.5, qmax - 0.5], so these conversions are in range.
    const auto c0 = static_cast<std::int64_t>(std::floor(m0 + 0.5));
    const auto c1 = static_cast<std::int64_t>(std::floor(m1 + 0.5));
    if (c0 == c1) {
      sum += sqIntegral(m0, m1, static_cast<double>(c0));
    } else {
      sum += sqIntegral(m0, static_cast<double>(c0) + 0.5, static_cast<double>(c0));
      sum += static_cast<double>(c1 - c0 - 1) / 12.0;
      sum += sqIntegral(static_cast<double>(c1) - 0.5, m1, static_cast<double>(c1));
    }
  }
  return sum;
}

double pointError(double t, int qmin, int qmax) {
  const double c = std::clamp(std::nearbyint(std::clamp(t, double(qmin), double(qmax))),
                              double(qmin), double(qmax));
  return (t - c) * (t - c);
}

// Total squared error of quantizing the histogram's (uniformly spread) contents.
double histogramSquaredError(const Histogram& h, const ScaleZeroPoint& sz, int qmin, int qmax) {
  const double s = sz.scale, zp = sz.zeroPoint;
  const double w = h.binWidth();
  double total = 0.0;
  for (std::size_t k = 0; k < h.counts.size(); ++k) {
    const std::int64_t c = h.counts[k];
    if (c == 0) continue;
    const double a = h.lo + static_cast<double>(k) * w;
    const double u = a / s + zp, v = (a + w) / s + zp;
    const double mean =
        v > u ? roundingIntegral(u, v, qmin, qmax) / (v - u) : pointError(u, qmin, qmax);
    total += static_cast<double>(c) * mean;
  }
  return total * s * s;
}

// Squared error of fake-quantizing v, with quantizeValue's arithmetic inlined so the search loop
// vectorises: divide in float, clamp in float to [qmin - zp, qmax - zp], round ties-to-even, and
// multiply back (dequantizeValue's scale * (q - zp), where q - zp is this rounded value). Rounding
// is roundTiesToEven (quant/kernels/rounding.h), exact for |c| <= 2^22; after the clamp
// |c| <= 2^16. The results are bit-identical to quantizeValue + dequantizeValue.
double exactSquaredError(std::span<const float> v, const ScaleZeroPoint& sz, int qmin, int qmax) {
  constexpr std::size_t kLanes = 8;
  const float scale = sz.scale;
  const auto lo = static_cast<float>(static_cast<std::int64_t>(qmin) - sz.zeroPoint);
  const auto hi = static_cast<float>(static_cast<std::int64_t>(qmax) - sz.zeroPoint);
  auto error = [&](float x) {
    float c = x / scale;
    c = c < lo ? lo : c;
    c = c > hi ? hi : c;
    const float r = roundTiesToEven(c);
    const double e = static_cast<double>(x) - static_cast<double>(scale * r);
    return e * e;
  };
  double acc[kLanes] = {};
  const std::size_t blocks = v.size() / kLanes;
  for (std::size_t b = 0; b < blocks; ++b) {
    for (std::size_t j = 0; j < kLanes; ++j) acc[j] += error(v[b * kLanes + j]);
  }
  double total = 0.0;
  for (std::size_t i = blocks * kLanes; i < v.size(); ++i) total += error(v[i]);
  for (const double a : acc) total += a;
  return total;
}

// Minimises f over (0, 1]: an even scan of `steps` points, then two zooms around the best point.
// Scans run from 1 downwards and keep the first minimum, so ties favour the wider range.
template <class F>
double search01(F&& f, int steps, double& bestErr) {
  double best = 1.0;
  bestErr = f(1.0);
  for (int k = steps - 1; k >= 1; --k) {
    const double x = static_cast<double>(k) / steps;
    const double e = f(x);
    if (e < bestErr) {
      bestErr = e;
      best = x;
    }
  }
  double spacing = 1.0 / steps;
  for (int zoom = 0; zoom < 2; ++zoom) {
    const double center = best, fine = spacing / 20.0;
    for (int j = 20; j >= -20; --j) {
      if (j == 0) continue;
      const double x = center + j * fine;
      if (x <= 0.0 || x > 1.0) continue;
      const double e = f(x);
      if (e < bestErr) {
        bestErr = e;
        best = x;
      }
    }
    spacing = fine;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Methods. Each returns the range only; the caller adds the display histogram.

Range movingAverageRange(std::span<const float> x, const CalibrationConfig& c) {
  const auto batch = static_cast<std::size_t>(c.batchSize);
  const auto k = static_cast<float>(c.averagingConstant);
  bool started = false;
  float mn = 0.0f, mx = 0.0f;
  for (std::size_t b = 0; b < x.size(); b += batch) {
    const MinMax m = finiteMinMax(x.subspan(b, std::min(batch, x.size() - b)));
    if (m.finiteCount == 0) continue;
    if (!started) {
      mn = m.min;
      mx = m.max;
      started = true;
    } else {
      mn = mn + k * (m.min - mn);
      mx = mx + k * (m.max - mx);
    }
  }
  return Range{mn, mx};
}

// Sorted-order statistics k and k+1 of [first, last) (k+1 clamped to the last one).
std::pair<float, float> orderPair(float* first, float* last, std::size_t k) {
  std::nth_element(first, first + k, last);
  const float a = first[k];
  const float b = (first + k + 1 < last) ? *std::min_element(first + k + 1, last) : a;
  return {a, b};
}

double interpolate(std::pair<float, float> ab, double frac) {
  return static_cast<double>(ab.first) +
         frac * (static_cast<double>(ab.second) - static_cast<double>(ab.first));
}

// Above this many values, percentiles are selected without copying the data (see
// percentileRangeNoCopy); below it the copy is small and nth_element is faster.
constexpr std::size_t kPercentileCopyLimit = std::size_t{1} << 20;

// Order-preserving map of a float's bits to an unsigned key (-0 sorts just below +0).
std::uint32_t orderKey(float f) {
  const auto u = std::bit_cast<std::uint32_t>(f);
  return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}
float fromOrderKey(std::uint32_t k) {
  return std::bit_cast<float>((k & 0x80000000u) ? (k ^ 0x80000000u) : ~k);
}

// Order statistics k and k+1 (k+1 clamped to the last one, as orderPair) of the finite values
// of x (of |x| when `abs`), `n` of them, by a two-pass radix selection on 16-bit digits of
// orderKey plus at most one more pass for k+1, instead of nth_element on a copy of the data.
// The selected values equal orderPair's except possibly for the sign of a zero, which
// interpolate() cannot see: (b - a) >= 0 and frac >= 0, so a + frac * (b - a) is +0 for any
// mix of zero signs and does not depend on the sign of a zero otherwise.
std::pair<float, float> selectPair(std::span<const float> x, bool abs, std::size_t n,
                                   std::size_t k) {
  auto keyOf = [abs](float f) { return orderKey(abs ? std::fabs(f) : f); };
  std::vector<std::uint64_t> counts(std::size_t{1} << 16);
  for (const float f : x)
    if (isFinite(f)) ++counts[keyOf(f) >> 16];
  std::size_t below = 0, hiDigit = 0;
  while (below + counts[hiDigit] <= k) below += counts[hiDigit++];
  std::fill(counts.begin(), counts.end(), 0);
  for (const float f : x) {
    if (!isFinite(f)) continue;
    const std::uint32_t key = keyOf(f);
    if ((key >> 16) == hiDigit) ++counts[key & 0xffffu];
  }
  std::size_t loDigit = 0;
  while (below + counts[loDigit] <= k) below += counts[loDigit++];
  const auto keyA = static_cast<std::uint32_t>((hiDigit << 16) | loDigit);
  const float a = fromOrderKey(keyA);
  const std::size_t atMostA = below + counts[loDigit];  // values with key <= keyA
  if (k + 1 >= n || atMostA > k + 1) return {a, a};
  // Order statistic k+1 is the smallest value above a.
  std::uint32_t keyB = 0xffffffffu;
  for (const float f : x) {
    if (!isFinite(f)) continue;
    const std::uint32_t key = keyOf(f);
    if (key > keyA && key < keyB) keyB = key;
  }
  return {a, fromOrderKey(keyB)};
}

// percentileRange for large inputs: the same results without the copy of the finite values
// (for a tensor of several GB, that copy was the largest allocation of a calibration).
Range percentileRangeNoCopy(std::span<const float> x, const CalibrationConfig& c) {
  std::size_t n = 0;
  MinMax mm;  // as std::min_element / max_element over the finite values: first extreme wins
  for (const float f : x) {
    if (!isFinite(f)) continue;
    if (n == 0) {
      mm.min = mm.max = f;
    } else {
      if (f < mm.min) mm.min = f;
      if (mm.max < f) mm.max = f;
    }
    ++n;
  }
  if (n == 0) return {};
  const double n1 = static_cast<double>(n - 1);
  auto position = [&](double p) {
    const double h = n1 * p / 100.0;
    const double fl = std::clamp(std::floor(h), 0.0, n1);
    return std::pair<std::size_t, double>{static_cast<std::size_t>(fl), h - fl};
  };
  if (c.percentileOfAbs) {
    const auto [k, frac] = position(c.percentile);
    const double t = interpolate(selectPair(x, true, n, k), frac);
    return clampInto(mm, -t, t);
  }
  const double pHi = std::max(c.percentile, 100.0 - c.percentile);
  const double pLo = std::min(c.percentile, 100.0 - c.percentile);
  const auto [kHi, fHi] = position(pHi);
  const auto [kLo, fLo] = position(pLo);
  const auto pairHi = selectPair(x, false, n, kHi);
  const auto pairLo = kLo < kHi ? selectPair(x, false, n, kLo) : pairHi;
  const auto lo = static_cast<float>(interpolate(pairLo, fLo));
  const auto hi = static_cast<float>(interpolate(pairHi, fHi));
  return Range{std::min(lo, hi), std::max(lo, hi)};
}

Range percentileRange(std::span<const float> x, const CalibrationConfig& c) {
  if (x.size() > kPercentileCopyLimit) return percentileRangeNoCopy(x, c);
  std::vector<float> v = finiteValues(x);
  if (v.empty()) return {};
  const double n1 = static_cast<double>(v.size() - 1);
  auto position = [&](double p) {
    const double h = n1 * p / 100.0;
    const double fl = std::clamp(std::floor(h), 0.0, n1);
    return std::pair<std::size_t, double>{static_cast<std::size_t>(fl), h - fl};
  };
  if (c.percentileOfAbs) {
    MinMax mm;
    mm.min = *std::min_element(v.begin(), v.end());
    mm.max = *std::max_element(v.begin(), v.end());
    for (float& f : v) f = std::fabs(f);
    const auto [k, frac] = position(c.percentile);
    const double t = interpolate(orderPair(v.data(), v.data() + v.size(), k), frac);
    return clampInto(mm, -t, t);
  }
  const double pHi = std::max(c.percentile, 100.0 - c.percentile);
  const double pLo = std::min(c.percentile, 100.0 - c.percentile);
  const auto [kHi, fHi] = position(pHi);
  const auto [kLo, fLo] = position(pLo);
  const auto pairHi = orderPair(v.data(), v.data() + v.size(), kHi);
  // After the first selection, [0, kHi] holds the kHi + 1 smallest values, which contain order
  // statistics kLo and kLo + 1 whenever kLo < kHi.
  const auto pairLo = kLo < kHi ? orderPair(v.data(), v.data() + kHi + 1, kLo) : pairHi;
  const auto lo = static_cast<float>(interpolate(pairLo, fLo));
  const auto hi = static_cast<float>(interpolate(pairHi, fHi));
  return Range{std::min(lo, hi), std::max(lo, hi)};
}

Range mseRange(std::span<const float> x, const QuantSpec& spec) {
  const MinMax mm = finiteMinMax(x);
  if (mm.finiteCount == 0 || mm.min == mm.max) return Range{mm.min, mm.max};
  const int qmin = spec.qmin(), qmax = spec.qmax();

  std::vector<float> exactValues;
  Histogram model;
  const bool exact = static_cast<std::size_t>(mm.finiteCount) <= kMseExactLimit;
  if (exact) {
    exactValues = finiteValues(x);
  } else {
    model = buildHistogram(x, kMseBins, mm.min, mm.max);
  }
  auto errorOf = [&](const Range& r) {
    const ScaleZeroPoint sz = chooseParams(spec, r.lo, r.hi);
    return exact ? exactSquaredError(exactValues, sz, qmin, qmax)
                 : histogramSquaredError(model, sz, qmin, qmax);
  };

  if (spec.scheme == Scheme::Symmetric) {
    const double absmax = std::max(std::fabs(double(mm.min)), std::fabs(double(mm.max)));
    auto window = [&](double f) { return clampInto(mm, -absmax * f, absmax * f); };
    double err = 0.0;
    const double f = search01([&](double g) { return errorOf(window(g)); }, 200, err);
    return window(f);
  }

  const double L = std::min(double(mm.min), 0.0), H = std::max(double(mm.max), 0.0);
  auto window = [&](double a, double b) { return clampInto(mm, L * a, H * b); };
  double a = 1.0, b = 1.0, err = 0.0;
  // One-sided data has nothing to shrink on the other side (0 is always in the range).
  for (int round = 0; round < 4; ++round) {
    const double oldA = a, oldB = b;
    if (L < 0.0) a = search01([&](double g) { return errorOf(window(g, b)); }, 100, err);
    if (H > 0.0) b = search01([&](double g) { return errorOf(window(a, g)); }, 100, err);
    if (a == oldA && b == oldB) break;
  }
  return window(a, b);
}

int entropyLevels(const QuantSpec& spec, const MinMax& mm) {
  const bool oneSided = !spec.isSigned && spec.scheme == Scheme::Asymmetric && mm.min >= 0.0f;
  return oneSided ? (1 << spec.bits) : (1 << (spec.bits - 1));
}

// Histogram of |x| over [0, absmax], built in chunks so a huge tensor needs no full |x| copy.
Histogram absHistogram(std::span<const float> x, int bins, double absmax) {
  Histogram h;
  constexpr std::size_t kChunk = std::size_t{1} << 16;
  std::vector<float> buf;
  buf.reserve(std::min(kChunk, x.size()));
  for (std::size_t b = 0; b < x.size() || b == 0; b += kChunk) {
    buf.clear();
    for (std::size_t i = b; i < std::min(x.size(), b + kChunk); ++i) buf.push_back(std::fabs(x[i]));
    Histogram part = buildHistogram(buf, bins, 0.0, absmax);
    if (b == 0) {
      h = std::move(part);
    } else {
      for (std::size_t k = 0; k < h.counts.size(); ++k) h.counts[k] += part.counts[k];
      h.nonFinite += part.nonFinite;
      h.below += part.below;
      h.above += part.above;
    }
    if (x.empty()) break;
  }
  return h;
}

}  // namespace

// Public for the entropy view: KL(P || Q) for every candidate bin count.
EntropyCurve entropyCurve(const Histogram& absHist, int levels) {
  EntropyCurve curve;
  curve.binWidth = absHist.binWidth();
  const int bins = static_cast<int>(absHist.counts.size());
  if (levels < 1 || levels >= bins) return curve;
  curve.firstBin = levels;
  const std::vector<std::int64_t>& h = absHist.counts;
  const auto nb = static_cast<std::size_t>(bins);
  const auto L = static_cast<std::size_t>(levels);

  // KL(P || Q) = sum p log p - sum p log q, evaluated in O(1) per candidate:
  //  * sum p log p comes from a prefix sum of c log c plus the folded bin i - 1;
  //  * Q is constant over a group, so sum p log q is one term per group. All candidates with the
  //    same merge width m = i / levels share groups 0..levels-2; only the last group (which
  //    absorbs the remainder and the folded tail) changes with i. The shared part is computed
  //    once per m.
  // Counts are integers, so their logs come from a table when the total is small (per-channel /
  // per-group slices), which keeps calibrating many small slices cheap.
  std::vector<std::int64_t> cum(nb + 1, 0);    // counts of bins < k
  std::vector<std::int64_t> nzCum(nb + 1, 0);  // non-empty bins < k
  std::vector<double> cLogC(nb + 1, 0.0);      // sum of c log c over bins < k
  const std::int64_t totalCount = std::accumulate(h.begin(), h.end(), std::int64_t{0});
  std::vector<double> logTable;
  if (totalCount <= (std::int64_t{1} << 16)) {
    logTable.resize(static_cast<std::size_t>(totalCount) + 2, 0.0);
    for (std::size_t v = 1; v < logTable.size(); ++v)
      logTable[v] = std::log(static_cast<double>(v));
  }
  auto logCount = [&](std::int64_t v) {
    return logTable.empty() ? std::log(static_cast<double>(v))
                            : logTable[static_cast<std::size_t>(v)];
  };
  for (std::size_t k = 0; k < nb; ++k) {
    const std::int64_t c = h[k];
    cum[k + 1] = cum[k] + c;
    nzCum[k + 1] = nzCum[k] + (c != 0);
    cLogC[k + 1] = cLogC[k] + (c > 0 ? static_cast<double>(c) * logCount(c) : 0.0);
  }
  const std::int64_t total = cum[nb];
  const double totalD = static_cast<double>(total);
  const double logTotal = total > 0 ? std::log(totalD) : 0.0;
  const double logEps = std::log(kKlEpsilon);

  // Sum over the first levels - 1 groups of G (log G - log n) for one merge width.
  auto sharedGroups = [&](std::size_t m) {
    double sum = 0.0;
    for (std::size_t g = 0; g + 1 < L; ++g) {
      const std::int64_t G = cum[(g + 1) * m] - cum[g * m];
      if (G == 0) continue;
      sum += static_cast<double>(G) * (logCount(G) - logCount(nzCum[(g + 1) * m] - nzCum[g * m]));
    }
    return sum;
  };

  curve.kl.reserve(nb - L + 1);
  std::size_t sharedFor = 0;
  double shared = 0.0;
  for (std::size_t i = L; i <= nb; ++i) {
    const std::int64_t slice = cum[i];
    const std::int64_t tail = total - slice;
    if (total <= 0 || slice <= 0) {
      curve.kl.push_back(std::numeric_limits<double>::infinity());
      continue;
    }
    // P = the slice with the tail folded into bin i - 1 (which always lies in the last group).
    const std::int64_t lastP = h[i - 1] + tail;
    double cLogCP = cLogC[i - 1];
    if (lastP > 0) cLogCP += static_cast<double>(lastP) * logCount(lastP);
    const double sumPLogP = cLogCP / totalD - logTotal;

    const std::size_t m = i / L;
    if (m != sharedFor) {
      shared = sharedGroups(m);
      sharedFor = m;
    }
    // Normalised q = G / n / slice over the first groups, whose P mass is cum[start].
    const std::size_t start = (L - 1) * m;
    const double logSlice = logCount(slice);
    double sumPLogQ = shared - static_cast<double>(cum[start]) * logSlice;  // times total
    const std::int64_t lastG = slice - cum[start];
    const bool extraBin = tail > 0 && h[i - 1] == 0;
    if (lastG > 0) {
      const std::int64_t n = nzCum[i] - nzCum[start] + (extraBin ? 1 : 0);
      sumPLogQ += static_cast<double>(lastG + tail) * (logCount(lastG) - logCount(n) - logSlice);
    } else if (tail > 0) {
      // Bin i - 1 holds only folded outliers and its group is otherwise empty: Q is 0 there.
      sumPLogQ += static_cast<double>(tail) * logEps;
    }
    curve.kl.push_back(sumPLogP - sumPLogQ / totalD);
  }
  return curve;
}

namespace {

Range entropyRange(std::span<const float> x, const QuantSpec& spec, const CalibrationConfig& c,
                   Histogram* used) {
  const MinMax mm = finiteMinMax(x);
  const double absmax = std::max(std::fabs(double(mm.min)), std::fabs(double(mm.max)));
  Histogram h = absHistogram(x, c.histogramBins, absmax);
  double t = absmax;
  if (mm.finiteCount > 0 && absmax > 0.0) {
    const EntropyCurve curve = entropyCurve(h, entropyLevels(spec, mm));
    if (!curve.kl.empty()) {
      const auto best = std::min_element(curve.kl.begin(), curve.kl.end()) - curve.kl.begin();
      const double i = static_cast<double>(curve.firstBin + best);
      t = std::min((i + 0.5) * h.binWidth(), absmax);
    }
  }
  if (used) *used = std::move(h);
  if (mm.finiteCount == 0) return {};
  return clampInto(mm, -t, t);
}

// L2 error (PyTorch's _compute_quantization_error) of mapping the whole histogram onto `dst` even
// bins spanning source bins [start, end].
double windowError(const Histogram& h, std::int64_t start, std::int64_t end, int dst) {
  const double w = h.binWidth();
  const double dstWidth = w * static_cast<double>(end - start + 1) / dst;
  if (dstWidth <= 0.0) return 0.0;
  double total = 0.0;
  for (std::size_t k = 0; k < h.counts.size(); ++k) {
    if (h.counts[k] == 0) continue;
    const double begin = (static_cast<double>(k) - static_cast<double>(start)) * w;
    // Destination bin j covers [j, j + 1) * dstWidth with its centre as the value, i.e. code
    // units t = x / dstWidth - 0.5 rounded to j and clamped to [0, dst - 1].
    const double u = begin / dstWidth - 0.5, v = (begin + w) / dstWidth - 0.5;
    const double integral = roundingIntegral(u, v, 0, dst - 1) * dstWidth * dstWidth * dstWidth;
    total += static_cast<double>(h.counts[k]) / w * integral;
  }
  return total;
}

Range histogramL2Range(std::span<const float> x, const QuantSpec& spec, const CalibrationConfig& c,
                       Histogram* used) {
  const MinMax mm = finiteMinMax(x);
  Histogram h = buildHistogram(x, c.histogramBins, mm.min, mm.max);
  Range r{mm.min, mm.max};
  if (mm.finiteCount > 0 && mm.min < mm.max) {
    const auto bins = static_cast<std::int64_t>(h.counts.size());
    const int dst = 1 << spec.bits;
    std::vector<double> cum(h.counts.size());
    double run = 0.0;
    for (std::size_t k = 0; k < h.counts.size(); ++k) cum[k] = run += double(h.counts[k]);
    const double total = run;
    constexpr double kStep = 1e-5;
    double alpha = 0.0, beta = 1.0, normMin = std::numeric_limits<double>::infinity();
    std::int64_t start = 0, end = bins - 1;
    // lq: first bin whose cumulative mass exceeds alpha'; rq: last bin whose cumulative mass is
    // within beta'. Both only move one way as alpha' grows and beta' shrinks.
    std::int64_t lq = 0, rq = bins - 1;
    while (alpha < beta) {
      const double nextAlpha = alpha + kStep, nextBeta = beta - kStep;
      while (lq < bins - 1 && cum[lq] <= nextAlpha * total) ++lq;
      while (rq >= 0 && cum[rq] > nextBeta * total) --rq;
      const std::int64_t l = std::min(std::max(lq, start), end);
      const std::int64_t rr = std::max(start, std::min(end, rq));
      std::int64_t nextStart = start, nextEnd = end;
      if (l - start > end - rr) {
        nextStart = l;
        alpha = nextAlpha;
      } else {
        nextEnd = rr;
        beta = nextBeta;
      }
      if (nextStart == start && nextEnd == end) continue;
      const double norm = windowError(h, nextStart, nextEnd, dst);
      if (norm > normMin) break;
      normMin = norm;
      start = nextStart;
      end = nextEnd;
    }
    const double w = h.binWidth();
    r = clampInto(mm, h.lo + w * static_cast<double>(start),
                  h.lo + w * static_cast<double>(end + 1));
  }
  if (used) *used = std::move(h);
  return r;
}

// The range of one slice; `used` (optional) receives the histogram the method worked on, or is
// left empty when the method needs none.
Range calibrateRange(std::span<const float> x, const QuantSpec& spec, const CalibrationConfig& c,
                     Histogram* used) {
  switch (c.method) {
    case CalibrationMethod::MinMax: {
      const MinMax mm = finiteMinMax(x);
      return Range{mm.min, mm.max};
    }
    case CalibrationMethod::MovingAverageMinMax:
      return movingAverageRange(x, c);
    case CalibrationMethod::Percentile:
      return percentileRange(x, c);
    case CalibrationMethod::Mse:
      return mseRange(x, spec);
    case CalibrationMethod::Entropy:
      return entropyRange(x, spec, c, used);
    case CalibrationMethod::HistogramL2:
      return histogramL2Range(x, spec, c, used);
  }
  throw Error("calibration: unknown method");
}

std::string formatNumber(double v) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

double parsePercentile(const std::string& text, const std::string& whole) {
  double v = 0.0;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  const auto res = std::from_chars(first, last, v);
  if (text.empty() || res.ec != std::errc() || res.ptr != last || !(v > 0.0 && v <= 100.0)) {
    throw Error("calibration '" + whole + "': the percentile must be a number in (0, 100]");
  }
  return v;
}

}  // namespace

CalibrationConfig parseCalibration(const std::string& text) {
  CalibrationConfig c;
  const auto colon = text.find(':');
  const std::string name = text.substr(0, colon);
  const bool hasArg = colon != std::string::npos;
  const std::string arg = hasArg ? text.substr(colon + 1) : std::string();
  if (name == "percentile" || name == "percentile-abs") {
    c.method = CalibrationMethod::Percentile;
    c.percentileOfAbs = name == "percentile-abs";
    if (hasArg) c.percentile = parsePercentile(arg, text);
    return c;
  }
  if (!hasArg) {
    if (name == "minmax") return c;
    c.method = name == "moving-average" ? CalibrationMethod::MovingAverageMinMax
               : name == "mse"          ? CalibrationMethod::Mse
               : name == "entropy"      ? CalibrationMethod::Entropy
               : name == "histogram"    ? CalibrationMethod::HistogramL2
                                        : CalibrationMethod::MinMax;
    if (c.method != CalibrationMethod::MinMax) return c;
  }
  throw Error("unknown calibration '" + text +
              "': valid are minmax, moving-average, percentile:P, percentile-abs:P, mse, entropy, "
              "histogram");
}

std::string calibrationName(const CalibrationConfig& config) {
  switch (config.method) {
    case CalibrationMethod::MinMax:
      return "minmax";
    case CalibrationMethod::MovingAverageMinMax:
      return "moving-average";
    case CalibrationMethod::Percentile:
      return std::string(config.percentileOfAbs ? "percentile-abs:" : "percentile:") +
             formatNumber(config.percentile);
    case CalibrationMethod::Mse:
      return "mse";
    case CalibrationMethod::Entropy:
      return "entropy";
    case CalibrationMethod::HistogramL2:
      return "histogram";
  }
  return "minmax";
}

CalibrationResult calibrate(std::span<const float> x, const QuantSpec& spec,
                            const CalibrationConfig& config) {
  spec.validate();
  validateConfig(config);
  CalibrationResult result;
  Histogram used;
  result.range = calibrateRange(x, spec, config, &used);
  result.histogram =
      used.counts.empty() ? buildHistogram(x, config.histogramBins) : std::move(used);
  result.nonFinite = countNonFinite(x);
  return result;
}

std::vector<MinMax> finiteMinMaxPerSlot(std::span<const float> x, const ParamLayout& layout) {
  if (static_cast<std::int64_t>(x.size()) != layout.outer * layout.dim * layout.inner)
    throw Error("finiteMinMaxPerSlot: " + std::to_string(x.size()) +
                " values do not match the layout");
  if (layout.granularity == Granularity::PerTensor) return {finiteMinMax(x)};
  std::vector<MinMax> out(static_cast<std::size_t>(layout.slotCount()));
  std::size_t flat = 0;
  for (std::int64_t o = 0; o < layout.outer; ++o) {
    for (std::int64_t d = 0; d < layout.dim; ++d) {
      for (std::int64_t i = 0; i < layout.inner; ++i, ++flat) {
        const float v = x[flat];
        if (!isFinite(v)) continue;
        const std::int64_t slot =
            layout.granularity == Granularity::PerChannel
                ? d
                : (o * layout.groups + d / layout.groupSize) * layout.inner + i;
        MinMax& m = out[static_cast<std::size_t>(slot)];
        m.min = m.finiteCount == 0 ? v : std::min(m.min, v);
        m.max = m.finiteCount == 0 ? v : std::max(m.max, v);
        ++m.finiteCount;
      }
    }
  }
  return out;
}

bool needsLargeSlice(const CalibrationConfig& config) {
  switch (config.method) {
    case CalibrationMethod::Percentile:
    case CalibrationMethod::Mse:
    case CalibrationMethod::Entropy:
    case CalibrationMethod::HistogramL2:
      return true;
    case CalibrationMethod::MinMax:
    case CalibrationMethod::MovingAverageMinMax:
      return false;
  }
  return false;
}

QuantParams calibrateParams(const Tensor& tensor, const QuantSpec& spec,
                            const CalibrationConfig& config, std::optional<Range> manualRange,
                            CalibrationFallback* fallback) {
  spec.validate();
  validateConfig(config);
  const ParamLayout layout = ParamLayout::make(spec, tensor.shape);
  const std::int64_t numel = layout.outer * layout.dim * layout.inner;
  if (static_cast<std::int64_t>(tensor.data.size()) != numel) {
    throw Error("tensor " + tensor.name + " has " + std::to_string(tensor.data.size()) +
                " values for shape " + tensor.shapeString());
  }
  const auto slots = static_cast<std::size_t>(layout.slotCount());
  std::vector<Range> ranges(slots);
  CalibrationFallback fell;
  fell.totalSlots = layout.slotCount();
  if (fallback) *fallback = fell;
  if (manualRange) {
    if (!std::isfinite(manualRange->lo) || !std::isfinite(manualRange->hi) ||
        manualRange->lo > manualRange->hi) {
      throw Error("manual range [" + std::to_string(manualRange->lo) + ", " +
                  std::to_string(manualRange->hi) + "] is not a finite interval");
    }
    std::fill(ranges.begin(), ranges.end(), *manualRange);
    return makeParams(spec, tensor.shape, ranges);
  }
  const std::span<const float> all = tensor.values();
  std::vector<float> gathered;
  for (std::size_t s = 0; s < slots; ++s) {
    const auto slot = static_cast<std::int64_t>(s);
    std::span<const float> slice;
    if (layout.granularity == Granularity::PerTensor) {
      slice = all;
    } else if (layout.granularity == Granularity::PerChannel && layout.outer == 1) {
      // Contiguous channel: elements [slot * inner, (slot + 1) * inner).
      slice = all.subspan(static_cast<std::size_t>(slot * layout.inner),
                          static_cast<std::size_t>(layout.inner));
    } else if (layout.granularity == Granularity::PerGroup && layout.inner == 1) {
      // Contiguous group along the last axis: slot = o * groups + g.
      const std::int64_t o = slot / layout.groups, g = slot % layout.groups;
      const std::int64_t first = o * layout.dim + g * layout.groupSize;
      const std::int64_t count = std::min(layout.groupSize, layout.dim - g * layout.groupSize);
      slice = all.subspan(static_cast<std::size_t>(first), static_cast<std::size_t>(count));
    } else {
      const std::vector<std::int64_t> idx = layout.elementsOf(slot);
      gathered.resize(idx.size());
      for (std::size_t i = 0; i < idx.size(); ++i) {
        gathered[i] = all[static_cast<std::size_t>(idx[i])];
      }
      slice = gathered;
    }
    const bool split = layout.granularity != Granularity::PerTensor;
    if (split && needsLargeSlice(config)) {
      const MinMax mm = finiteMinMax(slice);
      if (mm.finiteCount < kMinStatisticalSlice) {
        ranges[s] = Range{mm.min, mm.max};
        if (fell.count == 0 || mm.finiteCount < fell.smallestSlice)
          fell.smallestSlice = mm.finiteCount;
        ++fell.count;
        fell.slotIndices.push_back(slot);
        continue;
      }
    }
    ranges[s] = calibrateRange(slice, spec, config, nullptr);
  }
  if (fallback) *fallback = std::move(fell);
  return makeParams(spec, tensor.shape, ranges);
}

}  // namespace quant
