// SPDX-License-Identifier: GPL-3.0-or-later
// The model lab's training and precision-plan parts: quantization-aware training in the
// background (live curve points, QAT beats PTQ at 4 bits, cancel), applying the mixed-precision
// proposal with one click (the plan reaches the layer table and is evaluated), and the "qat" dock.
// QUANTLAB_SCREENSHOT_DIR=<dir> also writes PNGs of the views.
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "mainwindow.h"
#include "modelsession.h"
#include "modelview.h"
#include "qatview.h"
#include "sensitivityview.h"
#include "session.h"
#include "settings.h"

using namespace quantlab::ui;

namespace {
constexpr int kLoadTimeoutMs = 60000;
constexpr int kJobTimeoutMs = 60000;

int visibleCancelButtons(QWidget* view) {
  int n = 0;
  for (QPushButton* b : view->findChildren<QPushButton*>())
    n += b->text() == ModelJobBar::tr("Cancel") && b->isVisibleTo(view);
  return n;
}

void snapshot(QWidget* w, const QString& name) {
  const QString dir = qEnvironmentVariable("QUANTLAB_SCREENSHOT_DIR");
  if (dir.isEmpty()) return;
  QDir().mkpath(dir);
  w->grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}
}  // namespace

class TestGuiQat : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void cleanupTestCase();
  void qatStreamsPointsAndBeatsPtq();
  void cancelStopsQatQuickly();
  void applyProposalReachesTheLayerTable();
  void activationsOfALayer();
  void windowHasTheQatDock();
  void fullDefaultRun();

 private:
  std::unique_ptr<Session> session_;
  std::unique_ptr<ModelSession> ms_;
};

void TestGuiQat::initTestCase() {
  session_ = std::make_unique<Session>();
  ms_ = std::make_unique<ModelSession>(session_.get());
  QSignalSpy loaded(ms_.get(), &ModelSession::modelLoaded);
  ms_->openModel(QStringLiteral("mlp"));
  QTRY_VERIFY_WITH_TIMEOUT(loaded.count() == 1, kLoadTimeoutMs);
  if (!ms_->loaded()->test) QSKIP("Fashion-MNIST is not installed");
}

void TestGuiQat::cleanupTestCase() {
  ms_.reset();
  session_.reset();
}

void TestGuiQat::qatStreamsPointsAndBeatsPtq() {
  QatView view(ms_.get());
  view.resize(1100, 620);
  ModelSession::QatSettings s;
  s.weightBits = 4;
  s.actBits = 4;
  s.epochs = 2;
  s.lr = 1e-4;
  s.trainImages = 5000;
  s.seed = 1;
  view.setSettings(s);
  QCOMPARE(view.settings().trainImages, std::int64_t{5000});
  QCOMPARE(view.settings().epochs, 2);
  QSignalSpy points(ms_.get(), &ModelSession::qatPoint);
  QSignalSpy done(ms_.get(), &ModelSession::qatFinished);
  // The order of the signals: each epoch accuracy must reach the GUI while training goes on,
  // i.e. before qatFinished. Also what the view had drawn when the first epoch point arrived.
  struct Event {
    bool finished = false;
    int step = 0;
    double accuracy = 0;
    bool running = false;
  };
  std::vector<Event> events;
  const QMetaObject::Connection c1 = connect(
      ms_.get(), &ModelSession::qatPoint, this, [&](int step, int, double, double accuracy) {
        events.push_back({false, step, accuracy, ms_->qatRunning()});
      });
  const QMetaObject::Connection c2 = connect(ms_.get(), &ModelSession::qatFinished, this, [&] {
    events.push_back({true, 0, 0, false});
  });
  QVERIFY(view.startButton()->isEnabled());
  QTest::mouseClick(view.startButton(), Qt::LeftButton);
  QVERIFY(ms_->qatRunning());
  QCOMPARE(visibleCancelButtons(&view), 1);  // the job bar's, not a second one of the view
  QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, kJobTimeoutMs);
  const auto& out = ms_->qatOutcome();
  QVERIFY(out);
  QCOMPARE(out->trainImages, std::int64_t{5000});
  QCOMPARE(out->testImages, std::int64_t{2000});
  const int perEpoch = (5000 + 127) / 128;
  QCOMPARE(out->steps, 2 * perEpoch);
  QCOMPARE(ms_->qatTotalSteps(), 2 * perEpoch);
  // Streamed while training: loss points, the PTQ accuracy at step 0 and each epoch's accuracy
  // as the epoch ends; the stored curve is exactly what was streamed.
  int lossPts = 0, accPts = 0, lastStep = -1;
  for (const auto& p : out->curve) {
    QVERIFY(std::isnan(p.loss) != std::isnan(p.accuracy));
    if (!std::isnan(p.loss)) {
      QVERIFY(p.step > lastStep);
      lastStep = p.step;
      QVERIFY(p.loss > 0 && p.loss < 5);
      ++lossPts;
    } else {
      ++accPts;
    }
  }
  QCOMPARE(lastStep, out->steps);
  QVERIFY2(lossPts >= 30 && lossPts <= 81, qPrintable(QString::number(lossPts)));
  QCOMPARE(accPts, 1 + 2);
  QCOMPARE(points.count(), static_cast<int>(out->curve.size()));
  QCOMPARE(ms_->qatCurve().size(), out->curve.size());
  QCOMPARE(out->curve.front().step, 0);
  QCOMPARE(out->curve.front().accuracy, out->ptqAccuracy);  // same calibration, same images
  QCOMPARE(out->result.testAccuracy.size(), std::size_t{2});
  QCOMPARE(out->qatAccuracy, out->result.testAccuracy.back());
  disconnect(c1);
  disconnect(c2);
  // Both epoch accuracies came while the job was still running, before qatFinished, at the
  // epoch ends, with exactly the values the result stores; qatFinished came last, once.
  QVERIFY(!events.empty());
  QVERIFY(events.back().finished);
  std::vector<Event> epochPts;
  for (std::size_t i = 0; i + 1 < events.size(); ++i) {
    QVERIFY(!events[i].finished);
    if (!std::isnan(events[i].accuracy) && events[i].step > 0) epochPts.push_back(events[i]);
  }
  QCOMPARE(epochPts.size(), std::size_t{2});
  // The first epoch's accuracy came before the second epoch's loss points.
  const auto firstEpoch = std::find_if(events.begin(), events.end(), [](const Event& e) {
    return !e.finished && !std::isnan(e.accuracy) && e.step > 0;
  });
  QVERIFY(std::any_of(firstEpoch, events.end(), [&](const Event& e) {
    return !e.finished && std::isnan(e.accuracy) && e.step > perEpoch;
  }));
  for (std::size_t e = 0; e < epochPts.size(); ++e) {
    QVERIFY(epochPts[e].running);
    QCOMPARE(epochPts[e].step, static_cast<int>(e + 1) * perEpoch);
    QCOMPARE(epochPts[e].accuracy, out->result.testAccuracy[e]);
  }
  QCOMPARE(epochPts.back().accuracy, out->qatAccuracy);
  qInfo("W4A4 MLP, 2 epochs x 5000 images: fp32 %.4f PTQ %.4f QAT %.4f (%.1f s training)",
        out->fp32Accuracy, out->ptqAccuracy, out->qatAccuracy, out->seconds);
  QVERIFY(out->fp32Accuracy > out->ptqAccuracy);
  QVERIFY2(out->qatAccuracy > out->ptqAccuracy + 0.005,
           qPrintable(QStringLiteral("PTQ %1 QAT %2").arg(out->ptqAccuracy).arg(out->qatAccuracy)));
  // The view drew every point and shows the comparison.
  QCOMPARE(view.lossPointsDrawn(), lossPts);
  QCOMPARE(view.accuracyPointsDrawn(), accPts);
  QVERIFY(view.resultText().contains(QStringLiteral("QAT W4/A4")));
  QVERIFY(view.saveButton()->isEnabled());
  QCOMPARE(visibleCancelButtons(&view), 0);
  snapshot(&view, QStringLiteral("qatview"));
  // The saved model loads back and its weights are on a 4-bit grid per channel.
  const QString path = QDir::temp().filePath(QStringLiteral("quantlab_tst_qat.onnx"));
  QCOMPARE(ms_->saveQatModel(path), QString());
  const quant::Model back = quant::loadOnnxModel(path.toStdString());
  QFile::remove(path);
  for (const quant::Layer& l : back.layers) {
    if (l.type != quant::LayerType::Linear) continue;
    for (Eigen::Index r = 0; r < l.weight.rows(); ++r) {
      std::vector<float> levels(l.weight.row(r).data(), l.weight.row(r).data() + l.weight.cols());
      std::sort(levels.begin(), levels.end());
      levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
      QVERIFY2(levels.size() <= 16, qPrintable(QString::number(levels.size())));
    }
  }
}

void TestGuiQat::cancelStopsQatQuickly() {
  const auto before = ms_->qatOutcome();
  ModelJobBar bar(ms_.get());
  QSignalSpy points(ms_.get(), &ModelSession::qatPoint);
  QSignalSpy cancelled(ms_.get(), &ModelSession::jobCancelled);
  QSignalSpy done(ms_.get(), &ModelSession::qatFinished);
  ModelSession::QatSettings s;
  s.epochs = 10;  // minutes of work if it ran to the end
  s.trainImages = 60000;
  ms_->runQat(s);
  QVERIFY(ms_->qatRunning());
  QTRY_VERIFY_WITH_TIMEOUT(points.count() >= 2, kJobTimeoutMs);  // training has started
  QElapsedTimer t;
  t.start();
  ms_->cancel();
  QTRY_VERIFY_WITH_TIMEOUT(cancelled.count() == 1, kJobTimeoutMs);
  // The cancel is said, not silent: the bar stays with a message instead of vanishing.
  auto* message = bar.findChild<QLabel*>("jobCancelledMessage");
  QVERIFY(message && message->isVisibleTo(&bar) && !bar.isHidden());
  QVERIFY2(message->text().contains(ModelSession::tr("Quantization-aware training")),
           qPrintable(message->text()));
  qInfo("QAT stopped %lld ms after Cancel", static_cast<long long>(t.elapsed()));
  QVERIFY(t.elapsed() < 5000);
  QVERIFY(!ms_->busy());
  QCOMPARE(done.count(), 0);
  // The previous result is kept, and the curve is its curve again.
  QCOMPARE(ms_->qatOutcome().has_value(), before.has_value());
  if (before) {
    QCOMPARE(ms_->qatOutcome()->trainImages, before->trainImages);
    QCOMPARE(ms_->qatCurve().size(), before->curve.size());
    QCOMPARE(ms_->qatTotalSteps(), before->steps);
  }
}

void TestGuiQat::applyProposalReachesTheLayerTable() {
  SensitivityView sens(ms_.get());
  ModelView model(ms_.get());
  sens.resize(1100, 650);
  model.resize(1100, 400);
  QVERIFY(!sens.applyButton()->isEnabled());
  sens.setParameters(4, 500, 1.0);
  QSignalSpy finished(ms_.get(), &ModelSession::sensitivityFinished);
  QTest::mouseClick(sens.runButton(), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, kJobTimeoutMs);
  QVERIFY(ms_->sensitivity()->mixed);
  const quant::PrecisionPlan proposal = ms_->sensitivity()->mixed->plan;
  QVERIFY(sens.applyButton()->isEnabled());
  QVERIFY(!ms_->activePlan());

  QSignalSpy planChanged(ms_.get(), &ModelSession::activePlanChanged);
  QTest::mouseClick(sens.applyButton(), Qt::LeftButton);
  QVERIFY(ms_->activePlan());
  QCOMPARE(planChanged.count(), 1);
  QCOMPARE(ms_->activePlan()->plan.size(), proposal.size());
  for (std::size_t k = 0; k < proposal.size(); ++k) {
    QCOMPARE(ms_->activePlan()->plan[k].weightBits, proposal[k].weightBits);
    QCOMPARE(ms_->activePlan()->plan[k].activationBits, proposal[k].activationBits);
  }
  // The table's precision column follows the plan at once: every Linear has an entry, the
  // others none.
  QTableWidget* t = model.table();
  const int col = t->columnCount() - 1;
  QCOMPARE(t->horizontalHeaderItem(col)->text(), QStringLiteral("Precision plan"));
  const auto& layers = ms_->loaded()->fp32.layers;
  std::size_t k = 0;
  for (int r = 0; r < t->rowCount(); ++r) {
    const QString text = t->item(r, col)->text();
    if (layers[static_cast<std::size_t>(r)].type != quant::LayerType::Linear) {
      QVERIFY(text.isEmpty());
      continue;
    }
    QVERIFY(k < proposal.size());
    const QString expected = proposal[k].weightBits == quant::kFp32
                                 ? QStringLiteral("fp32 (kept)")
                                 : QStringLiteral("W int%1 · A int%2")
                                       .arg(proposal[k].weightBits)
                                       .arg(proposal[k].activationBits);
    QCOMPARE(text, expected);
    ++k;
  }
  QCOMPARE(k, proposal.size());
  // The evaluation on the whole test set arrives.
  QTRY_VERIFY_WITH_TIMEOUT(ms_->activePlan() && ms_->activePlan()->evaluated, kJobTimeoutMs);
  const auto& p = *ms_->activePlan();
  QCOMPARE(p.images, std::int64_t{10000});
  QVERIFY(p.result.accuracy > 0.5 && p.result.accuracy <= 1.0);
  QVERIFY(p.fp32Accuracy > 0.85);
  QVERIFY(p.result.sizeBytes > 0 && p.result.sizeBytes < p.fp32SizeBytes);
  QVERIFY(sens.planText().contains(QStringLiteral("fake quantization")));
  QVERIFY(model.findChild<QLabel*>(QStringLiteral("modelSummary"))
              ->text()
              .contains(QStringLiteral("Precision plan applied")));
  qInfo("applied plan: accuracy %.4f (fp32 %.4f) size %lld vs %lld bytes", p.result.accuracy,
        p.fp32Accuracy, static_cast<long long>(p.result.sizeBytes),
        static_cast<long long>(p.fp32SizeBytes));
  snapshot(&sens, QStringLiteral("sensitivity_applied"));
  snapshot(&model, QStringLiteral("model_plan"));

  QTest::mouseClick(sens.clearPlanButton(), Qt::LeftButton);
  QVERIFY(!ms_->activePlan());
  for (int r = 0; r < t->rowCount(); ++r) QVERIFY(t->item(r, col)->text().isEmpty());
}

void TestGuiQat::activationsOfALayer() {
  ModelView model(ms_.get());
  QTableWidget* t = model.table();
  const auto& layers = ms_->loaded()->fp32.layers;
  int fc1 = -1, relu1 = -1;
  for (int r = 0; r < static_cast<int>(layers.size()); ++r) {
    if (layers[static_cast<std::size_t>(r)].name == "fc1") fc1 = r;
    if (fc1 >= 0 && relu1 < 0 && layers[static_cast<std::size_t>(r)].type == quant::LayerType::ReLU)
      relu1 = r;
  }
  QVERIFY(fc1 >= 0 && relu1 > fc1);
  QSignalSpy tensorChanged(session_.get(), &Session::tensorChanged);
  model.sourceCombo()->setCurrentIndex(1);
  QCOMPARE(ms_->layerSource(), ModelSession::LayerSource::Activations);
  t->selectRow(relu1);
  QCOMPARE(ms_->selectedLayer(), relu1);
  QCOMPARE(tensorChanged.count(), 1);
  const std::int64_t n = static_cast<std::int64_t>(ms_->loaded()->calibration.labels.size());
  QCOMPARE(n, std::int64_t{256});
  {
    const quant::Tensor& a = session_->tensor();
    QCOMPARE(a.shape, (std::vector<std::int64_t>{n, 256}));
    QVERIFY(session_->tensorLabel().contains(QStringLiteral("outputs on 256 calibration images")));
    // After the ReLU: nothing negative, and some exact zeros.
    QVERIFY(std::all_of(a.data.begin(), a.data.end(), [](float v) { return v >= 0.0f; }));
    QVERIFY(std::count(a.data.begin(), a.data.end(), 0.0f) > 0);
  }
  // fc1's outputs are the ReLU's inputs: the ReLU's outputs are their positive parts.
  const std::vector<float> reluOut = session_->tensor().data;
  t->selectRow(fc1);
  QCOMPARE(tensorChanged.count(), 2);
  const quant::Tensor& pre = session_->tensor();
  QCOMPARE(pre.data.size(), reluOut.size());
  QVERIFY(std::any_of(pre.data.begin(), pre.data.end(), [](float v) { return v < 0.0f; }));
  for (std::size_t k = 0; k < pre.data.size(); ++k)
    QCOMPARE(reluOut[k], std::max(0.0f, pre.data[k]));
  // Back to the weights: the selected layer reloads as its weight matrix.
  model.sourceCombo()->setCurrentIndex(0);
  QCOMPARE(tensorChanged.count(), 3);
  QCOMPARE(session_->tensor().shape, (std::vector<std::int64_t>{256, 784}));
  QVERIFY(session_->tensorLabel().contains(QStringLiteral("mlp:fc1 weights")));
}

void TestGuiQat::windowHasTheQatDock() {
  MainWindow w(std::unique_ptr<Settings>{});
  QVERIFY(MainWindow::viewNames().contains(QStringLiteral("qat")));
  QVERIFY(w.view(QStringLiteral("qat")) != nullptr);
  QCOMPARE(w.view(QStringLiteral("qat"))->objectName(), QStringLiteral("QatView"));
  auto* dock = w.findChild<QDockWidget*>(QStringLiteral("qatDock"));
  QVERIFY(dock);
  if (qEnvironmentVariableIsEmpty("QUANTLAB_SCREENSHOT_DIR")) return;
  // The window at projector size with the QAT dock in front, after a short run.
  w.resize(1280, 720);
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  dock->show();
  dock->raise();
  ModelSession* ms = w.modelSession();
  QTRY_VERIFY_WITH_TIMEOUT(ms->hasModel() && !ms->busy(), kLoadTimeoutMs);
  auto* view = qobject_cast<QatView*>(w.view(QStringLiteral("qat")));
  QVERIFY(view);
  ModelSession::QatSettings s;
  s.trainImages = 10000;
  view->setSettings(s);
  QSignalSpy done(ms, &ModelSession::qatFinished);
  QTest::mouseClick(view->startButton(), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, kJobTimeoutMs);
  QTest::qWait(100);
  snapshot(&w, QStringLiteral("window_qat"));
}

void TestGuiQat::fullDefaultRun() {
  // By hand: QUANTLAB_QAT_FULL=1 runs the view's default settings (60000 images, 2 epochs).
  if (qEnvironmentVariableIsEmpty("QUANTLAB_QAT_FULL")) QSKIP("set QUANTLAB_QAT_FULL=1");
  QatView view(ms_.get());
  view.resize(1280, 620);
  QSignalSpy done(ms_.get(), &ModelSession::qatFinished);
  QElapsedTimer t;
  t.start();
  QTest::mouseClick(view.startButton(), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 600000);
  const auto& out = ms_->qatOutcome();
  QVERIFY(out);
  qInfo(
      "default run (%lld images x %d epochs, LSQ %d): fp32 %.4f PTQ %.4f QAT %.4f; training "
      "%.1f s, job %.1f s",
      static_cast<long long>(out->trainImages), out->settings.epochs, out->settings.lsq,
      out->fp32Accuracy, out->ptqAccuracy, out->qatAccuracy, out->seconds, t.elapsed() / 1000.0);
  QVERIFY(out->qatAccuracy > out->ptqAccuracy);
  snapshot(&view, QStringLiteral("qatview_full"));
}

QTEST_MAIN(TestGuiQat)
#include "tst_gui_model_training.moc"
