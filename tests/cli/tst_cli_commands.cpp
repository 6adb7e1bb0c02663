// SPDX-License-Identifier: GPL-3.0-or-later
// Runs the real quantlab-cli binary and checks its JSON output, its messages and its exit codes.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "testsupport.h"

using quantlab::testing::jsonOf;
using quantlab::testing::ProcessRun;
using quantlab::testing::runCli;

namespace {

QList<int> ints(const QJsonValue& v) {
  QList<int> out;
  for (const auto& e : v.toArray()) out << e.toInt();
  return out;
}

const QString kCourseValues = QStringLiteral("0.3,0.6,-0.3,-0.5,0.0,0.7,-0.8,0.2");

}  // namespace

class TestCli : public QObject {
  Q_OBJECT
 private slots:
  void helpListsEveryCommand() {
    const ProcessRun r = runCli({"--help"});
    QCOMPARE(r.exitCode, 0);
    for (const char* c : {"format", "int", "list", "quantize", "inspect", "generate", "demo"})
      QVERIFY2(r.out.contains(c), c);
    const ProcessRun sub = runCli({"quantize", "--help"});
    QCOMPARE(sub.exitCode, 0);
    QVERIFY(sub.out.contains("--granularity"));
  }

  void usageErrorsExitWithTwo_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addRow("unknown command") << QStringList{"frobnicate"};
    QTest::addRow("unknown option") << QStringList{"quantize", "--values", "1,2", "--bogus"};
    QTest::addRow("missing value") << QStringList{"quantize", "--values"};
    QTest::addRow("not a number") << QStringList{"quantize", "--values", "1,x"};
    QTest::addRow("bad scheme") << QStringList{"quantize", "--values", "1", "--scheme", "odd"};
  }
  void usageErrorsExitWithTwo() {
    QFETCH(QStringList, args);
    const ProcessRun r = runCli(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY(!r.err.isEmpty());
  }

  void symmetricWorkedExample() {
    const ProcessRun r = runCli({"quantize", "--values", kCourseValues, "--json"});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject j = jsonOf(r);
    QCOMPARE(ints(j["q"]), (QList<int>{48, 95, -48, -79, 0, 111, -127, 32}));
    QCOMPARE(float(j["scale"].toDouble()), 0.8f / 127.0f);
    QCOMPARE(j["zero_point"].toInt(), 0);
    QCOMPARE(j["qmin"].toInt(), -128);
    QCOMPARE(j["qmax"].toInt(), 127);
    for (const char* key : {"mse", "rmse", "mae", "max_abs", "sqnr_db", "cosine",
                            "clipped_fraction"})
      QVERIFY2(j["metrics"].toObject().contains(key), key);
    QCOMPARE(j["dequantized"].toArray().size(), 8);
  }

  void asymmetricWorkedExample() {
    const ProcessRun r = runCli({"quantize", "--values", kCourseValues, "--scheme", "asymmetric", "--json"});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject j = jsonOf(r);
    QCOMPARE(ints(j["q"]), (QList<int>{59, 110, -43, -77, 8, 127, -128, 42}));
    QCOMPARE(j["zero_point"].toInt(), 8);
    QCOMPARE(float(j["scale"].toDouble()), 1.5f / 255.0f);
  }

  void manualRangeAndUnsigned() {
    const ProcessRun r = runCli({"quantize", "--values", "0.5", "--unsigned", "--scheme", "asymmetric",
                       "--range", "-1:1", "--json"});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject j = jsonOf(r);
    QCOMPARE(ints(j["q"]), QList<int>{192});
    QCOMPARE(j["zero_point"].toInt(), 128);
    QVERIFY(qAbs(j["dequantized"].toArray()[0].toDouble() - 0.50196) < 1e-5);
  }

  void formatDecodesAndEncodes() {
    ProcessRun r = runCli({"format", "0.1", "--format", "fp32", "--json"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(jsonOf(r)["bits"].toString().toUpper(), QStringLiteral("0X3DCCCCCD"));
    QCOMPARE(jsonOf(r)["exact"].toString(), QStringLiteral("0.100000001490116119384765625"));

    r = runCli({"format", "--bits", "0x7bff", "--format", "fp16", "--json"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(jsonOf(r)["value"].toDouble(), 65504.0);
    QCOMPARE(jsonOf(r)["class"].toString(), QStringLiteral("normal"));

    r = runCli({"format", "500", "--format", "e4m3", "--overflow", "saturate", "--json"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(jsonOf(r)["value"].toDouble(), 448.0);
    QVERIFY(jsonOf(r)["overflowed"].toBool());

    r = runCli({"format", "--all", "--format", "e5m2", "--json"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(jsonOf(r)["patterns"].toArray().size(), 256);
  }

  void integers() {
    ProcessRun r = runCli({"int", "-1", "--type", "int8", "--json"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(jsonOf(r)["binary"].toString(), QStringLiteral("11111111"));
    r = runCli({"int", "--bits", "0b1000", "--type", "int4", "--json"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(jsonOf(r)["value"].toInt(), -8);
    r = runCli({"int", "128", "--type", "int8"});
    QCOMPARE(r.exitCode, 1);
  }

  void smallSlicesFallBackToMinMax() {
    // Conv weights [16, 3, 3, 3]: 27 values per output channel, too few for entropy.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString npy = dir.filePath("conv.npy");
    ProcessRun r = runCli({"generate", "--dist", "laplace", "--shape", "16,3,3,3", "--scale", "0.1",
                           "--seed", "3", "-o", npy});
    QCOMPARE(r.exitCode, 0);
    r = runCli({"quantize", npy, "--granularity", "channel:0", "--calib", "entropy", "--json"});
    QCOMPARE(r.exitCode, 0);
    QJsonObject f = jsonOf(r)["calibration_fallback"].toObject();
    QCOMPARE(f["slots"].toInt(), 16);
    QCOMPARE(f["of"].toInt(), 16);
    QCOMPARE(f["smallest_slice"].toInt(), 27);
    QCOMPARE(f["method"].toString(), QStringLiteral("minmax"));
    const QJsonArray entropyScales = jsonOf(r)["scale"].toArray();
    r = runCli({"quantize", npy, "--granularity", "channel:0", "--json"});
    QCOMPARE(jsonOf(r)["scale"].toArray(), entropyScales);
    QCOMPARE(jsonOf(r)["calibration_fallback"].toObject()["slots"].toInt(), 0);
    r = runCli({"quantize", npy, "--granularity", "channel:0", "--calib", "entropy"});
    QVERIFY2(r.out.contains("16 of 16 slots hold fewer than 128 values"), qPrintable(r.out));
    r = runCli({"inspect", npy, "--granularity", "channel:0", "--json"});
    for (const auto& m : jsonOf(r)["methods"].toArray()) {
      const QJsonObject o = m.toObject();
      const bool statistical = o["calibration"] != "minmax" && o["calibration"] != "moving-average";
      QCOMPARE(o["calibration_fallback"].toObject()["slots"].toInt(), statistical ? 16 : 0);
    }
  }

  void generateListInspectQuantizeFile() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString npy = dir.filePath("laplace.npy");
    ProcessRun r = runCli({"generate", "--dist", "laplace", "--n", "4096", "--outliers", "4:50", "--seed",
                 "7", "-o", npy});
    QCOMPARE(r.exitCode, 0);
    r = runCli({"list", npy, "--json"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(jsonOf(r)["tensors"].toArray().size(), 1);
    r = runCli({"inspect", npy, "--json"});
    QCOMPARE(r.exitCode, 0);
    const QJsonArray methods = jsonOf(r)["methods"].toArray();
    QCOMPARE(methods.size(), 7);
    // With outliers, MSE calibration must beat min-max.
    double minmax = -1, mse = -1;
    for (const auto& m : methods) {
      const QJsonObject o = m.toObject();
      if (o["calibration"] == "minmax") minmax = o["metrics"].toObject()["mse"].toDouble();
      if (o["calibration"] == "mse") mse = o["metrics"].toObject()["mse"].toDouble();
    }
    QVERIFY2(mse >= 0 && mse < minmax, qPrintable(QString("mse %1 minmax %2").arg(mse).arg(minmax)));

    const QString out = dir.filePath("fq.npy");
    r = runCli({"quantize", npy, "--bits", "4", "-o", out});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(QFile::exists(out));
    r = runCli({"quantize", npy, "--scheme", "nf4", "--json"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(jsonOf(r)["bits_per_weight"].toDouble(), 4.5);
  }

  void fileErrorsNameTheFile() {
    QTemporaryDir dir;
    const QString missing = dir.filePath("nothere.npy");
    ProcessRun r = runCli({"list", missing});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains("nothere.npy"));

    const QString pickle = dir.filePath("model.pt");
    QFile f(pickle);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray("\x80\x02}q\x00.", 6));
    f.close();
    r = runCli({"quantize", pickle});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains("model.pt"));
    QVERIFY(r.err.toLower().contains("pickle"));
  }

  void demoRuns() {
    const ProcessRun r = runCli({"demo"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("48, 95, -48, -79, 0, 111, -127, 32"));
    QVERIFY(r.out.contains("59, 110, -43, -77, 8, 127, -128, 42"));
  }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli_commands.moc"
