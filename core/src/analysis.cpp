// SPDX-License-Identifier: GPL-3.0-or-later
#include "quant/analysis.h"

#include <algorithm>
#include <cmath>

namespace quant {

Histogram errorHistogram(std::span<const float> x, std::span<const float> xHat, int bins) {
  if (x.size() != xHat.size()) throw Error("errorHistogram: sizes differ");
  std::vector<float> err;
  err.reserve(x.size());
  double m = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(xHat[i])) continue;
    const float e = x[i] - xHat[i];
    err.push_back(e);
    m = std::max(m, std::fabs(static_cast<double>(e)));
  }
  if (m == 0) m = 1e-12;
  return buildHistogram(err, bins, -m, m);
}

std::vector<NamedRange> calibrationCandidates(std::span<const float> x, const QuantSpec& spec) {
  QuantSpec perTensor = spec;
  perTensor.granularity = Granularity::PerTensor;
  std::vector<NamedRange> out;
  for (const auto& [label, text] : {std::pair{"min-max", "minmax"},
                                    std::pair{"percentile 99.99", "percentile:99.99"},
                                    std::pair{"MSE", "mse"}, std::pair{"entropy", "entropy"}}) {
    NamedRange r;
    r.label = label;
    r.config = parseCalibration(text);
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

  std::vector<float> xt(tensor.data.size()), xc(tensor.data.size());
  c.perTensorSqnrDb = fakeQuantizeMeasured(tensor.data, pt, xt).sqnrDb;
  c.perChannelSqnrDb = fakeQuantizeMeasured(tensor.data, pc, xc).sqnrDb;

  // Per-channel metrics of both reconstructions, over the channel layout.
  const std::vector<ErrorMetrics> perChannel = metricsPerSlot(tensor.data, xc, pc);
  const std::vector<ErrorMetrics> perTensorByChannel = metricsPerSlot(tensor.data, xt, pc);
  c.channels = pc.layout.slotCount();
  for (std::int64_t s = 0; s < c.channels; ++s) {
    std::vector<float> values;
    for (std::int64_t i : pc.layout.elementsOf(s)) values.push_back(tensor.data[i]);
    const MinMax mm = finiteMinMax(values);
    c.channelRanges.push_back({mm.min, mm.max});
    c.channelScales.push_back(pc.scales[s]);
    c.channelSqnrDb.push_back(perChannel[s].sqnrDb);
    c.channelSqnrPerTensorDb.push_back(perTensorByChannel[s].sqnrDb);
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
