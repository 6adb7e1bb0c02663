// SPDX-License-Identifier: GPL-3.0-or-later
#include "session.h"

#include <QFutureWatcher>
#include <QTimer>
#include <QUndoCommand>
#include <QtConcurrent/QtConcurrentRun>
#include <cmath>

#include "quant/generate.h"

namespace quantlab::ui {

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
  tensor_ = std::make_shared<const quant::Tensor>(std::move(tensor));
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
  if (recomputePending_) return;
  recomputePending_ = true;
  // Coalesce every change made in this event-loop turn into one recomputation.
  QTimer::singleShot(0, this, [this] {
    if (recomputePending_) recompute();
  });
}

void Session::flush() {
  if (recomputePending_) recompute();
  // Wait for the running job; when its result is outdated, finishBackground() starts the next
  // one, which is then current (nothing can change the state while we wait here).
  while (jobId_ != 0) {
    job_.waitForFinished();
    finishBackground(jobId_, job_.result());
  }
}

void Session::recompute() {
  recomputePending_ = false;
  lastError_.clear();
  const quant::Tensor& t = *tensor_;
  try {
    params_ = quant::calibrateParams(t, spec_, calibration_, manualRange_);
    reconstructed_.resize(t.data.size());
    metrics_ = quant::fakeQuantizeMeasured(t.data, params_, reconstructed_);
    slotMetrics_ = params_.scales.size() > 1
                       ? quant::metricsPerSlot(t.data, reconstructed_, params_)
                       : std::vector<quant::ErrorMetrics>{metrics_};
    // The tensor's own histogram changes only with the tensor (8 ms on 1M values).
    if (histogramPending_) {
      histogram_ = quant::buildHistogram(t.data, 256);
      histogramPending_ = false;
    }
    errorHistogram_ = quant::errorHistogram(t.data, reconstructed_, 101);

    quant::QuantSpec side = spec_;
    side.granularity = quant::Granularity::PerTensor;
    side.scheme = quant::Scheme::Symmetric;
    symParams_ = quant::calibrateParams(t, side, calibration_, manualRange_);
    side.scheme = quant::Scheme::Asymmetric;
    asymParams_ = quant::calibrateParams(t, side, calibration_, manualRange_);
  } catch (const quant::Error& e) {
    lastError_ = QString::fromStdString(e.what());
  }
  if ((markersPending_ || channelsPending_) && jobId_ == 0) startBackground();
  emit resultsChanged();
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
  if (markersPending_ || channelsPending_) startBackground();
}

}  // namespace quantlab::ui
