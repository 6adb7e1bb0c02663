// SPDX-License-Identifier: GPL-3.0-or-later
#include "modelsession.h"

#include <QFileInfo>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <random>

#include "quant/base/resources.h"
#include "quant/kernels/int8gemm.h"
#include "quant/nn/bench.h"
#include "quant/nn/capture.h"
#include "quant/nn/evaluate.h"
#include "quant/nn/onnxqdq.h"
#include "quant/numeric/calibrate.h"
#include "session.h"

namespace quantlab::ui {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::int64_t kCalibImages = 256;
constexpr std::int64_t kValidationFirst = 50000;
constexpr std::int64_t kValidationImages = 1000;

quant::Tensor randomBatch(const quant::Model& m, std::int64_t count, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  quant::Tensor t;
  t.name = m.input;
  t.dtype = "float32";
  t.shape = {count};
  t.shape.insert(t.shape.end(), m.inputShape.begin(), m.inputShape.end());
  t.data.resize(static_cast<std::size_t>(count * quant::checkedNumel(m.inputShape)));
  for (float& v : t.data) v = u(rng);
  return t;
}

double secondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

ModelSession::ModelSession(Session* session, QObject* parent) : QObject(parent), session_(session) {
  // Any other tensor (a file, the generator, a lesson) replaces the model's layer.
  if (session_)
    connect(session_, &Session::tensorChanged, this, [this] { tensorFromModel_ = false; });
  connect(&job_, &BackgroundJob::busyChanged, this, &ModelSession::busyChanged);
  connect(&job_, &BackgroundJob::progressChanged, this,
          [this](double f) { emit progress(f, busyWhat_); });
  connect(&job_, &BackgroundJob::cancelled, this, [this] {
    // As everywhere, a cancelled job's partial results are thrown away: the curve goes back to
    // the last finished run's.
    busyWhat_.clear();
    if (runningKind_ == Kind::Qat) restoreQatCurve();
    emit jobCancelled();
  });
}

ModelSession::~ModelSession() = default;

QString ModelSession::shapeText(const std::vector<std::int64_t>& shape) {
  QStringList parts;
  for (std::int64_t d : shape) parts << QString::number(d);
  return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

quant::ModelBytes ModelSession::modelBytes(bool int8) const {
  if (!loaded_) return {};
  const quant::Model& m = loaded_->fp32;
  return quant::modelBytes(
      m, quant::uniformPlan(m, int8 ? 8 : quant::kFp32, int8 ? 8 : quant::kFp32), loaded_->recipe);
}

quant::ModelBytes ModelSession::layerBytes(int index, bool int8) const {
  if (!loaded_ || index < 0 || index >= static_cast<int>(loaded_->fp32.layers.size())) return {};
  const int bits = int8 ? 8 : quant::kFp32;
  return quant::layerBytes(loaded_->fp32.layers[static_cast<std::size_t>(index)], {bits, bits},
                           loaded_->recipe);
}

template <typename Fn>
void ModelSession::startJob(Kind kind, const QString& what, Fn fn) {
  busyWhat_ = what;
  // A QAT run cut short by another job leaves no partial curve behind.
  if (job_.isBusy() && runningKind_ == Kind::Qat && kind != Kind::Qat) restoreQatCurve();
  runningKind_ = kind;
  // The running job (if any) is told to stop and its result dropped; this one waits for it, so
  // at most one job uses the CPU.
  job_.start(
      [kind, fn](const JobControl& report) mutable {
        JobOutput out;
        out.kind = kind;
        try {
          fn(out, report, report.cancelFlag());
        } catch (const std::exception& e) {
          out.error = QString::fromStdString(e.what());
        }
        return out;
      },
      [this](JobOutput out) { finishJob(std::move(out)); });
  emit progress(0.0, what);
}

void ModelSession::finishJob(JobOutput out) {
  busyWhat_.clear();
  if (!out.error.isEmpty()) {
    lastError_ = out.error;
    if (out.kind == Kind::Load)
      emit loadFailed(out.error);
    else if (out.kind == Kind::Data)
      emit dataFailed(out.error);
    else
      emit jobFailed(out.error);
    return;
  }
  lastError_.clear();
  switch (out.kind) {
    case Kind::Load:
    case Kind::Data: {
      // When the tensor views show a layer of the old model, they move to the new model (the
      // layer of the same name, else its first layer with weights) instead of keeping a tensor
      // labelled with the old model's name. Done before modelLoaded(), so that a lesson that
      // picks its own layer on modelLoaded() has the last word.
      const QString previous =
          tensorFromModel_ && loaded_ && selected_ >= 0
              ? QString::fromStdString(
                    loaded_->fp32.layers[static_cast<std::size_t>(selected_)].name)
              : QString();
      const bool follow = tensorFromModel_;
      loaded_ = out.loaded;
      bench_.reset();
      eval_.reset();
      sens_.reset();
      qat_.reset();
      qatCurve_.clear();
      qatTotalSteps_ = 0;
      plan_.reset();
      selected_ = -1;
      if (follow && !selectLayerByName(previous)) selectFirstWeightLayer();
      emit modelLoaded();
      emit activePlanChanged();
      emit selectedLayerChanged(selected_);
      if (out.kind == Kind::Data) emit dataLoaded();
      break;
    }
    case Kind::Bench:
      bench_ = std::move(out.bench);
      emit benchmarkFinished();
      break;
    case Kind::Eval:
      eval_ = std::move(out.eval);
      emit evaluationFinished();
      break;
    case Kind::Sensitivity:
      sens_ = std::move(out.sens);
      emit sensitivityFinished();
      break;
    case Kind::Qat:
      qat_ = std::move(out.qat);
      // Every point, the epoch accuracies included, was streamed while training ran.
      if (qat_) qatCurve_ = qat_->curve;
      emit qatFinished();
      break;
    case Kind::Plan:
      // A plan cleared or replaced meanwhile keeps its own state.
      if (out.plan && plan_ && plan_->id == out.plan->id) {
        plan_ = std::move(out.plan);
        emit activePlanChanged();
      }
      break;
  }
}

void ModelSession::cancel() {
  // jobCancelled() follows when the worker notices.
  job_.cancel();
}

void ModelSession::waitForIdle() { job_.waitForIdle(); }

void ModelSession::openModel(const QString& nameOrPath) {
  const std::string arg = nameOrPath.toStdString();
  startJob(
      Kind::Load, tr("Opening %1").arg(nameOrPath),
      [arg, nameOrPath](JobOutput& out, const auto& report, std::atomic<bool>& cancel) {
        auto loaded = std::make_shared<Loaded>();
        const std::string path = quant::resolveModelPath(arg);
        loaded->path = QString::fromStdString(path);
        const auto builtins = quant::builtinModelNames();
        loaded->name = std::find(builtins.begin(), builtins.end(), arg) != builtins.end()
                           ? nameOrPath
                           : QFileInfo(loaded->path).fileName();
        // A quantized ONNX file (QDQ / QOperator) brings its int8 model; it is not recalibrated.
        std::optional<quant::QuantizedOnnxModel> quantized;
        if (quant::isQuantizedOnnxFile(path)) {
          quantized = quant::loadQuantizedOnnx(path);
          loaded->fp32 = quantized->fp32;
        } else {
          loaded->fp32 = quant::loadOnnxModel(path);
        }
        report(0.2);
        if (cancel.load()) return;
        const quant::Model& m = loaded->fp32;
        const bool imageInput = quant::checkedNumel(m.inputShape) == 28 * 28;
        quant::Tensor calib;
        if (!imageInput) {
          loaded->dataError =
              tr("The model's input %1 is not a 28×28 Fashion-MNIST image: give it its data "
                 "with Open data…. Until then timing uses random inputs, and predictions, "
                 "sensitivity and QAT are unavailable.")
                  .arg(shapeText(m.inputShape));
        } else {
          // A normalisation file beside the model applies to Fashion-MNIST too, as in the CLI.
          const quant::Normalization norm = quant::normalizationBeside(path);
          try {
            quant::Dataset train;
            if (norm == quant::Normalization{}) {
              loaded->test = quant::loadFashionMnist(quant::kFashionMnistDir, quant::Split::Test);
              report(0.4);
              if (cancel.load()) return;
              train = quant::loadFashionMnist(quant::kFashionMnistDir, quant::Split::Train);
            } else {
              quant::DataOptions o;
              o.inputShape = m.inputShape;
              o.classes = quant::checkedNumel(m.outputShape());
              o.norm = norm;
              quant::UserData u = quant::loadUserData(quant::kFashionMnistDir, o);
              loaded->test = std::move(u.samples);
              train = std::move(u.train);
              loaded->train = train;
            }
            loaded->calibration = quant::sliceDataset(train, 0, kCalibImages);
            loaded->validation = quant::sliceDataset(train, kValidationFirst, kValidationImages);
            calib =
                quant::sampleBatch(m, loaded->calibration.images, 0,
                                   static_cast<std::int64_t>(loaded->calibration.labels.size()));
          } catch (const std::exception& e) {
            loaded->test.reset();
            loaded->dataError =
                tr("Fashion-MNIST is not installed (%1). Install it with: sudo apt-get "
                   "install dataset-fashion-mnist. Until then the benchmark uses random "
                   "images.")
                    .arg(QString::fromStdString(e.what()));
          }
        }
        report(0.7);
        if (cancel.load()) return;
        if (calib.data.empty()) calib = randomBatch(m, kCalibImages, 1);
        if (quantized) {
          loaded->int8 = std::move(quantized->int8);
          loaded->recipe = loaded->int8.recipe;
          loaded->hasInt8 = true;
          loaded->int8FromFile = true;
        } else {
          try {
            // Static PTQ as in the CLI: min-max ranges, one weight scale per output channel.
            loaded->int8 = quant::quantizeModel(m, calib, loaded->recipe);
            loaded->hasInt8 = true;
          } catch (const std::exception& e) {
            loaded->int8Error = QString::fromStdString(e.what());
          }
        }
        report(1.0);
        out.loaded = std::move(loaded);
      });
}

void ModelSession::openData(const DataSettings& settings) {
  const auto snap = loaded_;
  if (!snap) {
    emit dataFailed(tr("Open a model first: the data is fitted to its input."));
    return;
  }
  startJob(Kind::Data, tr("Opening data %1").arg(QFileInfo(settings.path).fileName()),
           [snap, settings](JobOutput& out, const auto& report, std::atomic<bool>& cancel) {
             auto loaded = std::make_shared<Loaded>(*snap);
             const quant::Model& m = loaded->fp32;
             quant::DataOptions o;
             o.inputShape = m.inputShape;
             o.classes = quant::checkedNumel(m.outputShape());
             o.fit = settings.fit;
             o.norm = settings.norm;
             o.progress = [&](double f) { return report(0.8 * f) && !cancel.load(); };
             quant::UserData u = quant::loadUserData(settings.path.toStdString(), o);
             if (!u.labelled) quant::labelWithPredictions(m, u.samples);
             if (cancel.load()) return;
             quant::Dataset calib, test;
             if (u.format == "mnist-directory") {
               calib = quant::sliceDataset(u.train, 0, kCalibImages);
               test = std::move(u.samples);
               loaded->train = std::move(u.train);
             } else {
               const auto n = static_cast<std::int64_t>(u.samples.labels.size());
               const quant::DataSplits s =
                   quant::chooseSplits(n, std::nullopt, std::nullopt, kCalibImages, false);
               calib =
                   quant::sliceDataset(u.samples, s.calibration.first, s.calibration.count);
               test = quant::sliceDataset(u.samples, s.evaluation.first, s.evaluation.count);
               loaded->train = calib;
             }
             loaded->calibration = calib;
             loaded->validation = calib;
             loaded->test = std::move(test);
             loaded->labelled = u.labelled;
             loaded->dataError.clear();
             loaded->dataSummary = QString::fromStdString(u.describe());
             report(0.9);
             loaded->hasInt8 = false;
             loaded->int8Error.clear();
             try {
               loaded->int8 = quant::quantizeModel(
                   m,
                   quant::sampleBatch(m, calib.images, 0,
                                      static_cast<std::int64_t>(calib.labels.size())),
                   loaded->recipe);
               loaded->hasInt8 = true;
             } catch (const std::exception& e) {
               loaded->int8Error = QString::fromStdString(e.what());
             }
             report(1.0);
             out.loaded = std::move(loaded);
           });
}

quant::Normalization ModelSession::normalizationBesideModel(QString* error) const {
  if (!loaded_) return {};
  try {
    return quant::normalizationBeside(loaded_->path.toStdString());
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return {};
  }
}

void ModelSession::runBenchmark(int batch, int threads, int repeats) {
  const auto snap = loaded_;
  if (!snap) return;
  if (!snap->hasInt8) {
    emit jobFailed(tr("No int8 model: %1").arg(snap->int8Error));
    return;
  }
  batch = std::clamp(batch, 1, 10000);
  threads = std::clamp(threads, 1, 64);
  repeats = std::clamp(repeats, 1, 1000);
  startJob(Kind::Bench, tr("Benchmark"),
           [snap, batch, threads, repeats](JobOutput& out, const auto& report,
                                           std::atomic<bool>& cancel) {
             const quant::Model& m = snap->fp32;
             const quant::Int8Model& q = snap->int8;
             BenchResult r;
             r.batch = batch;
             r.threads = threads;
             r.repeats = repeats;
             quant::Tensor input;
             if (snap->test) {
               const auto n = static_cast<std::int64_t>(snap->test->labels.size());
               input =
                   quant::sampleBatch(m, snap->test->images, 0, std::min<std::int64_t>(batch, n));
             } else {
               input = randomBatch(m, batch, 2);
               r.randomInput = true;
             }
             r.isa = QString::fromLatin1(quant::gemm::isaName(quant::gemm::kernelIsa()));
             r.isaNote = QString::fromStdString(quant::gemm::fallbackNote());
             r.fp32Kernel = QString::fromLatin1(quant::fp32KernelName());
             quant::BenchConfig bc;
             bc.warmup = 1;  // caches, page faults and the thread team's first start
             bc.repeats = repeats;
             bc.threads = threads;
             r.report = quant::bench(m, q, input, bc, report);
             if (r.report.cancelled || cancel.load()) return;
             report(1.0);
             out.bench = std::move(r);
           });
}

void ModelSession::runEvaluation(std::int64_t limit) {
  const auto snap = loaded_;
  if (!snap) return;
  if (!snap->test) {
    emit jobFailed(snap->dataError);
    return;
  }
  if (!snap->hasInt8) {
    emit jobFailed(tr("No int8 model: %1").arg(snap->int8Error));
    return;
  }
  startJob(Kind::Eval, tr("Evaluating on the test set"),
           [snap, limit](JobOutput& out, const auto& report, std::atomic<bool>&) {
             quant::EvalConfig cfg;
             cfg.prepared = &snap->int8;
             cfg.recipe = snap->int8.recipe;
             cfg.limit = limit;
             cfg.keepGoing = false;  // EvalResult always holds fp32 and int8
             const quant::EvalMode modes[] = {quant::EvalMode::Int8Static};
             EvalResult r = quant::evaluate(snap->fp32, *snap->test, modes, cfg, report);
             if (r.cancelled) return;
             out.eval = std::move(r);
           });
}

void ModelSession::runSensitivity(int bits, std::int64_t images, double budgetPoints) {
  const auto snap = loaded_;
  if (!snap) return;
  if (!snap->test) {
    emit jobFailed(snap->dataError);
    return;
  }
  startJob(
      Kind::Sensitivity, tr("Sensitivity analysis"),
      [snap, bits, images, budgetPoints](JobOutput& out, const auto& report, std::atomic<bool>&) {
        const quant::Dataset test = quant::sliceDataset(*snap->test, 0, images);
        const quant::Tensor calibImages = snap->calibration.images;
        std::vector<int> widths{bits};
        const quant::FakeQuantModel fq(snap->fp32, calibImages, snap->recipe, widths);
        const double share = budgetPoints > 0 ? 0.6 : 1.0;
        quant::SensitivityOptions opt;
        opt.bits = bits;
        SensitivityResult r;
        r.recipe = fq.recipe().withBits(bits, bits);
        r.images = static_cast<std::int64_t>(test.labels.size());
        r.budgetPoints = budgetPoints;
        r.report =
            quant::analyzeSensitivity(fq, test, opt, [&](double f) { return report(share * f); });
        if (r.report.cancelled) return;
        if (budgetPoints > 0) {
          quant::MixedOptions mo;
          mo.bits = bits;
          mo.budgetPoints = budgetPoints;
          quant::MixedResult mixed = quant::proposeMixedPrecision(
              fq, snap->validation, test, mo,
              [&](double f) { return report(share + (1.0 - share) * f); });
          if (mixed.cancelled) return;
          r.mixed = std::move(mixed);
        }
        report(1.0);
        out.sens = std::move(r);
      });
}

void ModelSession::runQat(const QatSettings& settings) {
  const auto snap = loaded_;
  if (!snap) return;
  if (!snap->test) {
    emit jobFailed(snap->dataError);
    return;
  }
  QatSettings st = settings;
  st.weightBits = std::clamp(st.weightBits, 2, 16);
  st.actBits = std::clamp(st.actBits, 2, 16);
  st.epochs = std::clamp(st.epochs, 1, 100);
  st.trainImages = std::clamp<std::int64_t>(st.trainImages, 1, 60000);
  st.testImages = std::clamp<std::int64_t>(st.testImages, 1, 10000);
  quant::QatConfig cfg;
  cfg.recipe = loaded_->recipe.withBits(st.weightBits, st.actBits);
  cfg.epochs = st.epochs;
  cfg.lr = st.lr;
  cfg.lsq = st.lsq;
  cfg.seed = st.seed;
  const std::int64_t batches = (st.trainImages + cfg.batch - 1) / cfg.batch;
  const int total = static_cast<int>(batches * st.epochs);
  qatCurve_.clear();
  qatTotalSteps_ = total;
  startJob(Kind::Qat, tr("Quantization-aware training"),
           [this, snap, st, cfg, total](JobOutput& out, const auto& report,
                                        std::atomic<bool>& cancel) mutable {
             // Points of a superseded or cancelled run never reach the curve.
             auto send = [this, &report](const QatPoint& p) {
               report.post([this, p] {
                 qatCurve_.push_back(p);
                 emit qatPoint(p.step, p.epoch, p.loss, p.accuracy);
               });
             };
             const quant::Dataset full =
                 snap->train ? *snap->train
                             : quant::loadFashionMnist(quant::kFashionMnistDir, quant::Split::Train);
             if (!report(0.02)) return;
             const quant::Dataset train = quant::sliceDataset(full, 0, st.trainImages);
             const quant::Dataset test = quant::sliceDataset(*snap->test, 0, st.testImages);
             QatOutcome r;
             r.settings = st;
             r.trainImages = static_cast<std::int64_t>(train.labels.size());
             r.testImages = static_cast<std::int64_t>(test.labels.size());
             r.fp32Accuracy =
                 quant::evaluate(snap->fp32, test, {}, quant::EvalConfig{}).modes.front().accuracy;
             // The starting point of the accuracy curve: the PTQ model qat() starts from (the same
             // calibration on the same images, so it equals QatResult::ptqAccuracy).
             const quant::QatParams ptq = quant::calibrateQat(snap->fp32, train, cfg);
             const QatPoint start{0, 0, kNaN, quant::fakeQuantAccuracy(snap->fp32, ptq, test)};
             r.curve.push_back(start);
             send(start);
             if (!report(0.05)) return;
             // A loss point every `every` full minibatches (about 80 points for the whole run): the
             // mean over the images since the last point, so an epoch's short last minibatch is
             // weighted by its size instead of showing as a spike of its own.
             const std::int64_t every = std::max(1, total / 80) * std::int64_t{cfg.batch};
             const auto n = static_cast<std::int64_t>(train.labels.size());
             int step = 0;
             std::int64_t inPoint = 0;
             double lossSum = 0;
             cfg.progress = [&](int epoch, int batch, double loss) {
               ++step;
               const std::int64_t bn =
                   std::clamp<std::int64_t>(n - std::int64_t{batch} * cfg.batch, 1, cfg.batch);
               lossSum += loss * static_cast<double>(bn);
               inPoint += bn;
               if (inPoint >= every || step == total) {
                 const QatPoint p{step, epoch, lossSum / static_cast<double>(inPoint), kNaN};
                 r.curve.push_back(p);
                 send(p);
                 lossSum = 0;
                 inPoint = 0;
               }
               return report(0.05 + 0.93 * static_cast<double>(step) / std::max(1, total));
             };
             // The epoch's accuracy goes out as soon as qat() has measured it, so the accuracy
             // curve grows while training goes on; the value is the one QatResult stores.
             cfg.onEpoch = [&](const quant::QatEpochReport& e) {
               if (!e.hasAccuracy) return;
               const QatPoint p{step, e.epoch, kNaN, e.accuracy};
               r.curve.push_back(p);
               send(p);
             };
             const auto t0 = Clock::now();
             r.result = quant::qat(snap->fp32, train, test, cfg);
             r.seconds = secondsSince(t0);
             if (r.result.cancelled || cancel.load()) return;
             r.steps = step;
             r.ptqAccuracy = r.result.ptqAccuracy;
             r.qatAccuracy = r.result.testAccuracy.empty() ? 0.0 : r.result.testAccuracy.back();
             report(1.0);
             out.qat = std::move(r);
           });
  emit qatStarted();
}

void ModelSession::restoreQatCurve() {
  qatCurve_ = qat_ ? qat_->curve : std::vector<QatPoint>{};
  qatTotalSteps_ = qat_ ? qat_->steps : 0;
}

QString ModelSession::saveQatModel(const QString& path) const {
  if (!qat_) return tr("No QAT model yet: run the training first.");
  try {
    quant::saveOnnxModel(qat_->result.quantizedModel, path.toStdString());
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  return QString();
}

bool ModelSession::applyProposal() {
  const auto snap = loaded_;
  if (!snap || !snap->test || !sens_ || !sens_->mixed) return false;
  ActivePlan p;
  p.plan = sens_->mixed->plan;
  p.bits = sens_->report.bits;
  p.budgetPoints = sens_->budgetPoints;
  for (const quant::LayerSensitivity& l : sens_->report.layers) {
    p.layerIndex.push_back(static_cast<int>(l.layer.index));
    p.layerNames << QString::fromStdString(l.layer.name);
  }
  p.id = ++planIds_;
  plan_ = p;
  emit activePlanChanged();
  startJob(
      Kind::Plan, tr("Evaluating the mixed-precision plan"),
      [snap, p](JobOutput& out, const auto& report, std::atomic<bool>&) mutable {
        const quant::Dataset& test = *snap->test;
        std::vector<int> widths{p.bits};
        for (const quant::LayerPrecision& lp : p.plan)
          if (lp.activationBits != quant::kFp32 &&
              std::find(widths.begin(), widths.end(), lp.activationBits) == widths.end())
            widths.push_back(lp.activationBits);
        // The same calibration as the sensitivity analysis that proposed the plan.
        const quant::FakeQuantModel fq(snap->fp32, snap->calibration.images, snap->recipe, widths);
        quant::EvaluateOptions opt;
        opt.isolated = false;
        const std::vector<quant::PrecisionPlan> plans{p.plan};
        bool cancelled = false;
        std::vector<quant::PlanResult> res = quant::evaluatePlans(
            fq, plans, test, opt, &p.fp32Accuracy, [&](double f) { return report(f); }, &cancelled);
        if (cancelled || res.empty()) return;
        p.result = res.front();
        p.fp32SizeBytes = fq.sizeBytes(fq.uniformPlan(quant::kFp32, quant::kFp32));
        p.images = static_cast<std::int64_t>(test.labels.size());
        p.evaluated = true;
        report(1.0);
        out.plan = std::move(p);
      });
  return true;
}

void ModelSession::clearPlan() {
  if (!plan_) return;
  plan_.reset();
  emit activePlanChanged();
}

QString ModelSession::planText(int index) const {
  if (!plan_) return QString();
  for (std::size_t k = 0; k < plan_->layerIndex.size() && k < plan_->plan.size(); ++k) {
    if (plan_->layerIndex[k] != index) continue;
    const quant::LayerPrecision& lp = plan_->plan[k];
    if (lp.weightBits == quant::kFp32 && lp.activationBits == quant::kFp32)
      return tr("fp32 (kept)");
    return tr("W %1 · A %2")
        .arg(QString::fromStdString(quant::precisionName(lp.weightBits)),
             QString::fromStdString(quant::precisionName(lp.activationBits)));
  }
  return QString();
}

void ModelSession::selectLayer(int index) {
  if (!loaded_ || index < 0 || index >= static_cast<int>(loaded_->fp32.layers.size())) {
    if (selected_ != -1) {
      selected_ = -1;
      emit selectedLayerChanged(-1);
    }
    return;
  }
  const quant::Layer& l = loaded_->fp32.layers[static_cast<std::size_t>(index)];
  if (session_ && source_ == LayerSource::Activations) {
    const quant::Model& m = loaded_->fp32;
    const auto n = static_cast<std::int64_t>(loaded_->calibration.labels.size());
    const quant::Tensor x = n > 0 ? quant::sampleBatch(m, loaded_->calibration.images, 0, n)
                                  : randomBatch(m, kCalibImages, 1);
    try {
      quant::Tensor t = quant::layerOutput(m, x, static_cast<std::size_t>(index));
      t.dtype = "float32";
      session_->setTensor(std::move(t), tr("%1:%2 outputs on %3 calibration images")
                                            .arg(loaded_->name, QString::fromStdString(l.name))
                                            .arg(x.shape.empty() ? 0 : x.shape[0]));
      tensorFromModel_ = true;
    } catch (const std::exception& e) {
      lastError_ = QString::fromStdString(e.what());
      emit jobFailed(lastError_);
    }
  } else if (session_ &&
             (l.type == quant::LayerType::Linear || l.type == quant::LayerType::Conv2d)) {
    quant::Tensor t;
    t.name = l.name + ".weight";
    t.dtype = "float32";
    if (l.type == quant::LayerType::Linear) {
      t.shape = {static_cast<std::int64_t>(l.weight.rows()),
                 static_cast<std::int64_t>(l.weight.cols())};
    } else {
      const std::int64_t inPerGroup =
          l.inShape.empty() ? l.weight.cols() / (l.kernelH * l.kernelW) : l.inShape[0] / l.groups;
      t.shape = {static_cast<std::int64_t>(l.weight.rows()), inPerGroup, l.kernelH, l.kernelW};
    }
    // RowMatrix is row-major: its storage is the tensor's C-order data.
    t.data.assign(l.weight.data(), l.weight.data() + l.weight.size());
    session_->setTensor(
        std::move(t),
        QStringLiteral("%1:%2 weights").arg(loaded_->name, QString::fromStdString(l.name)));
    tensorFromModel_ = true;
  }
  if (selected_ != index) {
    selected_ = index;
    emit selectedLayerChanged(index);
  }
}

void ModelSession::setLayerSource(LayerSource source) {
  if (source == source_) return;
  source_ = source;
  emit layerSourceChanged();
  if (selected_ >= 0) selectLayer(selected_);
}

bool ModelSession::adoptLayer(const QString& name, LayerSource source) {
  if (!loaded_) return false;
  const auto& layers = loaded_->fp32.layers;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    if (QString::fromStdString(layers[i].name) != name) continue;
    if (source != source_) {
      source_ = source;
      emit layerSourceChanged();
    }
    tensorFromModel_ = true;
    if (selected_ != static_cast<int>(i)) {
      selected_ = static_cast<int>(i);
      emit selectedLayerChanged(selected_);
    }
    return true;
  }
  return false;
}

void ModelSession::selectFirstWeightLayer() {
  if (!loaded_) return;
  const auto& layers = loaded_->fp32.layers;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    if (layers[i].type == quant::LayerType::Linear || layers[i].type == quant::LayerType::Conv2d) {
      selectLayer(static_cast<int>(i));
      return;
    }
  }
}

bool ModelSession::selectLayerByName(const QString& name) {
  if (!loaded_) return false;
  const std::string n = name.toStdString();
  for (std::size_t i = 0; i < loaded_->fp32.layers.size(); ++i)
    if (loaded_->fp32.layers[i].name == n) {
      selectLayer(static_cast<int>(i));
      return true;
    }
  return false;
}

int ModelSession::int8IndexOf(int index) const {
  if (!loaded_ || !loaded_->hasInt8 || index < 0 ||
      index >= static_cast<int>(loaded_->fp32.layers.size()))
    return -1;
  const std::string& name = loaded_->fp32.layers[static_cast<std::size_t>(index)].name;
  for (std::size_t i = 0; i < loaded_->int8.layers.size(); ++i)
    if (loaded_->int8.layers[i].name == name) return static_cast<int>(i);
  return -1;
}

std::optional<ModelSession::RequantTrace> ModelSession::requantTrace(int layerIndex, int sample,
                                                                     int pixel, int column,
                                                                     QString* error) const {
  auto fail = [error](const QString& m) {
    if (error) *error = m;
    return std::nullopt;
  };
  if (!loaded_) return fail(tr("No model is open."));
  if (!loaded_->hasInt8) return fail(tr("No int8 model: %1").arg(loaded_->int8Error));
  const int qi = int8IndexOf(layerIndex);
  if (qi < 0) return fail(tr("Select a Linear or Conv2d layer in the layer table."));
  const quant::Int8Model& q = loaded_->int8;
  const quant::Int8Layer& L = q.layers[static_cast<std::size_t>(qi)];
  const bool conv = L.type == quant::LayerType::Conv2d;
  if ((L.type != quant::LayerType::Linear && !conv) || L.packed.empty())
    return fail(
        tr("The walkthrough follows the layers with weights: select a Linear or Conv2d "
           "layer."));
  const quant::Model& m = loaded_->fp32;
  quant::Tensor x;
  if (loaded_->test) {
    const auto n = static_cast<int>(loaded_->test->labels.size());
    sample = std::clamp(sample, 0, n - 1);
    x = quant::sampleBatch(m, loaded_->test->images, sample, 1);
  } else {
    x = randomBatch(m, 1, static_cast<std::uint32_t>(sample + 3));
  }
  try {
    return quant::traceRequantization(loaded_->int8, static_cast<std::size_t>(qi), x, sample, pixel,
                                      column);
  } catch (const std::exception& e) {
    return fail(QString::fromStdString(e.what()));
  }
}

}  // namespace quantlab::ui
