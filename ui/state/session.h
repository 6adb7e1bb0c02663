// SPDX-License-Identifier: GPL-3.0-or-later
// The one object that owns what the window shows: the current tensor, the quantization spec, the
// calibration choice and the manual clipping range, plus everything core/ derives from them.
//
// Views read through the const accessors and change state only through the setters (which go
// through the undo stack). Changes are batched: any number of setter calls within one event-loop
// turn trigger ONE recomputation and ONE resultsChanged() signal, so a slider drag recomputes at
// most once per frame. That recomputation (params, fake-quant and metrics, histograms, the
// sym/asym params) runs on the GUI thread only for a tensor below asyncThreshold() elements (the
// 4,096-value sample); from there on it runs on a worker thread from an immutable shared
// snapshot of its inputs: resultsPending() is true meanwhile, the previous results stay in force
// (a new tensor's are released at once: they mean nothing for it), and resultsChanged() comes
// once when the results of the CURRENT state arrive. Every result carries the spec it was
// computed for (params().spec), which is what a view shows next to its numbers; while
// resultsPending() the views mark themselves as updating. At most one such job runs; edits made
// meanwhile are computed once it ends, from the state as it is then, and the outdated result is
// dropped, so a slider drag on a big tensor never piles up jobs. A clipping-line drag
// (setManualRange() with kMergeRange) is the exception: the running job finishes and is shown
// (its params carry its own range) while only the newest step waits, so the views follow the
// drag at the worker's pace instead of showing nothing until it ends.
// The expensive part (the calibration markers and the per-channel comparison) always runs on a
// worker thread from copies of its inputs and arrives later with markersChanged() /
// channelsChanged(); results of an outdated job are dropped. Until then the previous markers /
// comparison stay (empty after a tensor change) and markersPending() / channelsPending() say so.
// The comparison and the error histogram are computed only while a view showing them is on
// screen (wanted()), the comparison only for tensors of rank >= 2. All numbers come from core/
// (quant::); the session only calls it.
// A streamed tensor (setStreamedTensor(): a memory-mapped .npy too large to copy) has no values in
// tensor(): its results come first from a fixed-size sample (histogramSampled(), metricsSampled())
// and then from exact passes over the file in blocks on the worker (progress(), stopExactPass()).
#pragma once

#include <QObject>
#include <QString>
#include <QUndoStack>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "backgroundjob.h"
#include "quant/base/blocksource.h"
#include "quant/base/tensor.h"
#include "quant/numeric/analysis.h"
#include "quant/numeric/calibrate.h"
#include "quant/numeric/histogram.h"
#include "quant/numeric/metrics.h"
#include "quant/numeric/quantize.h"

namespace quantlab::ui {

class Session : public QObject {
  Q_OBJECT
 public:
  explicit Session(QObject* parent = nullptr);
  ~Session() override;

  // ---- state ----
  const quant::Tensor& tensor() const { return *tensor_; }
  QString tensorLabel() const { return tensorLabel_; }  // "conv1.weight — weights.npz"
  const quant::QuantSpec& spec() const { return spec_; }
  const quant::CalibrationConfig& calibration() const { return calibration_; }
  const std::optional<quant::Range>& manualRange() const { return manualRange_; }
  double probeValue() const { return probeValue_; }  // the value the number-format view shows

  // ---- derived results (valid after resultsChanged) ----
  const quant::QuantParams& params() const { return params_; }
  // Empty while a big tensor's results are pending (it is released when the job starts).
  const std::vector<float>& reconstructed() const { return reconstructed_; }
  const quant::ErrorMetrics& metrics() const { return metrics_; }
  const std::vector<quant::ErrorMetrics>& slotMetrics() const { return slotMetrics_; }
  const quant::Histogram& histogram() const { return histogram_; }  // of the tensor, 256 bins
  const quant::Histogram& errorHistogram() const { return errorHistogram_; }  // of x - x_hat
  // 1: the error histogram counts every value. While a clipping line is dragged over a big
  // tensor it counts every k-th value only (a preview of fixed cost); the exact one follows
  // when the drag ends.
  std::size_t errorHistogramStride() const { return errorHistogramStride_; }
  // The per-tensor range min-max, percentile, MSE and entropy calibration would choose
  // (computed in the background: see markersPending()).
  const std::vector<quant::NamedRange>& markers() const { return markers_; }
  // The spec the markers were computed for (they lag behind spec() while markersPending()).
  const quant::QuantSpec& markersSpec() const { return markersSpec_; }
  // True while the markers / the channel comparison shown are not those of the current tensor
  // and spec yet (a background job is computing them).
  bool markersPending() const { return markersPending_; }
  bool channelsPending() const { return channelsPending_; }
  // The range in force (manual or calibrated) of the selected slot, for the clipping lines and
  // the Low / High boxes; per tensor, the one range.
  quant::Range activeRange() const;
  // The slot (channel or group) the views that show one grid draw: the histogram's grid and
  // clipping lines, the mapping, the Low / High boxes. 0 per tensor; kept within the slot count.
  int selectedSlot() const { return selectedSlot_; }
  // Finite min / max of every slot's data (one entry per tensor).
  const std::vector<quant::MinMax>& slotDataRanges() const { return slotDataRanges_; }
  // The slots whose calibration fell back to min-max (too few values for the method).
  const quant::CalibrationFallback& calibrationFallback() const { return fallback_; }
  bool slotFellBack(int slot) const;
  // Per-tensor vs per-channel comparison on channelAxis() (min-max, current bits/scheme);
  // channels == 0 when the tensor has no usable channel axis.
  const quant::ChannelComparison& channelComparison() const { return channels_; }
  int channelAxis() const { return channelAxis_; }
  // True while the results above are not those of the current tensor and spec yet: a big
  // tensor's recomputation is running on a worker (see resultsPendingChanged()).
  bool resultsPending() const { return resultsPending_; }
  // Non-empty when the last recomputation failed (shown in the status bar).
  QString lastError() const { return lastError_; }
  // Same tensor and granularity, each scheme (for the mapping view's side-by-side); the one of
  // spec().scheme is params() itself.
  const quant::QuantParams& symmetricParams() const { return symParams_; }
  const quant::QuantParams& asymmetricParams() const { return asymParams_; }

  QUndoStack* undoStack() { return &undo_; }

  // ---- changes ----
  // Undoable (QUndoStack): the spec (bits, signedness, scheme, narrow range, granularity), the
  // calibration method and the manual range. Consecutive edits with the same non-zero mergeKey
  // merge into one undo step, so a slider drag undoes in one go, until endMergeSequence().
  void setSpec(const quant::QuantSpec& spec, const QString& what, int mergeKey = 0);
  void setCalibration(const quant::CalibrationConfig& config);
  void setManualRange(std::optional<quant::Range> range, int mergeKey = 0);
  // Not undoable: loading a tensor (it clears the undo history), the probed value and the axis
  // of the per-channel comparison.
  void setTensor(quant::Tensor tensor, const QString& label);
  void setProbeValue(double value);
  // Opens a tensor through its BlockSource instead of a copy. `header` holds its name, dtype and
  // shape (no values); `sample` a fixed-size sample of it (quant::sampleValues). The histogram
  // and the metrics come from the sample at once and exactly after passes over the source (the
  // histogram once per tensor, the metrics per edit); the calibration searches, the markers and
  // the error histogram use the sample. Quantization is per tensor only (per-channel needs the
  // channels in memory): another granularity reports an error instead of results.
  void setStreamedTensor(std::shared_ptr<const quant::BlockSource> source, quant::Tensor header,
                         std::vector<float> sample, const QString& label);
  bool streamed() const { return source_ != nullptr; }
  // Values of the tensor (tensor().data is empty for a streamed one).
  std::int64_t valueCount() const;
  // The histogram / the metrics shown are those of the sample only (sampleSize() values).
  bool histogramSampled() const { return histogramSampled_; }
  bool metricsSampled() const { return metricsSampled_; }
  std::size_t sampleSize() const { return sample_ ? sample_->data.size() : 0; }
  // How far the running exact pass over a streamed tensor is, in [0, 1]; -1 when none runs.
  double progress() const;
  // Stops the running exact pass once the sampled results of the current state are shown; they
  // stay (stated as sampled) until the next edit starts another pass.
  void stopExactPass();
  void setChannelAxis(int axis);
  void setSelectedSlot(int slot);
  // Two results are computed only when someone looks at them: the per-channel comparison (a
  // pass over the whole tensor per grid change) and the error histogram (two passes per edit).
  // While no view of that kind exists (tests, a bare session) always; otherwise while at least
  // one of them is shown. Meanwhile the comparison stays pending (channelsPending()) and the
  // error histogram empty (errorHistogramPending()); showing a view computes them. Views
  // register through ViewAudience (ui/tensor), which calls these three.
  enum class Extra { Channels, ErrorHistogram };
  void attachView(Extra extra) { ++audience(extra).views; }
  void detachView(Extra extra, bool wasVisible);
  void setViewVisible(Extra extra, bool visible);
  bool wanted(Extra extra) const {
    const Audience& a = audience_[static_cast<int>(extra)];
    return a.views == 0 || a.visible > 0;
  }
  bool channelsWanted() const { return wanted(Extra::Channels); }
  bool errorHistogramPending() const { return errorHistogramPending_; }

  // Ends the current merge sequence: the next edit never merges into the previous one, whatever
  // its key. Call it when a drag ends (slider release, mouse release) and when one starts.
  void endMergeSequence();

  // Merge keys for slider drags.
  enum MergeKey { kMergeNone = 0, kMergeBits = 1, kMergeRange = 2 };

  // Built-in default shown at start: a Laplace tensor with a few outliers, shape [16, 256].
  static quant::Tensor defaultTensor();

  // Tensors with at least this many elements are recomputed on a worker thread (default 64 Ki
  // elements: the synchronous path stays within a frame below that). Tests lower it to check
  // that both paths agree; 0 restores the default.
  static std::size_t asyncThreshold();
  static void setAsyncThresholdForTests(std::size_t elements);

  // Runs any pending recomputation now, and waits for (or computes) the background part too:
  // afterwards every result matches the current state (tests and --snapshot rely on this).
  void flush();

 signals:
  void tensorChanged();
  void specChanged();
  void resultsChanged();
  // resultsPending() changed: a big tensor's results are being computed (true) or have arrived.
  void resultsPendingChanged(bool pending);
  // The background part arrived (markers() / channelComparison() changed).
  void markersChanged();
  void channelsChanged();
  void probeValueChanged(double value);
  void selectedSlotChanged(int slot);
  // The exact pass over a streamed tensor advanced (see progress()).
  void progressChanged(double fraction);

 private:
  friend class SessionCommand;
  // What one undo step restores.
  struct Editable {
    quant::QuantSpec spec;
    quant::CalibrationConfig calibration;
    std::optional<quant::Range> manualRange;
  };
  Editable editable() const { return {spec_, calibration_, manualRange_}; }
  void pushEdit(const Editable& next, const QString& text, int mergeKey);
  void applyEditable(const Editable& e);  // no undo record; used by the undo command
  // markersToo / channelsToo: the change invalidates the markers / the channel comparison.
  void scheduleRecompute(bool markersToo, bool channelsToo);
  // allowAsync: a big tensor's recomputation may go to a worker (flush() computes it here).
  void recompute(bool allowAsync = true);
  // The cheap part's inputs (a snapshot: the tensor is shared and never modified) and outputs.
  struct Inputs {
    std::shared_ptr<const quant::Tensor> tensor;
    quant::QuantSpec spec;
    quant::CalibrationConfig calibration;
    std::optional<quant::Range> manualRange;
    bool histogram = false;  // the tensor's own histogram is needed too
    bool errorHistogram = true;
    std::size_t errorStride = 1;  // > 1: every k-th pair only (a drag preview)
    // A streamed tensor: its source, its sample and its exact range once known.
    std::shared_ptr<const quant::BlockSource> source;
    std::shared_ptr<const quant::Tensor> sample;
    std::optional<quant::MinMax> exactMinMax;
  };
  struct Results {
    bool ok = false;  // everything below but `histogram` is valid
    std::optional<quant::Histogram> histogram;
    quant::QuantParams params, symParams, asymParams;
    quant::CalibrationFallback fallback;
    std::vector<quant::MinMax> slotDataRanges;
    std::vector<float> reconstructed;
    quant::ErrorMetrics metrics;
    std::vector<quant::ErrorMetrics> slotMetrics;
    std::optional<quant::Histogram> errorHistogram;  // not computed when no view shows it
    std::size_t errorStride = 1;
    bool histogramSampled = false, metricsSampled = false;
    std::optional<quant::MinMax> exactMinMax;  // of a streamed tensor, from its exact histogram
    QString error;
  };
  Inputs inputs() const;
  // Any thread. `buffer`: the outdated reconstruction, reused (no allocation, no page faults).
  static Results computeResults(const Inputs& in, std::vector<float> buffer = {});
  // A streamed tensor's results (sessionstreamed.cpp): `partial` gets the sampled ones first.
  static Results computeStreamed(const Inputs& in, const JobControl& control,
                                 const std::function<void(const Results&)>& partial);
  void applyPartial(Results r);
  void replaceTensor(quant::Tensor tensor, const QString& label);
  // GUI thread; stillPending: a newer state's recomputation already runs.
  void applyResults(Results r, bool stillPending = false);
  bool isLarge() const;
  void startForeground();
  void finishForeground(Results r);
  void setResultsPending(bool pending);
  // Clears every derived result (their big buffers are freed on a worker).
  void releaseResults();
  void maybeStartBackground();
  // What a background job hands back (computed from copies; applied on the GUI thread).
  struct BackgroundResult {
    bool hasMarkers = false, hasChannels = false;
    std::vector<quant::NamedRange> markers;
    quant::QuantSpec markersSpec;
    quant::ChannelComparison channels;
    QString error;
  };
  void startBackground();
  void finishBackground(BackgroundResult result);

  // Shared with background jobs, which must never see it change: replaced, never modified.
  std::shared_ptr<const quant::Tensor> tensor_;
  std::shared_ptr<const quant::BlockSource> source_;  // set for a streamed tensor
  std::shared_ptr<const quant::Tensor> sample_;       // its sample, shape {n}
  std::optional<quant::MinMax> exactMinMax_;
  bool histogramSampled_ = false, metricsSampled_ = false;
  bool partialCurrent_ = false;  // the sampled results of the current state are shown
  QString tensorLabel_;
  quant::QuantSpec spec_;
  quant::CalibrationConfig calibration_;
  std::optional<quant::Range> manualRange_;
  double probeValue_ = 0.1;
  int channelAxis_ = 0;
  struct Audience {
    int views = 0, visible = 0;
  };
  Audience audience_[2];
  Audience& audience(Extra extra) { return audience_[static_cast<int>(extra)]; }
  void viewsChanged(Extra extra);  // computes what a newly shown view needs
  bool errorHistogramPending_ = false;
  std::size_t errorHistogramStride_ = 1;

  quant::QuantParams params_, symParams_, asymParams_;
  quant::CalibrationFallback fallback_;
  std::vector<quant::MinMax> slotDataRanges_;
  int selectedSlot_ = 0;
  std::vector<float> reconstructed_;
  quant::ErrorMetrics metrics_;
  std::vector<quant::ErrorMetrics> slotMetrics_;
  quant::Histogram histogram_, errorHistogram_;
  std::vector<quant::NamedRange> markers_;
  quant::QuantSpec markersSpec_;
  quant::ChannelComparison channels_;
  QString lastError_;

  QUndoStack undo_;
  quint64 mergeSequence_ = 0;  // edits merge only within one sequence
  bool recomputePending_ = false;
  bool continuousEdit_ = false;  // the edit being applied is a drag step
  bool queueRecompute_ = false;  // the scheduled recomputation lets the running one finish
  bool previewInFlight_ = false;  // the last job started is a drag preview
  bool histogramPending_ = true;
  bool markersPending_ = true;
  bool channelsPending_ = true;
  bool resultsPending_ = false;
  // Every change cancels both jobs, so a result that arrives is one of the current state.
  // Last members: destroyed first, each waits for its work before the state goes.
  BackgroundJob foreground_;  // a big tensor's cheap part
  BackgroundJob background_;  // the markers and the channel comparison
};

}  // namespace quantlab::ui
