// SPDX-License-Identifier: GPL-3.0-or-later
// Session's results for a streamed tensor (a memory-mapped .npy that is never copied): the
// sampled results first, handed over as a partial result, then the exact passes over the file.
#include <new>

#include "quant/numeric/analysis.h"
#include "quant/numeric/streamed.h"
#include "session.h"

namespace quantlab::ui {

namespace {

// The range in force: the manual one, or for min-max the exact finite range of the whole file
// once known (min-max over every value is that range); otherwise the calibrator sees the sample.
std::optional<quant::Range> streamedRange(const std::optional<quant::Range>& manual,
                                          const quant::CalibrationConfig& calibration,
                                          const std::optional<quant::MinMax>& exact) {
  if (manual) return manual;
  if (exact && exact->finiteCount > 0 && calibration.method == quant::CalibrationMethod::MinMax)
    return quant::Range{exact->min, exact->max};
  return std::nullopt;
}

}  // namespace

Session::Results Session::computeStreamed(const Inputs& in, const JobControl& control,
                                          const std::function<void(const Results&)>& partial) {
  Results r;
  const quant::Tensor& sample = *in.sample;
  try {
    if (in.spec.granularity != quant::Granularity::PerTensor) {
      r.error =
          tr("this tensor is read from its file block by block, which allows per-tensor "
             "quantization only");
      return r;
    }
    std::vector<float> reconstructed(sample.data.size());
    // Params, sampled metrics and the sample's error histogram for a given exact range.
    const auto fromSample = [&](const std::optional<quant::MinMax>& exact) {
      const std::optional<quant::Range> range =
          streamedRange(in.manualRange, in.calibration, exact);
      r.params = quant::calibrateParams(sample, in.spec, in.calibration, range);
      quant::QuantSpec side = in.spec;
      side.scheme = quant::Scheme::Symmetric;
      r.symParams = quant::calibrateParams(sample, side, in.calibration, range);
      side.scheme = quant::Scheme::Asymmetric;
      r.asymParams = quant::calibrateParams(sample, side, in.calibration, range);
      r.metrics = quant::fakeQuantizeMeasured(sample.data, r.params, reconstructed);
      r.slotMetrics = {r.metrics};
      r.metricsSampled = true;
      if (in.errorHistogram)
        r.errorHistogram = quant::errorHistogramStrided(sample.data, reconstructed, 101, 1);
    };
    fromSample(in.exactMinMax);
    if (in.histogram) {
      r.histogram = quant::buildHistogram(sample.data, 256);
      r.histogramSampled = true;
    }
    r.ok = true;
    partial(r);

    double done = 0.0;
    if (in.histogram) {
      // Two passes of the three: the bar's first two thirds.
      done = 2.0 / 3.0;
      auto h = quant::streamedHistogram(*in.source, 256,
                                        [&](double f) { return control.report(done * f); });
      if (!h) return r;  // stopped: dropped by the job
      r.histogram = std::move(h->histogram);
      r.histogramSampled = false;
      r.exactMinMax = h->minMax;
      // Min-max now has the whole file's range.
      if (!in.manualRange && in.calibration.method == quant::CalibrationMethod::MinMax)
        fromSample(r.exactMinMax);
      partial(r);  // the exact histogram is on screen while the metrics pass runs
    }
    const auto m = quant::streamedMetrics(
        *in.source, r.params, [&](double f) { return control.report(done + (1.0 - done) * f); });
    if (!m) return r;
    r.metrics = *m;
    r.slotMetrics = {*m};
    r.metricsSampled = false;
  } catch (const quant::Error& e) {
    r = Results{};
    r.error = QString::fromStdString(e.what());
  } catch (const std::bad_alloc&) {
    r = Results{};
    r.error = tr("not enough memory to quantize this tensor (%1 values)").arg(in.source->size());
  }
  return r;
}

void Session::applyPartial(Results r) {
  applyResults(std::move(r), true);
  partialCurrent_ = true;
  emit resultsChanged();
}

}  // namespace quantlab::ui
