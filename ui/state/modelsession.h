// SPDX-License-Identifier: GPL-3.0-or-later
// The model workspace's state: one fp32 classifier, its static int8 version and Fashion-MNIST,
// plus the results of the long jobs run on them (benchmark, test-set evaluation, sensitivity,
// quantization-aware training) and the "active precision plan" (an applied mixed-precision
// proposal, evaluated with fake quantization: the int8 engine itself runs uniform int8 only).
//
// Everything slow runs on a worker thread (a BackgroundJob): opening a model (ONNX import, data
// set, int8 calibration on the first 256 training images with min-max, per-channel weights), the
// benchmark, the evaluation over the test set and the sensitivity analysis. One job runs at a
// time; starting another cancels the running one. A job works on a shared, immutable snapshot of
// the loaded model (std::shared_ptr<const Loaded>), so opening a new model while a job runs is
// safe: the old job finishes on its own copy and its results are dropped.
// All numbers come from core/ (quant::quantizeModel, evaluate, bench, modelBytes,
// traceRequantization, analyzeSensitivity, proposeMixedPrecision, evaluatePlans, qat), under one
// QuantRecipe (Loaded::recipe); this class only calls it and keeps the results.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "backgroundjob.h"
#include "quant/io/dataset.h"
#include "quant/io/userdata.h"
#include "quant/nn/bench.h"
#include "quant/nn/evaluate.h"
#include "quant/nn/int8model.h"
#include "quant/nn/model.h"
#include "quant/nn/modelsize.h"
#include "quant/nn/qat.h"
#include "quant/nn/recipe.h"
#include "quant/nn/requanttrace.h"
#include "quant/nn/sensitivity.h"

namespace quantlab::ui {

class Session;

class ModelSession : public QObject {
  Q_OBJECT
 public:
  // What opening a model produces; immutable once published.
  struct Loaded {
    QString name;  // "mlp", "cnn" or the file name
    QString path;
    quant::Model fp32;
    // How this workspace quantizes: the int8 model, the sensitivity analysis, mixed precision and
    // QAT's PTQ baseline all use it (at their widths).
    quant::QuantRecipe recipe;
    quant::Int8Model int8;
    bool hasInt8 = false;
    bool int8FromFile = false;  // a quantized ONNX file: int8 holds the file's own scales
    QString int8Error;                   // why there is no int8 model (unsupported layer), else ""
    std::optional<quant::Dataset> test;  // Fashion-MNIST test split (10000 images)
    quant::Dataset calibration;          // first 256 training images (int8 calibration)
    quant::Dataset validation;           // training images 50000..50999 (mixed precision)
    QString dataError;                   // why there is no data set, else ""
    // A user data set (openData): its QAT training samples (the calibration split; Fashion-MNIST
    // otherwise, loaded when QAT starts), what it is, and whether labels came with it (false:
    // labels are fp32's top-1 classes, so accuracy is the agreement with fp32).
    std::optional<quant::Dataset> train;
    QString dataSummary;  // "" for Fashion-MNIST
    bool labelled = true;
  };

  // How openData reads a user data set (quant::loadUserData).
  struct DataSettings {
    QString path;
    quant::ImageFit fit = quant::ImageFit::Exact;
    quant::Normalization norm;
  };

  // Benchmark (quant::bench: all fp32 runs, then all int8 runs; medians in seconds).
  struct BenchResult {
    int batch = 0, threads = 0, repeats = 0;
    QString isa, isaNote;
    QString fp32Kernel;        // quant::fp32KernelName() at the time of the run
    bool randomInput = false;  // no data set: uniform random images
    quant::BenchReport report;
  };

  // Evaluation over the test set (quant::evaluate): modes[0] fp32, modes[1] the int8 model.
  using EvalResult = quant::Evaluation;

  struct SensitivityResult {
    quant::QuantRecipe recipe;  // the workspace's at the analysed width
    quant::SensitivityReport report;
    std::optional<quant::MixedResult> mixed;
    double budgetPoints = 1.0;
    std::int64_t images = 0;
  };

  // Settings of a quantization-aware training run (see runQat).
  struct QatSettings {
    int weightBits = 4;
    int actBits = 4;
    int epochs = 2;
    double lr = 1e-4;
    bool lsq = false;
    std::uint64_t seed = 1;
    std::int64_t trainImages = 60000;  // the first N training images (calibration: first 2048)
    std::int64_t testImages = 2000;    // the first N test images for every accuracy
  };
  // One point of the live QAT curves. Loss points: the mean minibatch loss of the batches since
  // the previous loss point. Accuracy points: fake-quantized test-subset accuracy (step 0 = the
  // PTQ starting point, then after each epoch). The other value is NaN.
  struct QatPoint {
    int step = 0;  // minibatches done, over all epochs
    int epoch = 0;
    double loss = 0;
    double accuracy = 0;
  };
  struct QatOutcome {
    QatSettings settings;
    std::int64_t trainImages = 0, testImages = 0;
    int steps = 0;                // minibatches run
    double seconds = 0;           // wall-clock time of the training itself
    double fp32Accuracy = 0;      // fp32 model, test subset
    double ptqAccuracy = 0;       // PTQ: calibrated ranges, max|W| scales, same bits
    double qatAccuracy = 0;       // after the last epoch
    std::vector<QatPoint> curve;  // every point, as streamed
    quant::QatResult result;      // the fine-tuned model and its quantization parameters
  };

  // An applied precision plan (one entry per Linear/Conv2d). Evaluated with fake quantization
  // (quant::evaluatePlans) on the whole test set; `evaluated` is false until that job finished.
  struct ActivePlan {
    quant::PrecisionPlan plan;
    std::vector<int> layerIndex;  // model layer index of each plan entry
    QStringList layerNames;
    int bits = 8;
    double budgetPoints = 0;
    bool evaluated = false;
    quant::PlanResult result;
    double fp32Accuracy = 0;
    std::int64_t fp32SizeBytes = 0;
    std::int64_t images = 0;
    quint64 id = 0;
  };

  // The requantization of one output value of a Linear/Conv2d layer (see requantTrace).
  using RequantTrace = quant::RequantTrace;

  explicit ModelSession(Session* session, QObject* parent = nullptr);
  ~ModelSession() override;  // cancels and waits for the running job

  Session* session() const { return session_; }
  // nullptr until a model is loaded.
  std::shared_ptr<const Loaded> loaded() const { return loaded_; }
  bool hasModel() const { return loaded_ != nullptr; }

  bool busy() const { return job_.isBusy(); }
  QString busyWhat() const { return busyWhat_; }
  QString lastError() const { return lastError_; }

  const std::optional<BenchResult>& bench() const { return bench_; }
  const std::optional<EvalResult>& evaluation() const { return eval_; }
  const std::optional<SensitivityResult>& sensitivity() const { return sens_; }
  const std::optional<QatOutcome>& qatOutcome() const { return qat_; }
  // The points of the running (or last) QAT run so far, in order.
  const std::vector<QatPoint>& qatCurve() const { return qatCurve_; }
  // Minibatches the running (or last) QAT run does in all (0 before the first run).
  int qatTotalSteps() const { return qatTotalSteps_; }
  bool qatRunning() const { return job_.isBusy() && runningKind_ == Kind::Qat; }
  const std::optional<ActivePlan>& activePlan() const { return plan_; }
  // The active plan's text for model layer `index` ("W int4 · A int4", "fp32"), "" for layers
  // without weights or without a plan.
  QString planText(int index) const;

  // Index into loaded()->fp32.layers, or -1.
  int selectedLayer() const { return selected_; }

  // What selecting a layer loads into the Session: its weights (Linear/Conv2d only) or its
  // output on the calibration images (any layer; quant::layerOutput).
  enum class LayerSource { Weights, Activations };
  LayerSource layerSource() const { return source_; }
  // Switches and reloads the selected layer.
  void setLayerSource(LayerSource source);

  // ---- actions (all return at once; results arrive by signal) ----
  // "mlp", "cnn" or an ONNX path.
  void openModel(const QString& nameOrPath);
  // Replaces the open model's data with a user data set (see quant/io/userdata.h): the first
  // quarter (at most 256 samples) calibrates, the rest is the test set; the int8 model is
  // recalibrated and earlier results are dropped (modelLoaded(), then dataLoaded()). On error
  // dataFailed() with a one-line message naming the file; the old data stays.
  void openData(const DataSettings& settings);
  // The normalisation file beside the open model (MODEL.normalization.json), or nothing set;
  // a file that does not parse sets *error and gives nothing.
  quant::Normalization normalizationBesideModel(QString* error) const;
  // quant::bench on `batch` test images: one warm-up and `repeats` timed runs of fp32, then the
  // same for int8 (the schedule quantlab-cli bench uses).
  void runBenchmark(int batch, int threads, int repeats);
  // quant::evaluate of fp32 and the int8 model over the first `limit` test images (0 = all).
  void runEvaluation(std::int64_t limit = 0);
  // Per-layer sensitivity at `bits` on the first `images` test images, then (budget > 0) a
  // mixed-precision proposal within `budgetPoints` accuracy points.
  void runSensitivity(int bits, std::int64_t images, double budgetPoints);
  // Quantization-aware training (quant::qat) of the fp32 model on the first trainImages training
  // images, then fp32 / PTQ / QAT accuracy on the first testImages test images. Streams
  // qatPoint() while training (loss every few minibatches, accuracy at step 0 and per epoch);
  // ends with qatFinished(). Minibatch 128, Adam, EMA activation ranges (or LSQ), logits float.
  void runQat(const QatSettings& settings);
  // Writes the QAT model (weights fake-quantized to the trained grid, stored as float32) as
  // ONNX. Returns "" or the error message.
  QString saveQatModel(const QString& path) const;
  // Makes the sensitivity run's mixed-precision proposal the active plan and evaluates it on the
  // test set in the background (activePlanChanged() now and when the numbers arrive). False
  // when there is no proposal.
  bool applyProposal();
  void clearPlan();
  // Cancels the running job (its result is dropped; jobCancelled() follows).
  void cancel();
  // Blocks until no job runs; the last job's result and signals arrive before it returns.
  void waitForIdle();

  // Selects a layer; for Linear/Conv2d its weights become the Session's tensor, labelled
  // "<model>:<layer> weights", so every tensor view shows them. With LayerSource::Activations
  // the layer's output on the 256 calibration images ([256] + output shape) is loaded instead,
  // labelled "<model>:<layer> outputs" (computed here, on the calling thread: a fraction of a
  // second for the built-in models).
  void selectLayer(int index);
  // The same by layer name ("fc1"); false when there is no such layer.
  bool selectLayerByName(const QString& name);
  // Selects the first Linear / Conv2d layer (nothing without a model).
  void selectFirstWeightLayer();
  // True while the Session's tensor is a layer of this model (selectLayer put it there and
  // nothing replaced it since).
  bool tensorFromModel() const { return tensorFromModel_; }
  // Marks layer `name` as selected with `source` as selectLayerByName would, without loading its
  // tensor: a session file has already put that very tensor in the Session. False when the
  // model has no such layer.
  bool adoptLayer(const QString& name, LayerSource source);

  // One output value of a layer's int8 computation: test image `sample`, output channel
  // `column`, and for Conv2d the output position `pixel` (y * width + x). Runs one image in int8
  // with an Int8Trace: cheap, so it runs on the calling thread. Linear and Conv2d layers only;
  // std::nullopt with *error set otherwise.
  std::optional<RequantTrace> requantTrace(int layerIndex, int sample, int pixel, int column,
                                           QString* error) const;

  // The Int8Layer index of fp32 layer `index` (same name), or -1.
  int int8IndexOf(int index) const;

  static QString shapeText(const std::vector<std::int64_t>& shape);
  // Stored bytes (quant::modelBytes) of the loaded model in fp32 or under the int8 recipe, and of
  // one of its layers (the layer's own activation parameters included, not the graph input's).
  // Zero without a model.
  quant::ModelBytes modelBytes(bool int8) const;
  quant::ModelBytes layerBytes(int index, bool int8) const;

 signals:
  void modelLoaded();
  void loadFailed(const QString& message);
  void dataLoaded();
  void dataFailed(const QString& message);
  void busyChanged(bool busy);
  void progress(double fraction, const QString& what);
  void benchmarkFinished();
  void evaluationFinished();
  void sensitivityFinished();
  void qatStarted();
  void qatPoint(int step, int epoch, double loss, double accuracy);
  void qatFinished();
  void activePlanChanged();
  void jobFailed(const QString& message);
  void jobCancelled();
  void selectedLayerChanged(int index);
  void layerSourceChanged();

 private:
  enum class Kind { Load, Data, Bench, Eval, Sensitivity, Qat, Plan };
  struct JobOutput {
    Kind kind = Kind::Load;
    QString error;
    std::shared_ptr<const Loaded> loaded;
    std::optional<BenchResult> bench;
    std::optional<EvalResult> eval;
    std::optional<SensitivityResult> sens;
    std::optional<QatOutcome> qat;
    std::optional<ActivePlan> plan;
  };
  // Starts fn(out, report, cancel) on a worker: report(fraction) publishes progress and says
  // whether to go on, report.post(fn) streams a partial result, cancel is the stop flag.
  template <typename Fn>
  void startJob(Kind kind, const QString& what, Fn fn);
  void finishJob(JobOutput out);
  void restoreQatCurve();

  Session* session_;
  bool tensorFromModel_ = false;  // the Session's tensor is a layer of the model (selectLayer)
  std::shared_ptr<const Loaded> loaded_;
  std::optional<BenchResult> bench_;
  std::optional<EvalResult> eval_;
  std::optional<SensitivityResult> sens_;
  std::optional<QatOutcome> qat_;
  std::vector<QatPoint> qatCurve_;
  int qatTotalSteps_ = 0;
  std::optional<ActivePlan> plan_;
  quint64 planIds_ = 0;
  Kind runningKind_ = Kind::Load;
  int selected_ = -1;
  LayerSource source_ = LayerSource::Weights;
  QString busyWhat_, lastError_;
  BackgroundJob job_;  // last member: destroyed first, it stops and waits for the running job
};

}  // namespace quantlab::ui
