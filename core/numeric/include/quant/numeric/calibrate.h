// SPDX-License-Identifier: GPL-3.0-or-later
// Calibration: choosing the clipping range [lo, hi] that a quantization spec will use.
//
// Every method returns the range it chose and the histogram it looked at, so a view can draw both.
//   MinMax                 finite min and max.
//   MovingAverageMinMax    PyTorch MovingAverageMinMaxObserver: the data is cut into batches of
//                          `batchSize` values; min/max start at the first batch's and then follow
//                          m <- m + c * (batch_m - m) with c = averagingConstant (0.01).
//   Percentile             two-sided: [P_(100-p), P_p]; absolute (`percentileOfAbs`): +-P_p(|x|).
//   Mse                    the clipping range that minimises the mean squared fake-quantization error
//                          (a grid search over shrinking the min-max range, evaluated on the data).
//   Entropy                TensorRT's KL calibration: 2048-bin histogram of |x|; for every candidate
//                          threshold i in [128, 2048] the reference distribution P (bins 0..i-1, with
//                          the outliers folded into the last bin) is compared with Q, P merged into
//                          128 levels and expanded back over its non-empty bins; the threshold with
//                          the smallest KL(P || Q) wins (symmetric range +-threshold).
//   HistogramL2            PyTorch HistogramObserver: a greedy search that narrows the histogram's
//                          [start, end] bin window while the estimated L2 quantization error
//                          (clipping + rounding) decreases.
// Non-finite values never enter a range.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "quant/base/tensor.h"
#include "quant/numeric/histogram.h"
#include "quant/numeric/quantize.h"

namespace quant {

enum class CalibrationMethod { MinMax, MovingAverageMinMax, Percentile, Mse, Entropy, HistogramL2 };

struct CalibrationConfig {
  CalibrationMethod method = CalibrationMethod::MinMax;
  double percentile = 99.99;      // Percentile: in (0, 100]
  bool percentileOfAbs = false;   // Percentile: symmetric +-P(|x|) instead of two-sided
  double averagingConstant = 0.01;
  std::int64_t batchSize = 1024;  // MovingAverageMinMax
  int histogramBins = 2048;       // Entropy / HistogramL2 resolution (Percentile is exact)
};

// Parses the CLI syntax: "minmax", "moving-average", "percentile:P", "percentile-abs:P", "mse",
// "entropy", "histogram". Throws quant::Error listing the valid names.
CalibrationConfig parseCalibration(const std::string& text);
std::string calibrationName(const CalibrationConfig& config);  // "percentile:99.99"

struct CalibrationResult {
  Range range;           // chosen clipping range (not yet widened to include 0)
  Histogram histogram;   // the histogram the method used (or a 2048-bin one of the data)
  std::int64_t nonFinite = 0;
};

// Calibrate one slice of data for the given spec (the spec matters to Mse / Entropy / HistogramL2,
// which search with its number of levels).
CalibrationResult calibrate(std::span<const float> x, const QuantSpec& spec,
                            const CalibrationConfig& config);

// The entropy method's KL(P || Q) curve, for plotting: kl[j] belongs to candidate bin count
// i = firstBin + j (threshold (i + 0.5) * binWidth, capped at the histogram's hi). `absHistogram`
// is the |x| histogram over [0, absmax] that calibrate() returns for the Entropy method; `levels` is
// 2^(bits-1) (128 for int8). Empty when levels >= the bin count (no candidate clips).
struct EntropyCurve {
  int firstBin = 0;
  double binWidth = 0.0;
  std::vector<double> kl;
};
EntropyCurve entropyCurve(const Histogram& absHistogram, int levels);

// The statistical methods (percentile, MSE, entropy, histogram) estimate the shape of a
// distribution. On a slice cut out by per-channel or per-group granularity with fewer finite values
// than this (a 3x3 conv kernel over one input channel has 9, over three 27), the 2048-bin
// histogram is almost all empty bins and the choice hinges on a handful of single values: entropy
// collapses whole channels to a few codes. Such a slot is calibrated with min-max instead. A
// per-tensor slice is always calibrated as asked: the user picked the method for that very data.
inline constexpr std::int64_t kMinStatisticalSlice = 128;

// True for the methods above that need kMinStatisticalSlice values per slot.
bool needsLargeSlice(const CalibrationConfig& config);

// What calibrateParams did instead of the method asked for; count == 0 when nothing changed.
struct CalibrationFallback {
  std::int64_t count = 0;                 // slots calibrated with min-max instead of the method
  std::int64_t totalSlots = 0;            // slots of the spec's granularity
  std::int64_t smallestSlice = 0;         // finite values in the smallest slot that fell back
  std::vector<std::int64_t> slotIndices;  // which slots fell back, increasing
};

// The finite min and max of every slot of `layout` (the data range a slot's grid has to cover).
std::vector<MinMax> finiteMinMaxPerSlot(std::span<const float> x, const ParamLayout& layout);

// Calibrates every slot of the spec's granularity over `tensor` (per tensor, channel or group) and
// returns ready-to-use parameters. A manual range, when given, replaces calibration for every slot.
// `fallback`, when given, receives which slots fell back to min-max (see kMinStatisticalSlice).
QuantParams calibrateParams(const Tensor& tensor, const QuantSpec& spec,
                            const CalibrationConfig& config,
                            std::optional<Range> manualRange = std::nullopt,
                            CalibrationFallback* fallback = nullptr);

}  // namespace quant
