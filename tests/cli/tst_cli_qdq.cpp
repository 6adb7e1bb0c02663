// SPDX-License-Identifier: GPL-3.0-or-later
// quantlab-cli and quantized ONNX: `eval --export-qdq` writes the static int8 model as QDQ, `eval`
// runs that file with its own scales to the same int8 accuracy (bit-identical int8 outputs),
// `info` lists its per-layer scales and zero points, and a hostile file is one error line.
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "quant/base/resources.h"
#include "quant/io/dataset.h"
#include "testsupport.h"

using quantlab::testing::jsonOf;
using quantlab::testing::runCli;

namespace {

QJsonObject modeRow(const QJsonObject& j, const QString& mode) {
  for (const auto& v : j.value("modes").toArray())
    if (v.toObject().value("mode").toString() == mode) return v.toObject();
  return {};
}

}  // namespace

class TestCliQdq : public QObject {
  Q_OBJECT

 private slots:
  void exportRunAndList_data() {
    QTest::addColumn<QString>("model");
    QTest::addRow("mlp") << "mlp";
    QTest::addRow("cnn") << "cnn";
  }
  void exportRunAndList() {
    QFETCH(QString, model);
    try {
      quant::loadFashionMnist(quant::kFashionMnistDir, quant::Split::Test);
    } catch (const quant::Error& e) {
      QSKIP(e.what());
    }
    QTemporaryDir dir;
    const QString file = dir.filePath(model + "_int8.onnx");
    const auto exported = runCli({"eval", "--model", model, "--mode", "int8", "--limit", "400",
                                  "--export-qdq", file, "--json"});
    QVERIFY2(exported.exitCode == 0, exported.err.constData());
    const QJsonObject a = jsonOf(exported);
    QCOMPARE(a.value("int8_parameters").toString(), QString("calibrated"));
    QCOMPARE(a.value("qdq_output").toString(), file);

    const auto reloaded =
        runCli({"eval", "--model", file, "--mode", "int8", "--limit", "400", "--json"});
    QVERIFY2(reloaded.exitCode == 0, reloaded.err.constData());
    const QJsonObject b = jsonOf(reloaded);
    QCOMPARE(b.value("int8_parameters").toString(), QString("file"));
    QCOMPARE(b.value("calibration_images").toInt(), 0);
    // The same int8 model: the same predictions, so the same accuracy.
    QCOMPARE(modeRow(b, "int8").value("accuracy").toDouble(),
             modeRow(a, "int8").value("accuracy").toDouble());

    const auto info = runCli({"info", "--model", file, "--json"});
    QVERIFY2(info.exitCode == 0, info.err.constData());
    const QJsonObject i = jsonOf(info);
    QVERIFY(i.value("quantized").toBool());
    const QJsonObject int8 = i.value("int8").toObject();
    QCOMPARE(int8.value("input_zero_point").toInt(), -128);  // images in [0, 1]
    const QJsonArray layers = int8.value("layers").toArray();
    QVERIFY(!layers.isEmpty());
    int withWeights = 0;
    for (const auto& v : layers) {
      const QJsonObject l = v.toObject();
      QVERIFY(l.value("output_scale").toDouble() > 0);
      if (l.contains("weight_scales")) {
        ++withWeights;
        QVERIFY(l.value("weight_scales").toArray().size() > 1);  // per output channel
      }
    }
    QVERIFY(withWeights >= 2);
    const auto text = runCli({"info", "--model", file});
    QVERIFY(text.out.contains("int8 model from the file"));
  }

  void builtinInfoHasNoInt8Table() {
    const auto r = runCli({"info", "--model", "mlp", "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(!jsonOf(r).value("quantized").toBool());
    QVERIFY(!jsonOf(r).contains("int8"));
  }

  void hostileFileIsOneErrorLine() {
    QTemporaryDir dir;
    // The fixture's QuantizeLinear with its scale input renamed to a tensor that does not exist
    // (the node's inputs are protobuf field 1: tag 0x0a, length, name).
    QFile src(QStringLiteral(QUANTLAB_TEST_DATA "/qdq/qoperator.onnx"));
    QVERIFY(src.open(QIODevice::ReadOnly));
    QByteArray bytes = src.readAll();
    const int at = bytes.indexOf(QByteArray("\n\x05input\n\x02xs", 11));
    QVERIFY(at >= 0);
    bytes.replace(at + 7, 4, QByteArray("\n\x02zz", 4));  // the scale input names no tensor
    const QString bad = dir.filePath("bad.onnx");
    QVERIFY(quantlab::testing::writeFile(bad, bytes));
    const auto r = runCli({"info", "--model", bad});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("node 'quantize' (QuantizeLinear): scale 'zz' is not a constant"),
             r.err.constData());
    QCOMPARE(r.err.count('\n'), 1);
  }

  void exportNeedsTheInt8Mode() {
    const auto r = runCli({"eval", "--model", "mlp", "--mode", "fp32", "--export-qdq", "x.onnx"});
    QCOMPARE(r.exitCode, 2);
  }
};

QTEST_APPLESS_MAIN(TestCliQdq)
#include "tst_cli_qdq.moc"
