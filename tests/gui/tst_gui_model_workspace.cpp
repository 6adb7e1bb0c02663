// SPDX-License-Identifier: GPL-3.0-or-later
// The model workspace: ModelSession opens the built-in MLP in the background, the layer table,
// loading a layer's weights into the Session, the benchmark, the predictions grid, the
// sensitivity ranking, the requantization walkthrough against the kernel, and cancelling.
#include <QCheckBox>
#include <QDockWidget>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QtTest>
#include <memory>

#include "benchview.h"
#include "mainwindow.h"
#include "modelsession.h"
#include "modelview.h"
#include "predictionsview.h"
#include "quant/io/dataset.h"
#include "quant/kernels/fixedpoint.h"
#include "quant/kernels/int8gemm.h"
#include "requantview.h"
#include "sensitivityview.h"
#include "session.h"
#include "settings.h"
#include "testsupport.h"

using namespace quantlab::ui;

namespace {
constexpr int kLoadTimeoutMs = 60000;
constexpr int kJobTimeoutMs = 30000;

int rowOf(QTableWidget* t, const QString& name) {
  for (int r = 0; r < t->rowCount(); ++r)
    if (t->item(r, 0) && t->item(r, 0)->text() == name) return r;
  return -1;
}
}  // namespace

class TestGuiModel : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void cleanupTestCase();
  void opensBuiltinMlp();
  void layerTableRows();
  void selectingFc1LoadsItsWeights();
  void benchmarkFillsBars();
  void predictionsShowGrid();
  void sameNumbersAsTheCli();
  void requantWalkthroughMatchesKernel();
  void convWalkthroughMatchesKernel();
  void sensitivityRanksLayers();
  void cancelStopsAJob();
  void openingAMissingFileFails();
  void windowKnowsTheModelViews();

 private:
  std::unique_ptr<Session> session_;
  std::unique_ptr<ModelSession> ms_;
  std::unique_ptr<ModelView> modelView_;
};

void TestGuiModel::initTestCase() {
  session_ = std::make_unique<Session>();
  ms_ = std::make_unique<ModelSession>(session_.get());
  modelView_ = std::make_unique<ModelView>(ms_.get());
  modelView_->resize(900, 500);
  QSignalSpy loaded(ms_.get(), &ModelSession::modelLoaded);
  ms_->openModel(QStringLiteral("mlp"));
  QVERIFY(ms_->busy());  // the load runs in the background
  QTRY_VERIFY_WITH_TIMEOUT(loaded.count() == 1, kLoadTimeoutMs);
  QVERIFY(!ms_->busy());
}

void TestGuiModel::cleanupTestCase() {
  modelView_.reset();
  ms_.reset();
  session_.reset();
}

void TestGuiModel::opensBuiltinMlp() {
  const auto snap = ms_->loaded();
  QVERIFY(snap);
  QCOMPARE(snap->name, QStringLiteral("mlp"));
  QVERIFY2(snap->hasInt8, qPrintable(snap->int8Error));
  if (!snap->test) QSKIP(qPrintable(snap->dataError));
  QVERIFY(snap->dataError.isEmpty());
  QCOMPARE(snap->test->labels.size(), std::size_t{10000});
  // The int8 model was calibrated on 256 training images.
  QCOMPARE(snap->calibration.labels.size(), std::size_t{256});
  QCOMPARE(snap->int8.layers.size() <= snap->fp32.layers.size(), true);
}

void TestGuiModel::layerTableRows() {
  const auto snap = ms_->loaded();
  QTableWidget* t = modelView_->table();
  QCOMPARE(t->rowCount(), static_cast<int>(snap->fp32.layers.size()));
  for (int r = 0; r < t->rowCount(); ++r) {
    const quant::Layer& l = snap->fp32.layers[static_cast<std::size_t>(r)];
    QCOMPARE(t->item(r, 0)->text(), QString::fromStdString(l.name));
    QCOMPARE(t->item(r, 1)->text(), QString::fromLatin1(quant::layerTypeName(l.type)));
    QCOMPARE(t->item(r, 2)->text(), ModelSession::shapeText(l.outShape));
  }
  const int fc1 = rowOf(t, QStringLiteral("fc1"));
  QVERIFY(fc1 >= 0);
  const quant::Layer& l = snap->fp32.layers[static_cast<std::size_t>(fc1)];
  QCOMPARE(l.params, std::int64_t{256 * 784 + 256});
  QCOMPARE(ms_->layerBytes(fc1, false).total(), std::int64_t{4 * (256 * 784 + 256)});
  // int8: a byte per weight, an int32 per bias, a float scale per output channel and the
  // output's scale and zero point.
  QCOMPARE(ms_->layerBytes(fc1, true).total(), std::int64_t{256 * 784 + 4 * 256 + 4 * 256 + 8});
}

void TestGuiModel::selectingFc1LoadsItsWeights() {
  QTableWidget* t = modelView_->table();
  const int fc1 = rowOf(t, QStringLiteral("fc1"));
  QVERIFY(fc1 >= 0);
  QSignalSpy tensorChanged(session_.get(), &Session::tensorChanged);
  t->selectRow(fc1);
  QCOMPARE(ms_->selectedLayer(), fc1);
  QCOMPARE(tensorChanged.count(), 1);
  const quant::Tensor& w = session_->tensor();
  QCOMPARE(w.shape, (std::vector<std::int64_t>{256, 784}));
  QVERIFY(session_->tensorLabel().contains(QStringLiteral("mlp:fc1 weights")));
  const quant::Layer& l = ms_->loaded()->fp32.layers[static_cast<std::size_t>(fc1)];
  QCOMPARE(w.data.size(), std::size_t{256 * 784});
  // Row-major [out, in]: element (o, i) is W(o, i).
  for (int o : {0, 17, 255})
    for (int i : {0, 300, 783})
      QCOMPARE(w.data[static_cast<std::size_t>(o * 784 + i)], l.weight(o, i));
  // A layer without weights leaves the Session's tensor alone.
  const int relu = rowOf(t, QString::fromStdString(ms_->loaded()->fp32.layers[fc1 + 1].name));
  t->selectRow(relu);
  QCOMPARE(tensorChanged.count(), 1);
  QVERIFY(ms_->selectLayerByName(QStringLiteral("fc1")));
  QVERIFY(!ms_->selectLayerByName(QStringLiteral("no-such-layer")));
}

void TestGuiModel::benchmarkFillsBars() {
  BenchView view(ms_.get());
  view.resize(900, 560);
  QCOMPARE(view.barRows(), 0);
  view.setParameters(4, 1, 1);
  QSignalSpy done(ms_.get(), &ModelSession::benchmarkFinished);
  QVERIFY(view.runButton()->isEnabled());
  QTest::mouseClick(view.runButton(), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, kJobTimeoutMs);
  const auto& b = ms_->bench();
  QVERIFY(b);
  QCOMPARE(b->batch, 4);
  QCOMPARE(b->report.layers.size(), ms_->loaded()->int8.layers.size());
  // Every layer, the int8 input quantization and the end-to-end total.
  QCOMPARE(view.barRows(), static_cast<int>(b->report.layers.size()) + 2);
  // A roofline row for each layer with multiply-accumulates, from core's peaks.
  int gemmLayers = 0;
  for (const quant::BenchLayer& l : b->report.layers) gemmLayers += l.macs > 0 ? 1 : 0;
  QCOMPARE(view.roofRows(), gemmLayers);
  QVERIFY(gemmLayers > 0);
  QVERIFY(b->report.peaks.fp32Gops > 0 && b->report.peaks.int8Gops > 0);
  QVERIFY(view.findChild<QLabel*>("benchSummary")
              ->text()
              .contains(QString::fromStdString(b->report.peaks.int8Instruction)));
  QVERIFY(b->report.fp32 > 0 && b->report.int8 > 0);
  QVERIFY(!b->isa.isEmpty());
  // The same count as the model view's header.
  QCOMPARE(b->report.int8Bytes, ms_->modelBytes(true));
  QCOMPARE(b->report.fp32Bytes, ms_->modelBytes(false));
  QVERIFY(b->report.int8Bytes.total() * 3 < b->report.fp32Bytes.total());
  QVERIFY(view.runButton()->isEnabled());
}

void TestGuiModel::predictionsShowGrid() {
  if (!ms_->loaded()->test) QSKIP("Fashion-MNIST is not installed");
  PredictionsView view(ms_.get());
  view.resize(900, 560);
  QCOMPARE(view.shownImages(), 48);  // the images and labels show before any evaluation
  QSignalSpy done(ms_.get(), &ModelSession::evaluationFinished);
  QTest::mouseClick(view.evaluateButton(), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, kJobTimeoutMs);
  const auto& ev = ms_->evaluation();
  QVERIFY(ev);
  QCOMPARE(ev->images, std::int64_t{10000});
  // The shipped MLP's fp32 test accuracy, and an int8 version that stays close to it.
  const quant::ModeEvaluation &fp = ev->modes[0], &q = ev->modes[1];
  QVERIFY2(std::abs(fp.accuracy - 0.9002) < 0.002, qPrintable(QString::number(fp.accuracy)));
  QVERIFY(std::abs(q.accuracy - fp.accuracy) < 0.01);
  QVERIFY(q.agreement > 0.97 && q.agreement <= 1.0);
  QCOMPARE(view.shownImages(), 48);
  // Only disagreements: every cell shown is one, as many as exist up to 48.
  int disagreements = 0;
  for (std::size_t i = 0; i < fp.predictions.size(); ++i)
    disagreements += fp.predictions[i] != q.predictions[i];
  QCOMPARE(disagreements, static_cast<int>(std::lround((1.0 - q.agreement) * 10000.0)));
  auto* only = view.findChild<QCheckBox*>("predictionsOnlyDisagree");
  QVERIFY(only);
  only->setChecked(true);
  QCOMPARE(view.shownImages(), std::min(48, disagreements));
  QCOMPARE(view.shownDisagreements(), view.shownImages());
}

// The window and quantlab-cli eval compute with the same core code: the CLI calibrated like the
// window (first 256 training images, min-max, per channel) reports the window's accuracy,
// agreement and size of the int8 MLP, and the model view's header shows that size and recipe.
void TestGuiModel::sameNumbersAsTheCli() {
  const auto& ev = ms_->evaluation();
  if (!ev) QSKIP("needs the evaluation of predictionsShowGrid (Fashion-MNIST)");
  const quantlab::testing::ProcessRun run = quantlab::testing::runCli(
      {"eval", "--model", "mlp", "--mode", "int8", "--calib-images", "256", "--json"});
  QVERIFY2(run.exitCode == 0, run.err.constData());
  const QJsonObject j = quantlab::testing::jsonOf(run);
  const QJsonArray modes = j["modes"].toArray();
  QCOMPARE(modes.size(), 2);
  const QJsonObject fp = modes[0].toObject(), q = modes[1].toObject();
  QCOMPARE(fp["accuracy"].toDouble(), ev->modes[0].accuracy);
  QCOMPARE(q["accuracy"].toDouble(), ev->modes[1].accuracy);
  QCOMPARE(q["agreement"].toDouble(), ev->modes[1].agreement);
  QCOMPARE(q["bytes"].toInteger(), ev->modes[1].bytes.total());
  QCOMPARE(q["bytes"].toInteger(), ms_->modelBytes(true).total());
  QCOMPARE(
      j["recipe"].toObject(),
      QJsonDocument::fromJson(QByteArray::fromStdString(quant::recipeJson(ms_->loaded()->recipe)))
          .object());
  auto* summary = modelView_->findChild<QLabel*>(QStringLiteral("modelSummary"));
  QVERIFY(summary);
  QVERIFY2(summary->text().contains(QLocale().toString(qlonglong{ms_->modelBytes(true).total()})),
           qPrintable(summary->text()));
  QVERIFY(summary->toolTip().contains(QString::fromStdString(ms_->loaded()->recipe.describe())));
}

void TestGuiModel::requantWalkthroughMatchesKernel() {
  const auto snap = ms_->loaded();
  int fc2 = -1;
  for (std::size_t i = 0; i < snap->fp32.layers.size(); ++i)
    if (snap->fp32.layers[i].name == "fc2") fc2 = static_cast<int>(i);
  QVERIFY(fc2 >= 0);
  for (int sample : {0, 7, 123})
    for (int column : {0, 5, 127}) {
      QString error;
      const auto r = ms_->requantTrace(fc2, sample, 0, column, &error);
      QVERIFY2(r, qPrintable(error));
      QCOMPARE(r->column, column);
      QCOMPARE(static_cast<int>(r->x.size()), r->K);
      QCOMPARE(static_cast<int>(r->w.size()), r->K);
      // The three parts add up to the kernel's traced accumulator ...
      QCOMPARE(std::int64_t{r->sumXW} + r->zeroCorrection + r->bias, std::int64_t{r->acc});
      // ... the sum over the terms shown is the plain dot product ...
      std::int64_t dot = 0, wsum = 0;
      for (int k = 0; k < r->K; ++k) {
        dot += std::int64_t{r->x[k]} * r->w[k];
        wsum += r->w[k];
      }
      QCOMPARE(dot, std::int64_t{r->sumXW});
      QCOMPARE(-std::int64_t{r->zx} * wsum, std::int64_t{r->zeroCorrection});
      // ... and the output stage reproduces the traced int8 code.
      QCOMPARE(r->recomputed, r->result);
      QCOMPARE(r->qm.multiplier, quant::QuantizeMultiplier(r->realM).multiplier);
      QVERIFY(std::abs(r->realM - double(r->sIn) * r->sW / r->sOut) <= 1e-6 * r->realM);
    }
  RequantView view(ms_.get());
  view.resize(900, 560);
  ms_->selectLayer(fc2);
  view.setPosition(3, 10);
  const QString text = view.walkthroughText();
  QVERIFY2(text.contains(QStringLiteral("✓")), qPrintable(text));
  QVERIFY(!text.contains(QStringLiteral("✗")));
  QVERIFY(text.contains(QStringLiteral("MultiplyByQuantizedMultiplier")));
  // Conv2d / ReLU layers are refused with a message.
  QString error;
  QVERIFY(!ms_->requantTrace(fc2 + 1, 0, 0, 0, &error));
  QVERIFY(!error.isEmpty());
}

void TestGuiModel::convWalkthroughMatchesKernel() {
  // The im2col row built for the walkthrough must be the kernel's: the traced accumulator of the
  // CNN's convolutions at corners (padding), edges and the centre, for several channels.
  ModelSession cnn(session_.get());
  QSignalSpy loaded(&cnn, &ModelSession::modelLoaded);
  cnn.openModel(QStringLiteral("cnn"));
  QTRY_VERIFY_WITH_TIMEOUT(loaded.count() == 1, kLoadTimeoutMs);
  const auto snap = cnn.loaded();
  QVERIFY2(snap->hasInt8, qPrintable(snap->int8Error));
  int convs = 0;
  for (int li = 0; li < static_cast<int>(snap->fp32.layers.size()); ++li) {
    const quant::Layer& l = snap->fp32.layers[static_cast<std::size_t>(li)];
    if (l.type != quant::LayerType::Conv2d) continue;
    ++convs;
    const int oh = static_cast<int>(l.outShape[1]), ow = static_cast<int>(l.outShape[2]);
    const int channelsIn = static_cast<int>(l.inShape[0]) / l.groups;
    for (int pixel : {0, ow - 1, ow + 1, (oh / 2) * ow + ow / 2, oh * ow - 1})
      for (int column : {0, static_cast<int>(l.outShape[0]) - 1}) {
        QString error;
        const auto r = cnn.requantTrace(li, 5, pixel, column, &error);
        QVERIFY2(r, qPrintable(error));
        QVERIFY(r->conv);
        QCOMPARE(r->K, channelsIn * l.kernelH * l.kernelW);
        QCOMPARE(std::int64_t{r->sumXW} + r->zeroCorrection + r->bias, std::int64_t{r->acc});
        QCOMPARE(r->recomputed, r->result);
        // With 3x3 windows and padding 1, a corner misses 5 of 9 positions, the centre none.
        if (l.kernelH == 3 && l.kernelW == 3 && l.padTop == 1 && l.padLeft == 1) {
          if (pixel == 0 || pixel == oh * ow - 1) QCOMPARE(r->padded, 5 * channelsIn);
          if (pixel == ow + 1) QCOMPARE(r->padded, 0);
        }
      }
  }
  QVERIFY(convs >= 1);
}

void TestGuiModel::sensitivityRanksLayers() {
  if (!ms_->loaded()->test) QSKIP("Fashion-MNIST is not installed");
  SensitivityView view(ms_.get());
  // It fits the ~430 px wide bottom dock of a 1280x720 window: no summary pushed out of sight.
  QVERIFY2(view.minimumSizeHint().width() <= 430,
           qPrintable(QString::number(view.minimumSizeHint().width())));
  view.resize(900, 560);
  view.setParameters(4, 300, 0.0);
  QSignalSpy done(ms_.get(), &ModelSession::sensitivityFinished);
  QTest::mouseClick(view.runButton(), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, kJobTimeoutMs);
  const auto& s = ms_->sensitivity();
  QVERIFY(s);
  QCOMPARE(s->report.bits, 4);
  QCOMPARE(s->images, std::int64_t{300});
  int quantizable = 0;
  for (const quant::Layer& l : ms_->loaded()->fp32.layers)
    quantizable += l.type == quant::LayerType::Linear;
  QCOMPARE(static_cast<int>(s->report.layers.size()), quantizable);
  QCOMPARE(view.barRows(), quantizable);
  QVERIFY(!s->mixed);
}

void TestGuiModel::cancelStopsAJob() {
  const auto before = ms_->bench();
  QSignalSpy cancelled(ms_.get(), &ModelSession::jobCancelled);
  QSignalSpy finished(ms_.get(), &ModelSession::benchmarkFinished);
  QSignalSpy busy(ms_.get(), &ModelSession::busyChanged);
  ms_->runBenchmark(2000, 1, 500);  // minutes of work if it ran to the end
  QVERIFY(ms_->busy());
  ms_->cancel();
  QTRY_VERIFY_WITH_TIMEOUT(cancelled.count() == 1, kJobTimeoutMs);
  QVERIFY(!ms_->busy());
  QCOMPARE(finished.count(), 0);
  QVERIFY(!busy.isEmpty() && busy.last().at(0).toBool() == false);
  // The previous result is kept.
  QCOMPARE(ms_->bench().has_value(), before.has_value());
  if (before) QCOMPARE(ms_->bench()->batch, before->batch);
}

void TestGuiModel::openingAMissingFileFails() {
  ModelSession other(session_.get());
  QSignalSpy failed(&other, &ModelSession::loadFailed);
  other.openModel(QStringLiteral("/nonexistent/model.onnx"));
  QTRY_VERIFY_WITH_TIMEOUT(failed.count() == 1, kJobTimeoutMs);
  QVERIFY(!other.hasModel());
  QVERIFY(failed.first().at(0).toString().contains(QStringLiteral("model.onnx")));
}

void TestGuiModel::windowKnowsTheModelViews() {
  MainWindow w(std::unique_ptr<Settings>{});
  for (const char* name : {"model", "bench", "predictions", "sensitivity", "requant", "qat"}) {
    QVERIFY2(MainWindow::viewNames().contains(QLatin1String(name)), name);
    QVERIFY2(w.view(QLatin1String(name)) != nullptr, name);
    QVERIFY(w.findChild<QDockWidget*>(QLatin1String(name) + QLatin1String("Dock")));
  }
  QCOMPARE(w.view("model")->objectName(), QStringLiteral("ModelView"));
  QCOMPARE(w.view("bench")->objectName(), QStringLiteral("BenchView"));
  QCOMPARE(w.view("predictions")->objectName(), QStringLiteral("PredictionsView"));
  QCOMPARE(w.view("sensitivity")->objectName(), QStringLiteral("SensitivityView"));
  QCOMPARE(w.view("requant")->objectName(), QStringLiteral("RequantView"));
  QCOMPARE(w.view("qat")->objectName(), QStringLiteral("QatView"));
  QVERIFY(w.modelSession() != nullptr);
  QVERIFY(!w.modelSession()->hasModel());  // nothing loads until a model view is shown
}

QTEST_MAIN(TestGuiModel)
#include "tst_gui_model_workspace.moc"
