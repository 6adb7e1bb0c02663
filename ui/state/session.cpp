// SPDX-License-Identifier: GPL-3.0-or-later
#include "session.h"

#include <QFutureWatcher>
#include <QThreadPool>
#include <QTimer>
#include <QUndoCommand>
#include <QtConcurrent/QtConcurrentRun>
#include <atomic>
#include <cmath>
#include <new>
#include <utility>

#include "quant/numeric/generate.h"

namespace quantlab::ui {

namespace {

constexpr std::size_t kDefaultAsyncThreshold = std::size_t{1} << 21;
std::atomic<std::size_t> gAsyncThreshold{kDefaultAsyncThreshold};

// Freeing a big buffer unmaps it page by page (100-200 ms for 2 GB): never on the GUI thread.
// Its own single thread, so that it never queues behind a long job in the global pool (the
// memory would stay held until that job ended).
constexpr std::size_t kFreeOnWorker = std::size_t{1} << 20;  // floats

QThreadPool* disposalPool() {
  static QThreadPool* pool = [] {
    auto* p = new QThreadPool;  // never deleted: tasks may still run while the app exits
    p->setMaxThreadCount(1);
    return p;
  }();
  return pool;
}

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
  setTensor(defaultTensor(), tr("built-in sample: Laplace weights with 4 outliers"));
}

Session::~Session() {
  // A running job owns copies of its inputs; its continuation dies with this object. Waiting
  // keeps a test's or the app's exit from racing a job that is still reading.
  if (jobId_ != 0) job_.waitForFinished();
  if (fgJobId_ != 0) fgJob_.waitForFinished();
}

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
  if (params_.ranges.size() == 1) return params_.ranges[0];
  // Per-channel / per-group: the envelope of all slot ranges.
  quant::Range r = params_.ranges[0];
  for (const auto& s : params_.ranges) {
    r.lo = std::min(r.lo, s.lo);
    r.hi = std::max(r.hi, s.hi);
  }
  return r;
}

void Session::setTensor(quant::Tensor tensor, const QString& label) {
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
  undo_.push(new SessionCommand(this, editable(), next, text, mergeKey, mergeSequence_));
}

void Session::applyEditable(const Editable& e) {
  const bool markers = e.spec.bits != spec_.bits || e.spec.isSigned != spec_.isSigned ||
                       e.spec.scheme != spec_.scheme || e.spec.narrowRange != spec_.narrowRange;
  // The comparison uses the grid (bits, signedness, scheme, narrow range) and min-max only:
  // calibration, manual range and granularity do not change it.
  const bool channels = markers;
  spec_ = e.spec;
  calibration_ = e.calibration;
  manualRange_ = e.manualRange;
  emit specChanged();
  scheduleRecompute(markers, channels);
}

void Session::endMergeSequence() { ++mergeSequence_; }

void Session::setProbeValue(double value) {
  // -0.0 and +0.0 are different probes (flipping the sign bit of zero must show), and NaN == NaN.
  const bool same = (value == probeValue_ && std::signbit(value) == std::signbit(probeValue_)) ||
                    (std::isnan(value) && std::isnan(probeValue_));
  if (same) return;
  probeValue_ = value;
  emit probeValueChanged(value);
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
    ++backgroundGeneration_;  // whatever is running now computes outdated results
  }
  ++resultsGeneration_;  // a running worker recomputation is outdated too
  if (isLarge()) setResultsPending(true);
  if (recomputePending_) return;
  recomputePending_ = true;
  // Coalesce every change made in this event-loop turn into one recomputation.
  QTimer::singleShot(0, this, [this] {
    if (recomputePending_) recompute();
  });
}

bool Session::isLarge() const { return tensor_ && tensor_->data.size() >= asyncThreshold(); }

void Session::setResultsPending(bool pending) {
  if (pending == resultsPending_) return;
  resultsPending_ = pending;
  emit resultsPendingChanged(pending);
}

void Session::releaseResults() {
  params_ = {};
  symParams_ = {};
  asymParams_ = {};
  disposeLater(std::move(reconstructed_));
  reconstructed_.clear();
  metrics_ = {};
  slotMetrics_.clear();
  histogram_ = {};
  errorHistogram_ = {};
}

void Session::flush() {
  // A worker recomputation in flight: take its result (dropped when outdated, then computed
  // here), so that nothing is left running for the cheap part.
  if (fgJobId_ != 0) {
    fgJob_.waitForFinished();
    finishForeground(fgJobId_, fgJob_.takeResult(), false);
  }
  if (recomputePending_ || appliedGeneration_ != resultsGeneration_) recompute(false);
  maybeStartBackground();
  // Wait for the running job; when its result is outdated, finishBackground() starts the next
  // one, which is then current (nothing can change the state while we wait here).
  while (jobId_ != 0) {
    job_.waitForFinished();
    finishBackground(jobId_, job_.result());
  }
}

Session::Inputs Session::inputs() const {
  return {tensor_, spec_, calibration_, manualRange_, histogramPending_, resultsGeneration_};
}

Session::Results Session::computeResults(const Inputs& in) {
  Results r;
  r.generation = in.generation;
  const quant::Tensor& t = *in.tensor;
  try {
    // The tensor's own histogram changes only with the tensor (8 ms on 1M values).
    if (in.histogram) r.histogram = quant::buildHistogram(t.data, 256);
    r.params = quant::calibrateParams(t, in.spec, in.calibration, in.manualRange);
    r.reconstructed.resize(t.data.size());
    r.metrics = quant::fakeQuantizeMeasured(t.data, r.params, r.reconstructed);
    r.slotMetrics = r.params.scales.size() > 1
                        ? quant::metricsPerSlot(t.data, r.reconstructed, r.params)
                        : std::vector<quant::ErrorMetrics>{r.metrics};
    r.errorHistogram = quant::errorHistogram(t.data, r.reconstructed, 101);

    quant::QuantSpec side = in.spec;
    side.granularity = quant::Granularity::PerTensor;
    side.scheme = quant::Scheme::Symmetric;
    r.symParams = quant::calibrateParams(t, side, in.calibration, in.manualRange);
    side.scheme = quant::Scheme::Asymmetric;
    r.asymParams = quant::calibrateParams(t, side, in.calibration, in.manualRange);
    r.ok = true;
  } catch (const quant::Error& e) {
    r.error = QString::fromStdString(e.what());
  } catch (const std::bad_alloc&) {
    r.error = tr("not enough memory to quantize this tensor (%1 values)").arg(t.data.size());
  }
  if (!r.ok) r.reconstructed = {};
  return r;
}

void Session::applyResults(Results r) {
  appliedGeneration_ = r.generation;
  lastError_ = r.error;
  if (r.histogram) {
    histogram_ = std::move(*r.histogram);
    histogramPending_ = false;
  }
  if (r.ok) {
    params_ = std::move(r.params);
    symParams_ = std::move(r.symParams);
    asymParams_ = std::move(r.asymParams);
    // The old reconstruction is freed on a worker (a swap, not a copy).
    disposeLater(std::exchange(reconstructed_, std::move(r.reconstructed)));
    metrics_ = r.metrics;
    slotMetrics_ = std::move(r.slotMetrics);
    errorHistogram_ = std::move(r.errorHistogram);
  }
  if (r.generation == resultsGeneration_) setResultsPending(false);
}

void Session::recompute(bool allowAsync) {
  recomputePending_ = false;
  if (allowAsync && isLarge()) {
    // A job in flight computes an outdated state now: finishForeground() drops its result and
    // starts the next job from the state as it is then. So at most one job runs, whatever the
    // number of edits meanwhile.
    if (fgJobId_ == 0) startForeground();
    return;
  }
  applyResults(computeResults(inputs()));
  maybeStartBackground();
  emit resultsChanged();
}

void Session::startForeground() {
  fgJobId_ = ++lastFgJobId_;
  const quint64 id = fgJobId_;
  setResultsPending(true);
  // The reconstruction shown is outdated and as big as the tensor: free it now rather than
  // hold it next to the job's new one (the views keep what they drew until resultsChanged).
  disposeLater(std::move(reconstructed_));
  reconstructed_.clear();
  fgJob_ = QtConcurrent::run([in = inputs()] { return computeResults(in); });
  auto* watcher = new QFutureWatcher<Results>(this);
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, id] {
    watcher->deleteLater();
    // Taken (moved out of the future), never copied: it holds the whole reconstruction.
    if (id == fgJobId_) finishForeground(id, watcher->future().takeResult(), true);
  });
  watcher->setFuture(fgJob_);
}

void Session::finishForeground(quint64 jobId, Results r, bool restart) {
  if (jobId != fgJobId_) return;  // already taken by flush()
  fgJobId_ = 0;
  if (r.generation == resultsGeneration_) {
    applyResults(std::move(r));
    maybeStartBackground();
    emit resultsChanged();
    return;
  }
  // Outdated: drop it (off the GUI thread) and compute the state as it is now.
  disposeLater(std::move(r.reconstructed));
  if (restart && isLarge()) startForeground();
}

void Session::maybeStartBackground() {
  if (!(markersPending_ || channelsPending_) || jobId_ != 0) return;
  // A big tensor's markers and channel comparison wait for its cheap part: both at once would
  // hold their temporary copies of the data at the same time (and share two cores).
  if (isLarge() && fgJobId_ != 0) return;
  startBackground();
}

void Session::startBackground() {
  jobId_ = ++lastJobId_;
  const quint64 id = jobId_;
  // Copies (the tensor is shared and never modified): the job never touches this object.
  job_ = QtConcurrent::run([tensor = tensor_, spec = spec_, axis = channelAxis_,
                            generation = backgroundGeneration_, markers = markersPending_,
                            channels = channelsPending_] {
    BackgroundResult r;
    r.generation = generation;
    try {
      if (markers) {
        r.markers = quant::calibrationCandidates(tensor->data, spec);
        r.hasMarkers = true;
      }
      if (channels) {
        const int rank = static_cast<int>(tensor->shape.size());
        r.channels = rank > 0 && axis < rank ? quant::compareChannelGranularity(*tensor, spec, axis)
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
  });
  // A watcher (a child, so it dies with the session) rather than QFuture::then(context): in
  // Qt 6.4 a continuation whose context is destroyed while the job finishes is not safe.
  auto* watcher = new QFutureWatcher<BackgroundResult>(this);
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, id] {
    watcher->deleteLater();
    if (id == jobId_) finishBackground(id, watcher->result());
  });
  watcher->setFuture(job_);
}

void Session::finishBackground(quint64 jobId, BackgroundResult r) {
  if (jobId != jobId_) return;  // already taken by flush()
  jobId_ = 0;
  if (r.generation == backgroundGeneration_) {
    if (!r.error.isEmpty() && lastError_.isEmpty()) lastError_ = r.error;
    if (r.hasMarkers) {
      markers_ = std::move(r.markers);
      markersPending_ = false;
      emit markersChanged();
    }
    if (r.hasChannels) {
      channels_ = std::move(r.channels);
      channelsPending_ = false;
      emit channelsChanged();
    }
  }
  // Outdated, or the state changed while it ran: compute again from the current state.
  maybeStartBackground();
}

}  // namespace quantlab::ui
