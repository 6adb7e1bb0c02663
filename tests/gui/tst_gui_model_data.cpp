// SPDX-License-Identifier: GPL-3.0-or-later
// The model workspace on a user's data set: a 3x32x32 CNN (built here, written as ONNX) gets a
// .npz through "Open data…" (the dialog prefilled from the normalisation file beside the model),
// shows what was loaded, and evaluates, analyses sensitivity at 4 bits and runs one QAT epoch on
// it; unlabelled data and a broken file.
#include <QApplication>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>
#include <memory>

#include "datafiles.h"
#include "modelsession.h"
#include "modelview.h"
#include "opendatadialog.h"
#include "predictionsview.h"
#include "quant/nn/model.h"
#include "quant/nn/train.h"
#include "session.h"
#include "testsupport.h"

using namespace quantlab::ui;
using namespace quantlab::testing;

namespace {
constexpr int kTimeoutMs = 60000;
}

class TestGuiModelData : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString model_, labelled_, unlabelled_;
  std::unique_ptr<Session> session_;
  std::unique_ptr<ModelSession> ms_;
  std::unique_ptr<ModelView> view_;

 private slots:
  void initTestCase() {
    model_ = dir_.filePath("cifar.onnx");
    quant::saveOnnxModel(quant::makeCnn(5, {4, 8}, 16, {3, 32, 32}, 10), model_.toStdString());
    QVERIFY(writeFile(dir_.filePath("cifar.normalization.json"),
                      R"({"mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]})"));
    // 48 random RGB images, uint8 NCHW, with and without labels 0..9.
    labelled_ = dir_.filePath("set.npz");
    unlabelled_ = dir_.filePath("unlabelled.npz");
    QVERIFY(writeRandomImagesNpz(labelled_, 48, 3, 32, 32, 10, 3));
    QVERIFY(writeRandomImagesNpz(unlabelled_, 48, 3, 32, 32, 0, 3));

    session_ = std::make_unique<Session>();
    ms_ = std::make_unique<ModelSession>(session_.get());
    view_ = std::make_unique<ModelView>(ms_.get());
    view_->resize(1000, 600);
    view_->show();
    QSignalSpy loaded(ms_.get(), &ModelSession::modelLoaded);
    ms_->openModel(model_);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() == 1, kTimeoutMs);
    // Not Fashion-MNIST: no data yet, and the note says where to get it.
    QVERIFY(!ms_->loaded()->test);
    QVERIFY(ms_->loaded()->dataError.contains("Open data"));
  }

  void openDataThroughTheDialog() {
    QSignalSpy dataLoaded(ms_.get(), &ModelSession::dataLoaded);
    QString mean;
    // The dialog is modal: fill it in once it is up.
    QTimer::singleShot(0, this, [&] {
      for (QWidget* w : QApplication::topLevelWidgets()) {
        auto* d = qobject_cast<OpenDataDialog*>(w);
        if (!d) continue;
        mean = d->findChild<QLineEdit*>("dataMean")->text();
        d->setPath(labelled_);
        d->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
      }
    });
    view_->findChild<QPushButton*>("openData")->click();
    QCOMPARE(mean, QString("0.5, 0.5, 0.5"));  // from cifar.normalization.json
    QTRY_VERIFY_WITH_TIMEOUT(dataLoaded.count() == 1, kTimeoutMs);
    const auto snap = ms_->loaded();
    QVERIFY(snap->test && snap->labelled && snap->hasInt8);
    QCOMPARE(snap->test->labels.size(), std::size_t(36));
    QCOMPARE(snap->calibration.labels.size(), std::size_t(12));
    // (x / 255 - 0.5) / 0.25 spans [-2, 2].
    const auto [lo, hi] =
        std::minmax_element(snap->test->images.data.begin(), snap->test->images.data.end());
    QVERIFY(*lo >= -2.0f && *lo < -1.9f && *hi <= 2.0f && *hi > 1.9f);
    auto* info = view_->findChild<QLabel*>("dataInfo");
    QVERIFY(info->isVisible());
    QVERIFY2(info->text().contains("[3, 32, 32]") && info->text().contains("36 samples") &&
                 info->text().contains("10 classes"),
             qPrintable(info->text()));
    QVERIFY(!view_->findChild<QLabel*>("dataSample0")->pixmap().isNull());
  }

  void evaluateSensitivityQat() {
    QSignalSpy evaluated(ms_.get(), &ModelSession::evaluationFinished);
    ms_->runEvaluation();
    QTRY_VERIFY_WITH_TIMEOUT(evaluated.count() == 1, kTimeoutMs);
    QCOMPARE(ms_->evaluation()->images, 36);
    QCOMPARE(ms_->evaluation()->modes.size(), std::size_t(2));
    // The predictions grid draws 3-channel 32x32 samples.
    PredictionsView predictions(ms_.get());
    predictions.resize(800, 600);
    QVERIFY(!predictions.grab().isNull());

    QSignalSpy analysed(ms_.get(), &ModelSession::sensitivityFinished);
    ms_->runSensitivity(4, 36, 0);
    QTRY_VERIFY_WITH_TIMEOUT(analysed.count() == 1, kTimeoutMs);
    QCOMPARE(ms_->sensitivity()->report.layers.size(), std::size_t(4));

    QSignalSpy trained(ms_.get(), &ModelSession::qatFinished);
    ModelSession::QatSettings st;
    st.epochs = 1;
    st.trainImages = 12;
    st.testImages = 36;
    ms_->runQat(st);
    QTRY_VERIFY_WITH_TIMEOUT(trained.count() == 1, kTimeoutMs);
    QCOMPARE(ms_->qatOutcome()->trainImages, 12);
    QCOMPARE(ms_->qatOutcome()->testImages, 36);
  }

  void unlabelledData() {
    QSignalSpy dataLoaded(ms_.get(), &ModelSession::dataLoaded);
    ms_->openData({unlabelled_, quant::ImageFit::Exact, {}});
    QTRY_VERIFY_WITH_TIMEOUT(dataLoaded.count() == 1, kTimeoutMs);
    QVERIFY(!ms_->loaded()->labelled);
    QVERIFY(view_->findChild<QLabel*>("dataInfo")->text().contains("No labels"));
    QSignalSpy evaluated(ms_.get(), &ModelSession::evaluationFinished);
    ms_->runEvaluation();
    QTRY_VERIFY_WITH_TIMEOUT(evaluated.count() == 1, kTimeoutMs);
    QCOMPARE(ms_->evaluation()->modes[0].accuracy, 1.0);  // labels are fp32's predictions
  }

  void brokenFileKeepsTheOldData() {
    const QString bad = dir_.filePath("bad.npz");
    QVERIFY(writeFile(bad, "PK\x03\x04 not really a zip"));
    QSignalSpy failed(ms_.get(), &ModelSession::dataFailed);
    const auto before = ms_->loaded();
    ms_->openData({bad, quant::ImageFit::Exact, {}});
    QTRY_VERIFY_WITH_TIMEOUT(failed.count() == 1, kTimeoutMs);
    const QString message = failed.first().first().toString();
    QVERIFY2(message.startsWith(bad) && !message.contains('\n'), qPrintable(message));
    QCOMPARE(ms_->loaded(), before);
    QVERIFY(view_->findChild<QLabel*>("dataNote")->text().contains(bad));
  }
};

QTEST_MAIN(TestGuiModelData)
#include "tst_gui_model_data.moc"
