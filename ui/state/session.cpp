// SPDX-License-Identifier: GPL-3.0-or-later
#include "session.h"

#include <QThreadPool>
#include <QTimer>
#include <QUndoCommand>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <new>
#include <utility>

#include "quant/numeric/generate.h"

namespace quantlab::ui {

namespace {

// Above this the synchronous path would hold the GUI thread for more than a frame (a few ms at
// 64 Ki values on a shared 2-core machine; 10 s at 1 M values with every view open).
constexpr std::size_t kDefaultAsyncThreshold = std::size_t{1} << 16;
std::atomic<std::size_t> gAsyncThreshold{kDefaultAsyncThreshold};

// The P of the percentile marker: the user's own when the method is a percentile, else the
// default's.
double markerPercentile(const quant::CalibrationConfig& c) {
  return c.method == quant::CalibrationMethod::Percentile ? c.percentile
                                                          : quant::CalibrationConfig{}.percentile;
}

// Smaller buffers are freed where they are dropped (see disposalPool()).
constexpr std::size_t kFreeOnWorker = std::size_t{1} << 20;  // floats

void disposeLater(std::vector<float>&& v) {
  if (v.capacity() < kFreeOnWorker) {
    std::vector<float>().swap(v);
    return;
  }
  disposalPool()->start([buf = std::move(v)]() mutable { std::vector<float>().swap(buf); });
}

void disposeLater(std::shared_ptr<const quant::Tensor>&& t) {
  if (!t || t.use_count() != 1 || t->data.size() < kFreeOnWorker) {
    t.reset();
    return;
  }
  disposalPool()->start([p = std::move(t)]() mutable { p.reset(); });
}

}  // namespace

std::size_t Session::asyncThreshold() { return gAsyncThreshold.load(); }

void Session::setAsyncThresholdForTests(std::size_t elements) {
  gAsyncThreshold.store(elements == 0 ? kDefaultAsyncThreshold : elements);
}

// One undoable edit of the spec / calibration / manual range: it stores both states whole, so
// undo and redo are exact, and merges with the next edit of the same key (a slider drag).
class SessionCommand : public QUndoCommand {
 public:
  SessionCommand(Session* s, Session::Editable before, Session::Editable after, const QString& text,
                 int mergeKey, quint64 sequence)
      : session_(s),
        before_(std::move(before)),
        after_(std::move(after)),
        key_(mergeKey),
        sequence_(sequence) {
    setText(text);
  }
  void undo() override { session_->applyEditable(before_); }
  void redo() override { session_->applyEditable(after_); }
  int id() const override { return key_ == 0 ? -1 : key_; }
  // Only edits of the same key AND the same merge sequence merge: Session::endMergeSequence()
  // (a slider release, the end of a drag) starts a new sequence, so two drags stay two steps.
  bool mergeWith(const QUndoCommand* other) override {
    if (other->id() != id()) return false;
    const auto* o = static_cast<const SessionCommand*>(other);
    if (o->sequence_ != sequence_) return false;
    after_ = o->after_;
    setText(o->text());
    return true;
  }

 private:
  Session* session_;
  Session::Editable before_, after_;
  int key_;
  quint64 sequence_;
};

Session::Session(QObject* parent) : QObject(parent) {
  // A markers job dropped because the state changed meanwhile: compute the current state's.
  connect(&background_, &BackgroundJob::cancelled, this, &Session::maybeStartBackground);
  connect(&foreground_, &BackgroundJob::progressChanged, this, &Session::progressChanged);
  setTensor(defaultTensor(), tr("built-in sample: Laplace weights with 4 outliers"));
}

// The jobs (members) stop and wait for their workers, which read only their own copies.
Session::~Session() = default;

quant::Tensor Session::defaultTensor() {
  quant::GeneratorSpec g;
  g.distribution = quant::Distribution::Laplace;
  g.shape = {16, 256};
  g.scale = 0.05;
  g.seed = 2024;
  g.outlierCount = 4;
  g.outlierMagnitude = 1.2;
  g.name = "laplace_weights";
  return quant::generate(g);
}

quant::Range Session::activeRange() const {
  if (manualRange_) return *manualRange_;
  if (params_.ranges.empty()) return {};
  return params_
      .ranges[std::min(static_cast<std::size_t>(selectedSlot_), params_.ranges.size() - 1)];
}

bool Session::slotFellBack(int slot) const {
  const auto& idx = fallback_.slotIndices;
  return std::binary_search(idx.begin(), idx.end(), static_cast<std::int64_t>(slot));
}

void Session::setSelectedSlot(int slot) {
  const int count = std::max(1, static_cast<int>(params_.scales.size()));
  slot = std::clamp(slot, 0, count - 1);
  if (slot == selectedSlot_) return;
  selectedSlot_ = slot;
  emit selectedSlotChanged(slot);
}

void Session::setTensor(quant::Tensor tensor, const QString& label) {
  disposeLater(std::exchange(sample_, nullptr));
  source_.reset();
  replaceTensor(std::move(tensor), label);
}

void Session::setStreamedTensor(std::shared_ptr<const quant::BlockSource> source,
                                quant::Tensor header, std::vector<float> sample,
                                const QString& label) {
  header.data.clear();
  source_ = std::move(source);
  auto s = std::make_shared<quant::Tensor>();
  s->shape = {static_cast<std::int64_t>(sample.size())};
  s->data = std::move(sample);
  sample_ = std::move(s);
  replaceTensor(std::move(header), label);
}

std::int64_t Session::valueCount() const {
  return source_ ? source_->size() : static_cast<std::int64_t>(tensor_->data.size());
}

double Session::progress() const {
  return streamed() && foreground_.isBusy() ? foreground_.progress() : -1.0;
}

void Session::stopExactPass() {
  if (!streamed() || !foreground_.isBusy() || !partialCurrent_ || recomputePending_) return;
  foreground_.cancel();
  setResultsPending(false);
  emit resultsChanged();
}

void Session::replaceTensor(quant::Tensor tensor, const QString& label) {
  exactMinMax_.reset();
  histogramSampled_ = metricsSampled_ = false;
  // Moved, never copied: a big tensor exists once (shared read-only with the jobs).
  std::shared_ptr<const quant::Tensor> old =
      std::exchange(tensor_, std::make_shared<const quant::Tensor>(std::move(tensor)));
  // The old results mean nothing for the new tensor; when they (or the new results) are big,
  // free them now rather than hold both until the new ones arrive.
  if (isLarge() || reconstructed_.size() >= asyncThreshold()) releaseResults();
  disposeLater(std::move(old));
  tensorLabel_ = label;
  manualRange_.reset();
  // Markers and channel bars of the old tensor mean nothing for the new one.
  markers_.clear();
  channels_ = quant::ChannelComparison{};
  histogramPending_ = true;
  // A spec that does not fit the new tensor (a channel axis beyond its rank) falls back to
  // per-tensor instead of failing.
  const int rank = static_cast<int>(tensor_->shape.size());
  if (spec_.granularity != quant::Granularity::PerTensor &&
      (spec_.axis >= rank || spec_.axis < -rank)) {
    spec_.granularity = quant::Granularity::PerTensor;
    emit specChanged();
  }
  if (channelAxis_ >= std::max(rank, 1)) channelAxis_ = 0;
  undo_.clear();
  emit tensorChanged();
  scheduleRecompute(true, true);
}

void Session::setSpec(const quant::QuantSpec& spec, const QString& what, int mergeKey) {
  spec.validate();
  Editable next = editable();
  next.spec = spec;
  pushEdit(next, what, mergeKey);
}

void Session::setCalibration(const quant::CalibrationConfig& config) {
  Editable next = editable();
  next.calibration = config;
  next.manualRange.reset();  // choosing a method means "let it choose the range"
  pushEdit(next, tr("Calibration: %1").arg(QString::fromStdString(quant::calibrationName(config))),
           kMergeNone);
}

void Session::setManualRange(std::optional<quant::Range> range, int mergeKey) {
  if (range && !(range->lo <= range->hi)) std::swap(range->lo, range->hi);
  Editable next = editable();
  next.manualRange = range;
  pushEdit(next, range ? tr("Clipping range") : tr("Automatic range"), mergeKey);
}

void Session::pushEdit(const Editable& next, const QString& text, int mergeKey) {
  // A step of a clipping-line drag does not stop the running recomputation: see
  // scheduleRecompute(). (A bits slider drag crosses few values: there the last one wins.)
  continuousEdit_ = mergeKey == kMergeRange;
  undo_.push(new SessionCommand(this, editable(), next, text, mergeKey, mergeSequence_));
  continuousEdit_ = false;
}

void Session::applyEditable(const Editable& e) {
  // The percentile marker follows the user's percentile, so choosing another P moves it too.
  const bool markers = e.spec.bits != spec_.bits || e.spec.isSigned != spec_.isSigned ||
                       e.spec.scheme != spec_.scheme || e.spec.narrowRange != spec_.narrowRange ||
                       markerPercentile(e.calibration) != markerPercentile(calibration_);
  // The comparison uses the grid (bits, signedness, scheme, narrow range) and min-max only:
  // calibration, manual range and granularity do not change it.
  const bool channels = markers;
  spec_ = e.spec;
  calibration_ = e.calibration;
  manualRange_ = e.manualRange;
  emit specChanged();
  scheduleRecompute(markers, channels);
}

void Session::endMergeSequence() {
  ++mergeSequence_;
  // A drag has ended: its last results may be a preview; compute the exact ones.
  if (errorHistogramStride_ > 1 || queueRecompute_ || (previewInFlight_ && foreground_.isBusy()))
    scheduleRecompute(false, false);
}

void Session::setProbeValue(double value) {
  // -0.0 and +0.0 are different probes (flipping the sign bit of zero must show), and NaN == NaN.
  const bool same = (value == probeValue_ && std::signbit(value) == std::signbit(probeValue_)) ||
                    (std::isnan(value) && std::isnan(probeValue_));
  if (same) return;
  probeValue_ = value;
  emit probeValueChanged(value);
}

void Session::detachView(Extra extra, bool wasVisible) {
  --audience(extra).views;
  if (wasVisible) --audience(extra).visible;
  viewsChanged(extra);
}

void Session::setViewVisible(Extra extra, bool visible) {
  audience(extra).visible += visible ? 1 : -1;
  viewsChanged(extra);
}

void Session::viewsChanged(Extra extra) {
  if (!wanted(extra)) return;
  if (extra == Extra::Channels)
    maybeStartBackground();
  else if (errorHistogramPending_)
    scheduleRecompute(false, false);
}

void Session::setChannelAxis(int axis) {
  if (axis == channelAxis_) return;
  channelAxis_ = axis;
  scheduleRecompute(false, true);
}

void Session::scheduleRecompute(bool markersToo, bool channelsToo) {
  if (markersToo || channelsToo) {
    markersPending_ = markersPending_ || markersToo;
    channelsPending_ = channelsPending_ || channelsToo;
    background_.cancel();  // whatever is running now computes outdated results
  }
  // A running worker recomputation is outdated too. During a drag it is left to finish (and is
  // shown, labelled with its own range) so that the views follow the drag instead of waiting
  // for its end; any other edit in this turn stops it.
  if (continuousEdit_) {
    queueRecompute_ = !recomputePending_ || queueRecompute_;
  } else {
    foreground_.cancel();
    queueRecompute_ = false;
  }
  if (isLarge()) setResultsPending(true);
  partialCurrent_ = false;
  if (recomputePending_) return;
  recomputePending_ = true;
  // Coalesce every change made in this event-loop turn into one recomputation.
  QTimer::singleShot(0, this, [this] {
    if (recomputePending_) recompute();
  });
}

bool Session::isLarge() const {
  return source_ || (tensor_ && tensor_->data.size() >= asyncThreshold());
}

void Session::setResultsPending(bool pending) {
  if (pending == resultsPending_) return;
  resultsPending_ = pending;
  emit resultsPendingChanged(pending);
}

void Session::releaseResults() {
  params_ = {};
  symParams_ = {};
  asymParams_ = {};
  fallback_ = {};
  slotDataRanges_.clear();
  disposeLater(std::move(reconstructed_));
  reconstructed_.clear();
  metrics_ = {};
  slotMetrics_.clear();
  histogram_ = {};
  errorHistogram_ = {};
}

void Session::flush() {
  // A worker recomputation in flight is applied (or dropped when outdated); edits not yet
  // recomputed are computed here.
  foreground_.waitForIdle();
  if (recomputePending_) recompute(false);
  foreground_.waitForIdle();  // a streamed tensor's recomputation runs on the worker even here
  maybeStartBackground();
  // When the running markers job is outdated, its end starts the next one, which is then
  // current (nothing can change the state while we wait here).
  background_.waitForIdle();
}

Session::Inputs Session::inputs() const {
  return {tensor_,
          spec_,
          calibration_,
          manualRange_,
          histogramPending_,
          wanted(Extra::ErrorHistogram),
          1,
          source_,
          sample_,
          exactMinMax_};
}

Session::Results Session::computeResults(const Inputs& in, std::vector<float> buffer) {
  Results r;
  const quant::Tensor& t = *in.tensor;
  try {
    // The tensor's own histogram changes only with the tensor (8 ms on 1M values).
    if (in.histogram) r.histogram = quant::buildHistogram(t.data, 256);
    r.params = quant::calibrateParams(t, in.spec, in.calibration, in.manualRange, &r.fallback);
    r.slotDataRanges = quant::finiteMinMaxPerSlot(t.data, r.params.layout);
    // Every element is overwritten below: a reused buffer of the same size costs nothing.
    r.reconstructed = std::move(buffer);
    r.reconstructed.resize(t.data.size());
    r.metrics = quant::fakeQuantizeMeasured(t.data, r.params, r.reconstructed);
    r.slotMetrics = r.params.scales.size() > 1
                        ? quant::metricsPerSlot(t.data, r.reconstructed, r.params)
                        : std::vector<quant::ErrorMetrics>{r.metrics};
    if (in.errorHistogram) {
      r.errorHistogram = quant::errorHistogramStrided(t.data, r.reconstructed, 101, in.errorStride);
      r.errorStride = in.errorStride;
    }

    // The other scheme on the same slots, so the mapping's two panels show the same channel.
    quant::QuantSpec other = in.spec;
    const bool symmetric = in.spec.scheme == quant::Scheme::Symmetric;
    other.scheme = symmetric ? quant::Scheme::Asymmetric : quant::Scheme::Symmetric;
    (symmetric ? r.asymParams : r.symParams) =
        quant::calibrateParams(t, other, in.calibration, in.manualRange);
    (symmetric ? r.symParams : r.asymParams) = r.params;
    r.ok = true;
  } catch (const quant::Error& e) {
    r.error = QString::fromStdString(e.what());
  } catch (const std::bad_alloc&) {
    r.error = tr("not enough memory to quantize this tensor (%1 values)").arg(t.data.size());
  }
  if (!r.ok) r.reconstructed = {};
  return r;
}

void Session::applyResults(Results r, bool stillPending) {
  lastError_ = r.error;
  if (r.histogram) {
    histogram_ = std::move(*r.histogram);
    histogramPending_ = r.histogramSampled;
    histogramSampled_ = r.histogramSampled;
  }
  if (r.exactMinMax) exactMinMax_ = r.exactMinMax;
  if (r.ok) {
    params_ = std::move(r.params);
    symParams_ = std::move(r.symParams);
    asymParams_ = std::move(r.asymParams);
    fallback_ = std::move(r.fallback);
    slotDataRanges_ = std::move(r.slotDataRanges);
    const int slotCount = std::max(1, static_cast<int>(params_.scales.size()));
    if (selectedSlot_ >= slotCount) {
      selectedSlot_ = slotCount - 1;
      emit selectedSlotChanged(selectedSlot_);
    }
    // The old reconstruction is freed on a worker (a swap, not a copy).
    disposeLater(std::exchange(reconstructed_, std::move(r.reconstructed)));
    metrics_ = r.metrics;
    slotMetrics_ = std::move(r.slotMetrics);
    // Not computed (no error view shown): empty rather than another spec's.
    errorHistogram_ = r.errorHistogram ? std::move(*r.errorHistogram) : quant::Histogram{};
    errorHistogramPending_ = !r.errorHistogram;
    errorHistogramStride_ = r.errorStride;
    metricsSampled_ = r.metricsSampled;
  }
  setResultsPending(stillPending);
}

void Session::recompute(bool allowAsync) {
  recomputePending_ = false;
  // A streamed tensor has no values here: its passes always run on the worker.
  if ((allowAsync && isLarge()) || streamed()) {
    // A job in flight computes an outdated state now (scheduleRecompute() cancelled it): this
    // one waits for it and replaces any job still waiting, so at most one job runs, whatever
    // the number of edits meanwhile.
    startForeground();
    return;
  }
  queueRecompute_ = false;
  applyResults(computeResults(inputs()));
  maybeStartBackground();
  emit resultsChanged();
}

void Session::startForeground() {
  setResultsPending(true);
  // The reconstruction shown is outdated and as big as the tensor: the job reuses its memory
  // rather than hold a second one next to it (the views keep what they drew until
  // resultsChanged). The result is moved out of the job, never copied.
  Inputs in = inputs();
  const bool drag = std::exchange(queueRecompute_, false);
  if (in.source) {
    // The sampled results arrive within a frame or two and the exact pass is long: a newer
    // edit, a drag step included, stops it.
    previewInFlight_ = false;
    foreground_.start(
        [this, in = std::move(in)](const JobControl& control) {
          return computeStreamed(in, control, [this, &control](const Results& partial) {
            auto p = std::make_shared<Results>(partial);
            control.post([this, p] { applyPartial(std::move(*p)); });
          });
        },
        [this](Results r) { finishForeground(std::move(r)); });
    return;
  }
  previewInFlight_ = drag;
  // While dragging, the error histogram is a preview over at most kPreviewPairs pairs.
  constexpr std::size_t kPreviewPairs = std::size_t{1} << 18;
  if (drag) in.errorStride = std::max<std::size_t>(1, tensor_->data.size() / kPreviewPairs);
  auto work = [in = std::move(in), buffer = std::exchange(reconstructed_, {})](
                  const JobControl&) mutable { return computeResults(in, std::move(buffer)); };
  auto done = [this](Results r) { finishForeground(std::move(r)); };
  if (drag)
    foreground_.queue(std::move(work), std::move(done));
  else
    foreground_.start(std::move(work), std::move(done));
}

void Session::finishForeground(Results r) {
  // During a drag the next recomputation (of a newer range) may already run.
  applyResults(std::move(r), foreground_.isBusy());
  maybeStartBackground();
  emit resultsChanged();
}

void Session::maybeStartBackground() {
  // The comparison is not computed for a hidden per-channel view: it waits until one is shown.
  const bool channels = channelsPending_ && channelsWanted();
  if (!(markersPending_ || channels) || background_.isBusy()) return;
  // A big tensor's markers and channel comparison wait for its cheap part: both at once would
  // hold their temporary copies of the data at the same time (and share two cores).
  // (A streamed tensor's markers come from its sample: no big copy.)
  if (isLarge() && !streamed() && foreground_.isBusy()) return;
  startBackground();
}

void Session::startBackground() {
  // Copies (the tensor is shared and never modified): the job never touches this object.
  background_.start(
      [tensor = streamed() ? sample_ : tensor_, spec = spec_, streamed = streamed(),
       percentile = markerPercentile(calibration_), axis = channelAxis_, markers = markersPending_,
       channels = channelsPending_ && channelsWanted()](const JobControl&) {
        BackgroundResult r;
        try {
          if (markers) {
            r.markers = quant::calibrationCandidates(tensor->data, spec, percentile);
            r.markersSpec = spec;
            r.hasMarkers = true;
          }
          if (channels) {
            // A 1-D tensor has no channels: every element would be its own "channel".
            const int rank = static_cast<int>(tensor->shape.size());
            r.channels = rank >= 2 && axis < rank && !streamed
                             ? quant::compareChannelGranularity(*tensor, spec, axis)
                             : quant::ChannelComparison{};
            r.hasChannels = true;
          }
        } catch (const std::exception& e) {
          // Reported like a failed recomputation; the parts not computed stay empty.
          r.error = QString::fromStdString(e.what());
          r.hasMarkers = markers;
          r.hasChannels = channels;
        }
        return r;
      },
      [this](BackgroundResult r) { finishBackground(std::move(r)); });
}

void Session::finishBackground(BackgroundResult r) {
  if (!r.error.isEmpty() && lastError_.isEmpty()) lastError_ = r.error;
  if (r.hasMarkers) {
    markers_ = std::move(r.markers);
    markersSpec_ = r.markersSpec;
    markersPending_ = false;
    emit markersChanged();
  }
  if (r.hasChannels) {
    channels_ = std::move(r.channels);
    channelsPending_ = false;
    emit channelsChanged();
  }
  // The state may have changed while the signals above ran: compute it too.
  maybeStartBackground();
}

}  // namespace quantlab::ui
