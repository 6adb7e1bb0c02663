// SPDX-License-Identifier: GPL-3.0-or-later
// The model commands on a user's data set: a 3x32x32 CNN (built here, written as ONNX) on a
// user .npz through eval, sensitivity --bits 4, qat --epochs 1, mixed and bench of the real
// quantlab-cli; the unlabelled path, the normalisation file beside the model and the split flags.
#include <QTemporaryDir>
#include <QtTest>

#include "datafiles.h"
#include "quant/nn/model.h"
#include "quant/nn/train.h"
#include "testsupport.h"

using namespace quantlab::testing;

class TestCliUserData : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString model_, labelled_, unlabelled_;

  QString path(const QString& name) const { return dir_.filePath(name); }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    model_ = path("cifar.onnx");
    quant::saveOnnxModel(quant::makeCnn(5, {4, 8}, 16, {3, 32, 32}, 10), model_.toStdString());
    // 48 RGB images in [0, 255] as uint8, NCHW, with labels 0..9.
    // 48 random RGB images, uint8 NCHW, with and without labels 0..9.
    labelled_ = path("set.npz");
    unlabelled_ = path("unlabelled.npz");
    QVERIFY(writeRandomImagesNpz(labelled_, 48, 3, 32, 32, 10, 7));
    QVERIFY(writeRandomImagesNpz(unlabelled_, 48, 3, 32, 32, 0, 7));
  }

  void evalOnANpz() {
    const ProcessRun r = runCli({"eval", "--model", model_, "--data", labelled_, "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject j = jsonOf(r);
    QCOMPARE(j["test_images"].toInt(), 36);  // the default split: a quarter calibrates
    QCOMPARE(j["calibration_images"].toInt(), 12);
    const QJsonObject data = j["data"].toObject();
    QVERIFY(data["labelled"].toBool());
    QCOMPARE(data["calibration_split"].toString(), QString("0:12"));
    QCOMPARE(data["evaluation_split"].toString(), QString("12:48"));
    const QJsonArray modes = j["modes"].toArray();
    QCOMPARE(modes.size(), 4);
    for (const QJsonValue& m : modes) {
      QVERIFY2(!m.toObject().contains("error"), qPrintable(m.toObject()["error"].toString()));
      QVERIFY(m.toObject()["accuracy"].isDouble());
    }
  }

  void sensitivityFourBits() {
    const ProcessRun r = runCli({"sensitivity", "--model", model_, "--data", labelled_, "--bits",
                                 "4", "--calib-split", "0:16", "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject j = jsonOf(r);
    QCOMPARE(j["calibration_images"].toInt(), 16);
    QCOMPARE(j["test_images"].toInt(), 32);
    QCOMPARE(j["layers"].toArray().size(), 4);  // conv1, conv2, fc1, fc2
  }

  void qatOneEpoch() {
    const QString out = path("qat.onnx");
    const ProcessRun r = runCli({"qat", "--model", model_, "--data", labelled_, "--epochs", "1",
                                 "--batch", "8", "-o", out, "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject j = jsonOf(r);
    QCOMPARE(j["train_images"].toInt(), 12);
    QCOMPARE(j["test_images"].toInt(), 36);
    QCOMPARE(j["epoch_loss"].toArray().size(), 1);
    QVERIFY(QFileInfo::exists(out));
  }

  void mixedAndBench() {
    ProcessRun r = runCli({"mixed", "--model", model_, "--data", labelled_, "--bits", "4",
                           "--budget", "50", "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(jsonOf(r)["validation_images"].toInt(), 12);
    r = runCli({"bench", "--model", model_, "--data", labelled_, "--batch", "2", "--repeats", "1",
                "--warmup", "0", "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
  }

  void unlabelledReportsAgreement() {
    const ProcessRun r =
        runCli({"eval", "--model", model_, "--data", unlabelled_, "--mode", "int8", "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject j = jsonOf(r);
    QVERIFY(!j["data"].toObject()["labelled"].toBool());
    for (const QJsonValue& m : j["modes"].toArray()) {
      QVERIFY(m.toObject()["accuracy"].isNull());
      QVERIFY(m.toObject()["agreement"].isDouble());
      QVERIFY(m.toObject().contains("sqnr_db"));
    }
    // sensitivity and qat run too.
    QCOMPARE(
        runCli({"sensitivity", "--model", model_, "--data", unlabelled_, "--bits", "4"}).exitCode,
        0);
  }

  void normalisationBesideTheModelAndFlags() {
    QVERIFY(writeFile(path("cifar.normalization.json"),
                      R"({"scale": "1/255", "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]})"));
    ProcessRun r =
        runCli({"eval", "--model", model_, "--data", labelled_, "--mode", "fp32", "--json"});
    QFile::remove(path("cifar.normalization.json"));
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QJsonObject data = jsonOf(r)["data"].toObject();
    QVERIFY(data["normalization_from"].toString().endsWith("cifar.normalization.json"));
    QVERIFY(data["normalization"].toString().contains("mean [0.5, 0.5, 0.5]"));
    r = runCli({"eval", "--model", model_, "--data", labelled_, "--mode", "fp32", "--mean",
                "0.4,0.5,0.6", "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(jsonOf(r)["data"].toObject()["normalization_from"].toString(), QString("flags"));
    r = runCli({"eval", "--model", model_, "--data", labelled_, "--mean", "0.4,0.5"});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("mean has 2 values"), r.err.constData());
  }

  void refusals_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::addRow("overlapping splits")
        << QStringList{"--calib-split", "0:20", "--eval-split", "10:48"} << 2 << "overlaps";
    QTest::addRow("bad fit") << QStringList{"--fit", "zoom"} << 2 << "--fit";
    QTest::addRow("bad scale") << QStringList{"--scale", "0"} << 2 << "--scale";
    QTest::addRow("no data for a 3x32x32 model")
        << QStringList{"--data", ""} << 1 << "give its data with --data";
  }
  void refusals() {
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, message);
    QStringList all{"eval", "--model", model_, "--mode", "fp32"};
    if (!args.contains("--data")) all << "--data" << labelled_;
    const ProcessRun r = runCli(all + args);
    QCOMPARE(r.exitCode, code);
    QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
  }
};

QTEST_GUILESS_MAIN(TestCliUserData)
#include "tst_cli_userdata.moc"
