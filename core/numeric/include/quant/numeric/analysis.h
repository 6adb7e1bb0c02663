// SPDX-License-Identifier: GPL-3.0-or-later
// Summaries that the interactive views show, computed here so that the UI never does numerics:
// the error histogram, the ranges every calibration method would pick, per-tensor vs per-channel
// comparison, and which integer codes a tensor can reach.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "quant/base/tensor.h"
#include "quant/numeric/calibrate.h"
#include "quant/numeric/histogram.h"
#include "quant/numeric/metrics.h"
#include "quant/numeric/quantize.h"

namespace quant {

// Histogram of the error x - x_hat over the finite pairs, symmetric around 0 ([-m, m] with m the
// largest |error|, or [-1e-12, 1e-12] when the reconstruction is exact).
Histogram errorHistogram(std::span<const float> x, std::span<const float> xHat, int bins);
// The same over every `stride`-th pair only (pairs 0, stride, 2*stride, ...): a preview whose
// cost does not grow with the tensor (the window uses it while a clipping line is dragged).
// stride 1 is errorHistogram() itself.
Histogram errorHistogramStrided(std::span<const float> x, std::span<const float> xHat, int bins,
                                std::size_t stride);

struct NamedRange {
  std::string label;  // "min-max", "percentile 99.99", "MSE", "entropy"
  CalibrationConfig config;
  Range range;
};

// The per-tensor clipping range that min-max, percentile (two-sided, at `percentile`: the one the
// user chose, so the marker and the legend agree with the control), MSE and entropy calibration
// choose for x under `spec` (granularity ignored: one range for the whole tensor).
std::vector<NamedRange> calibrationCandidates(std::span<const float> x, const QuantSpec& spec,
                                              double percentile = 99.99);

struct ChannelComparison {
  int axis = 0;
  std::int64_t channels = 0;
  double perTensorSqnrDb = 0;
  double perChannelSqnrDb = 0;
  std::vector<Range> channelRanges;  // finite min / max of each channel (before widening)
  std::vector<float> channelScales;  // per-channel scale under the spec (min-max)
  std::vector<double> channelSqnrDb; // SQNR of each channel under per-channel quantization
  std::vector<double> channelSqnrPerTensorDb;  // ... and under the per-tensor scale
};

// Min-max quantization of `tensor` with the spec's bits/sign/scheme, once per tensor and once
// per channel along `axis` (negative counts from the end). Throws quant::Error for a bad axis.
ChannelComparison compareChannelGranularity(const Tensor& tensor, const QuantSpec& spec,
                                            int axis);

// Integer codes that values in [lo, hi] can reach under (scale, zeroPoint): the codes of lo and
// hi. Codes outside [first, last] are wasted (e.g. symmetric int8 on ReLU outputs never uses
// the negative half).
struct ReachableCodes {
  std::int32_t first = 0;
  std::int32_t last = 0;
  std::int64_t used = 0;       // last - first + 1
  std::int64_t available = 0;  // qmax - qmin + 1
};
ReachableCodes reachableCodes(const QuantSpec& spec, float scale, std::int32_t zeroPoint,
                              float lo, float hi);

}  // namespace quant
