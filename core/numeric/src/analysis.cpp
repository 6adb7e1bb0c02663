// SPDX-License-Identifier: GPL-3.0-or-later
#include "quant/numeric/analysis.h"

#include <algorithm>
#include <cmath>

namespace quant {

Histogram errorHistogramStrided(std::span<const float> x, std::span<const float> xHat, int bins,
                                std::size_t stride) {
  if (x.size() != xHat.size()) throw Error("errorHistogram: sizes differ");
  if (stride <= 1) return errorHistogram(x, xHat, bins);
  std::vector<float> xs, hs;
  xs.reserve(x.size() / stride + 1);
  hs.reserve(x.size() / stride + 1);
  for (std::size_t i = 0; i < x.size(); i += stride) {
    xs.push_back(x[i]);
    hs.push_back(xHat[i]);
  }
  return errorHistogram(xs, hs, bins);
}

Histogram errorHistogram(std::span<const float> x, std::span<const float> xHat, int bins) {
  if (x.size() != xHat.size()) throw Error("errorHistogram: sizes differ");
  // Two passes instead of one copy of every error (N more floats for a large tensor): the range
  // first, then the errors of each block are recomputed into a small buffer and binned. Binning
  // is per element, so summing the blocks' counts gives exactly the histogram of all errors.
  // The range pass is branch-free over independent lanes so that it vectorises (it used to
  // take as long as the binning on 16M values): a pair counts when both v - v are 0 (false for
  // NaN and +-Inf), and the largest |error| is taken in float, which is exact, then widened.
  constexpr std::size_t kLanes = 16;
  float lane[kLanes] = {};
  const float* px = x.data();
  const float* ph = xHat.data();
  const std::size_t n = x.size();
  const std::size_t vectorEnd = n - n % kLanes;
  for (std::size_t i = 0; i < vectorEnd; i += kLanes) {
    for (std::size_t j = 0; j < kLanes; ++j) {
      const float a = px[i + j], b = ph[i + j];
      const bool finite = ((a - a) == 0.0f) & ((b - b) == 0.0f);
      const float e = finite ? std::fabs(a - b) : 0.0f;
      lane[j] = e > lane[j] ? e : lane[j];
    }
  }
  float mf = 0.0f;
  for (const float l : lane) mf = std::max(mf, l);
  for (std::size_t i = vectorEnd; i < n; ++i) {
    if (!std::isfinite(px[i]) || !std::isfinite(ph[i])) continue;
    mf = std::max(mf, std::fabs(px[i] - ph[i]));
  }
  double m = mf;
  if (m == 0) m = 1e-12;
  Histogram h = buildHistogram({}, bins, -m, m);  // validates bins and the range, all zero
  constexpr std::size_t kBlock = std::size_t{1} << 16;
  std::vector<float> err;
  err.reserve(std::min(kBlock, x.size()));
  for (std::size_t start = 0; start < x.size(); start += kBlock) {
    const std::size_t end = std::min(x.size(), start + kBlock);
    err.clear();
    for (std::size_t i = start; i < end; ++i) {
      if (!std::isfinite(x[i]) || !std::isfinite(xHat[i])) continue;
      err.push_back(x[i] - xHat[i]);
    }
    const Histogram part = buildHistogram(err, bins, -m, m);
    for (std::size_t b = 0; b < h.counts.size(); ++b) h.counts[b] += part.counts[b];
    h.below += part.below;
    h.above += part.above;
    h.nonFinite += part.nonFinite;
  }
  return h;
}

std::vector<NamedRange> calibrationCandidates(std::span<const float> x, const QuantSpec& spec,
                                              double percentile) {
  QuantSpec perTensor = spec;
  perTensor.granularity = Granularity::PerTensor;
  CalibrationConfig pct;
  pct.method = CalibrationMethod::Percentile;
  pct.percentile = percentile;
  // "percentile:99.9" -> "percentile 99.9": the number written as everywhere else.
  std::string pctLabel = calibrationName(pct);
  pctLabel[pctLabel.find(':')] = ' ';
  const std::pair<std::string, CalibrationConfig> methods[] = {
      {"min-max", parseCalibration("minmax")},
      {pctLabel, pct},
      {"MSE", parseCalibration("mse")},
      {"entropy", parseCalibration("entropy")}};
  std::vector<NamedRange> out;
  for (const auto& [label, config] : methods) {
    NamedRange r;
    r.label = label;
    r.config = config;
    r.range = calibrate(x, perTensor, r.config).range;
    out.push_back(std::move(r));
  }
  return out;
}

ChannelComparison compareChannelGranularity(const Tensor& tensor, const QuantSpec& spec,
                                            int axis) {
  const int rank = static_cast<int>(tensor.shape.size());
  if (rank == 0) throw Error("per-channel comparison needs a tensor with at least one axis");
  const int a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank)
    throw Error("axis " + std::to_string(axis) + " is out of range for a tensor of rank " +
                std::to_string(rank));

  ChannelComparison c;
  c.axis = a;
  QuantSpec tensorSpec = spec;
  tensorSpec.granularity = Granularity::PerTensor;
  QuantSpec channelSpec = spec;
  channelSpec.granularity = Granularity::PerChannel;
  channelSpec.axis = a;
  const CalibrationConfig minmax;
  const QuantParams pt = calibrateParams(tensor, tensorSpec, minmax);
  const QuantParams pc = calibrateParams(tensor, channelSpec, minmax);

  // One scratch buffer, used in turn for the per-tensor reconstruction, the per-channel one and
  // the values of each channel: the interactive view calls this on whole tensors (GBs), so two
  // reconstructions plus per-channel index lists would each add the tensor's size again. Every
  // number is computed by the same functions over the same values as before (bit-identical).
  std::vector<float> buf(tensor.data.size());
  c.perTensorSqnrDb = fakeQuantizeMeasured(tensor.data, pt, buf).sqnrDb;
  // Per-channel metrics of both reconstructions, over the channel layout.
  const std::vector<ErrorMetrics> perTensorByChannel = metricsPerSlot(tensor.data, buf, pc);
  c.perChannelSqnrDb = fakeQuantizeMeasured(tensor.data, pc, buf).sqnrDb;
  const std::vector<ErrorMetrics> perChannel = metricsPerSlot(tensor.data, buf, pc);
  const ParamLayout& L = pc.layout;
  c.channels = L.slotCount();
  for (std::int64_t s = 0; s < c.channels; ++s) {
    // The elements of channel s (= d) in increasing flat order, as ParamLayout::elementsOf lists
    // them: (o, s, i) at o * dim * inner + s * inner + i.
    std::size_t n = 0;
    for (std::int64_t o = 0; o < L.outer; ++o) {
      const float* row = tensor.data.data() + (o * L.dim + s) * L.inner;
      for (std::int64_t i = 0; i < L.inner; ++i) buf[n++] = row[i];
    }
    const MinMax mm = finiteMinMax(std::span<const float>(buf.data(), n));
    c.channelRanges.push_back({mm.min, mm.max});
    c.channelScales.push_back(pc.scales[static_cast<std::size_t>(s)]);
    c.channelSqnrDb.push_back(perChannel[static_cast<std::size_t>(s)].sqnrDb);
    c.channelSqnrPerTensorDb.push_back(perTensorByChannel[static_cast<std::size_t>(s)].sqnrDb);
  }
  return c;
}

ReachableCodes reachableCodes(const QuantSpec& spec, float scale, std::int32_t zeroPoint,
                              float lo, float hi) {
  ReachableCodes r;
  r.first = quantizeValue(lo, scale, zeroPoint, spec.qmin(), spec.qmax());
  r.last = quantizeValue(hi, scale, zeroPoint, spec.qmin(), spec.qmax());
  if (r.first > r.last) std::swap(r.first, r.last);
  r.used = static_cast<std::int64_t>(r.last) - r.first + 1;
  r.available = static_cast<std::int64_t>(spec.qmax()) - spec.qmin() + 1;
  return r;
}

}  // namespace quant
