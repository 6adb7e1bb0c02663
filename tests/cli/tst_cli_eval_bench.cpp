// SPDX-License-Identifier: GPL-3.0-or-later
// quantlab-cli eval and bench, run as the real binary: their JSON against the engine's own
// numbers computed here in-process, their ranges, and their exit codes and messages.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>

#include "quant/base/resources.h"
#include "quant/io/dataset.h"
#include "quant/kernels/int8gemm.h"
#include "quant/nn/int8model.h"
#include "quant/nn/model.h"
#include "quant/nn/modelsize.h"
#include "quant/nn/recipe.h"
#include "quant/nn/train.h"
#include "quant/numeric/calibrate.h"
#include "quant/numeric/metrics.h"
#include "testsupport.h"

using quantlab::testing::jsonOf;
using quantlab::testing::ProcessRun;
using quantlab::testing::runCli;

namespace {

// The row of `mode` in eval's "modes" array (empty when missing).
QJsonObject modeRow(const QJsonObject& j, const QString& mode) {
  for (const auto& v : j["modes"].toArray())
    if (v.toObject()["mode"].toString() == mode) return v.toObject();
  return {};
}

constexpr int kLimit = 200;         // test images per eval run here
constexpr int kCalibImages = 1000;  // eval's default calibration set

// The float32 layers a bench report accounts for: its rows and their fused activations, sorted.
QStringList benchLayers(const QJsonObject& j) {
  QStringList seen;
  for (const auto& v : j["layers"].toArray()) {
    const QJsonObject l = v.toObject();
    seen << l["name"].toString();
    if (!l["fused_activation"].toString().isEmpty()) seen << l["fused_activation"].toString();
  }
  seen.sort();
  return seen;
}

QStringList layerNames(const quant::Model& m) {
  QStringList names;
  for (const quant::Layer& l : m.layers) names << QString::fromStdString(l.name);
  names.sort();
  return names;
}

// (Built by moving whole strings: GCC 12 -O3 warns falsely (-Wrestrict) on assigning short
// literals to std::string members.)
quant::Layer layer(quant::LayerType type, std::string name, std::string input, std::string output) {
  quant::Layer l;
  l.type = type;
  l.name = std::move(name);
  l.inputs.push_back(std::move(input));
  l.output = std::move(output);
  return l;
}

int argmax(const float* v, int n) { return int(std::max_element(v, v + n) - v); }

// What eval must report for one mode, computed with the engine directly.
struct Expected {
  double accuracy = 0, agreement = 0, sqnrDb = 0;
};

}  // namespace

class TestCliModels : public QObject {
  Q_OBJECT

  bool haveData_ = false;
  quant::Model mlp_;
  quant::Tensor testImages_, calibImages_;
  std::vector<std::uint8_t> labels_;
  std::vector<float> fp32Logits_;

  void requireData() {
    if (!haveData_) QSKIP("Fashion-MNIST or the shipped MLP is not installed");
  }

  quant::Tensor batch(const quant::Tensor& images, int n) const {
    quant::Tensor t;
    t.shape = {n};
    t.shape.insert(t.shape.end(), mlp_.inputShape.begin(), mlp_.inputShape.end());
    const std::int64_t per = images.numel() / images.shape[0];
    t.data.assign(images.data.begin(), images.data.begin() + n * per);
    return t;
  }

  Expected expect(const std::vector<float>& y) const {
    Expected e;
    int correct = 0, agree = 0;
    for (int i = 0; i < kLimit; ++i) {
      const int p = argmax(y.data() + 10 * i, 10);
      correct += p == labels_[i];
      agree += p == argmax(fp32Logits_.data() + 10 * i, 10);
    }
    e.accuracy = double(correct) / kLimit;
    e.agreement = double(agree) / kLimit;
    e.sqnrDb = quant::computeMetrics(fp32Logits_, y).sqnrDb;
    return e;
  }

 private slots:
  void initTestCase() {
    try {
      mlp_ = quant::loadOnnxModel(quant::resolveModelPath("mlp"));
      const quant::Dataset test =
          quant::loadFashionMnist(quant::kFashionMnistDir, quant::Split::Test);
      const quant::Dataset train =
          quant::loadFashionMnist(quant::kFashionMnistDir, quant::Split::Train);
      testImages_ = test.images;
      labels_ = test.labels;
      calibImages_ = batch(train.images, kCalibImages);
      haveData_ = true;
    } catch (const quant::Error& e) {
      qWarning("%s", e.what());
      return;
    }
    fp32Logits_ = quant::forward(mlp_, batch(testImages_, kLimit)).data;
  }

  // Each mode's numbers are exactly the engine's on the same images (same calibration set,
  // one batch of 200: dynamic quantization is per batch, so the batching must match too).
  void evalMatchesTheEngine_data() {
    QTest::addColumn<QString>("mode");
    QTest::addRow("fp32") << "fp32";
    QTest::addRow("int8") << "int8";
    QTest::addRow("dynamic") << "dynamic";
    QTest::addRow("weight-only") << "weight-only";
  }
  void evalMatchesTheEngine() {
    requireData();
    QFETCH(QString, mode);
    const ProcessRun r = runCli(
        {"eval", "--model", "mlp", "--mode", mode, "--limit", QString::number(kLimit), "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject j = jsonOf(r);
    QCOMPARE(j["test_images"].toInt(), kLimit);
    QCOMPARE(j["parameters"].toInteger(), qint64(mlp_.parameterCount()));
    QCOMPARE(j["calibration"].toString(), QString("minmax"));
    // float32 is always there as the reference, first.
    const QJsonArray modes = j["modes"].toArray();
    QCOMPARE(modes.size(), mode == "fp32" ? 1 : 2);
    QCOMPARE(modes[0].toObject()["mode"].toString(), QString("fp32"));
    const QJsonObject row = modeRow(j, mode);
    for (const char* key : {"accuracy", "agreement", "sqnr_db", "bytes", "bytes_detail",
                            "compression", "prepare_seconds", "seconds", "images_per_second"})
      QVERIFY2(row.contains(key), key);

    std::vector<float> y;
    if (mode == "fp32") {
      y = fp32Logits_;
    } else if (mode == "int8") {
      const quant::Int8Model q =
          quant::quantizeModel(mlp_, calibImages_, quant::CalibrationConfig{});
      y = quant::runInt8(q, batch(testImages_, kLimit)).data;
    } else if (mode == "dynamic") {
      y = quant::runDynamic(quant::quantizeDynamic(mlp_), batch(testImages_, kLimit)).data;
    } else {
      y = quant::forward(quant::weightOnlyModel(mlp_), batch(testImages_, kLimit)).data;
    }
    const Expected e = expect(y);
    const double accuracy = row["accuracy"].toDouble();
    const double agreement = row["agreement"].toDouble();
    QVERIFY(accuracy >= 0.0 && accuracy <= 1.0);
    QVERIFY(agreement >= 0.0 && agreement <= 1.0);
    QCOMPARE(accuracy, e.accuracy);
    QCOMPARE(agreement, e.agreement);
    QVERIFY(row["seconds"].toDouble() > 0.0);

    const double fp32Bytes = 4.0 * double(mlp_.parameterCount());
    QCOMPARE(modes[0].toObject()["bytes"].toDouble(), fp32Bytes);
    if (mode == "fp32") {
      QCOMPARE(agreement, 1.0);
      QCOMPARE(row["sqnr_db"].toString(), QString("inf"));  // identical to the reference
      return;
    }
    // The MLP survives int8 well: most top-1 classes stay and the logits keep > 25 dB.
    QVERIFY2(agreement >= 0.9, qPrintable(QString::number(agreement)));
    const double sqnr = row["sqnr_db"].toDouble();
    QVERIFY2(std::fabs(sqnr - e.sqnrDb) <= 1e-6 * std::fabs(e.sqnrDb), qPrintable(mode));
    QVERIFY2(sqnr > 25.0, qPrintable(QString::number(sqnr)));
    // Int8 storage: one byte per weight plus small extras, so close to 4x smaller.
    const QJsonObject d = row["bytes_detail"].toObject();
    std::int64_t weights = 0, outChannels = 0;
    for (const quant::Layer& l : mlp_.layers) {
      if (l.type != quant::LayerType::Linear) continue;
      weights += l.weight.size();
      outChannels += l.weight.rows();
    }
    QCOMPARE(d["weights"].toInteger(), qint64(weights));
    QCOMPARE(d["weight_scales"].toInteger(), qint64(4 * outChannels));
    QCOMPARE(d["activation_params"].toInteger(),
             qint64(mode == "int8" ? 8 * 4 : 0));  // input + 3 fc
    QCOMPARE(row["bytes"].toInteger(),
             d["weights"].toInteger() + d["bias"].toInteger() + d["weight_scales"].toInteger() +
                 d["activation_params"].toInteger() + d["other"].toInteger());
    const double ratio = fp32Bytes / row["bytes"].toDouble();
    QVERIFY2(ratio > 3.8 && ratio < 4.0, qPrintable(QString::number(ratio)));
  }

  // --mode all gives all four rows, and its fp32 numbers equal a second, fp32-only run's.
  void evalAllIsConsistent() {
    requireData();
    const ProcessRun all = runCli({"eval", "--model", "mlp", "--limit", "100", "--json"});
    QVERIFY2(all.exitCode == 0, all.err.constData());
    const QJsonObject j = jsonOf(all);
    QStringList names;
    for (const auto& v : j["modes"].toArray()) names << v.toObject()["mode"].toString();
    QCOMPARE(names, (QStringList{"fp32", "int8", "dynamic", "weight-only"}));
    const ProcessRun fp32 =
        runCli({"eval", "--model", "mlp", "--mode", "fp32", "--limit", "100", "--json"});
    QCOMPARE(fp32.exitCode, 0);
    QCOMPARE(modeRow(jsonOf(fp32), "fp32")["accuracy"].toDouble(),
             modeRow(j, "fp32")["accuracy"].toDouble());
    // Per-tensor weights change the scales (one per layer) and nothing else about the size.
    const ProcessRun pt = runCli({"eval", "--model", "mlp", "--mode", "weight-only", "--per-tensor",
                                  "--limit", "100", "--json"});
    QCOMPARE(pt.exitCode, 0);
    QCOMPARE(jsonOf(pt)["weights"].toString(), QString("per-tensor"));
    QCOMPARE(modeRow(jsonOf(pt), "weight-only")["bytes_detail"].toObject()["weight_scales"].toInt(),
             4 * 3);
  }

  void evalUsageErrors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addRow("bad mode") << QStringList{"eval", "--model", "mlp", "--mode", "int4"};
    QTest::addRow("bad calib") << QStringList{"eval", "--model", "mlp", "--calib", "magic"};
    QTest::addRow("zero limit") << QStringList{"eval", "--model", "mlp", "--limit", "0"};
    QTest::addRow("no model") << QStringList{"eval", "--mode", "fp32"};
    QTest::addRow("unknown option") << QStringList{"eval", "--model", "mlp", "--fast"};
  }
  void evalUsageErrors() {
    QFETCH(QStringList, args);
    const ProcessRun r = runCli(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY(!r.err.isEmpty());
    QVERIFY(r.out.isEmpty());
  }

  // Data errors: one line naming the culprit, exit 1.
  void evalDataErrors() {
    QTemporaryDir dir;
    const QString missing = dir.filePath("no-such-model.onnx");
    ProcessRun r = runCli({"eval", "--model", missing});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(missing.toUtf8()), r.err.constData());
    QCOMPARE(r.err.trimmed().count('\n'), 0);

    // A model that does not take Fashion-MNIST images.
    const QString odd = dir.filePath("odd.onnx");
    quant::saveOnnxModel(quant::makeMlp(1, {8}, {20}, 10), odd.toStdString());
    r = runCli({"eval", "--model", odd});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("[20]") && r.err.contains("Fashion-MNIST"), r.err.constData());
    QCOMPARE(r.err.trimmed().count('\n'), 0);

    // No data set where --data points: the path and the problem (--data takes any data set, so
    // the Fashion-MNIST install hint is only for the default).
    if (!haveData_) return;
    r = runCli({"eval", "--model", "mlp", "--data", dir.filePath("nothing")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(dir.filePath("nothing").toUtf8() + ": no such file"),
             r.err.constData());
    QCOMPARE(r.err.trimmed().count('\n'), 0);
  }

  // A layer static int8 has no integer version of (a Softmax that is not last) runs in float32
  // between a dequantize and a quantize, and eval says so: in the int8 row of --json (with the
  // reason) and in the text. It is never silent, and the other modes are measured as before.
  void evalReportsFloatLayers() {
    requireData();
    quant::Model m;
    m.inputShape = {784};
    auto linear = [](std::string name, std::string in, std::string out, int outF, int inF) {
      quant::Layer l =
          layer(quant::LayerType::Linear, std::move(name), std::move(in), std::move(out));
      l.weight = 0.05f * quant::RowMatrix::Random(outF, inF);
      l.bias = Eigen::VectorXf::Zero(outF);
      return l;
    };
    const quant::Layer softmax = layer(quant::LayerType::Softmax, "softmax", "h", "p");
    m.layers = {linear("fc1", "input", "h", 10, 784), softmax, linear("fc2", "p", "y", 10, 10)};
    m.finalize();
    QTemporaryDir dir;
    const QString file = dir.filePath("softmax-inside.onnx");
    quant::saveOnnxModel(m, file.toStdString());

    ProcessRun r = runCli({"eval", "--model", file, "--limit", "50", "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject j = jsonOf(r);
    const QJsonObject int8 = modeRow(j, "int8");
    QVERIFY(int8.contains("accuracy"));
    QVERIFY(!int8.contains("error"));
    const QJsonArray floats = int8["float_layers"].toArray();
    QCOMPARE(floats.size(), 1);
    QVERIFY2(floats[0].toString().contains("softmax"), qPrintable(floats[0].toString()));
    for (const char* mode : {"fp32", "dynamic", "weight-only"}) {
      QVERIFY2(modeRow(j, mode).contains("accuracy"), mode);
      QVERIFY2(!modeRow(j, mode).contains("error"), mode);
      QVERIFY2(!modeRow(j, mode).contains("float_layers"), mode);
    }
    r = runCli({"eval", "--model", file, "--limit", "50", "--mode", "int8"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("softmax"), r.out.constData());
  }

  // One row per int8 layer; every float32 layer is accounted for exactly once (as a row or as
  // the activation fused into one); positive times; the reference kernel really ran; the
  // per-layer sums and the roofline (peaks of the reference level, a roof for every Linear row).
  void benchReference() {
    requireData();
    const ProcessRun r = runCli({"bench", "--model", "mlp", "--batch", "4", "--repeats", "3",
                                 "--warmup", "1", "--isa", "reference", "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject j = jsonOf(r);
    QCOMPARE(j["isa"].toString(), QString("reference"));
    // --isa reference forces the whole level, so the fp32 side leaves its SIMD kernels too.
    QCOMPARE(j["fp32_kernel"].toString(), QString("eigen-sse2"));
    QCOMPARE(j["batch"].toInt(), 4);
    QCOMPARE(j["input"].toString(), QString("Fashion-MNIST"));
    QCOMPARE(j["macs_per_image"].toInteger(), qint64(mlp_.macsPerSample()));
    const QJsonArray layers = j["layers"].toArray();
    double intLayers = 0.0;
    for (const auto& v : layers) {
      const QJsonObject l = v.toObject();
      QVERIFY(l["fp32_seconds"].toDouble() >= 0.0);
      QVERIFY(l["int8_seconds"].toDouble() >= 0.0);
      if (l["type"].toString() == "Linear") {
        QVERIFY2(l["fp32_seconds"].toDouble() > 0.0, qPrintable(l["name"].toString()));
        QVERIFY2(l["int8_seconds"].toDouble() > 0.0, qPrintable(l["name"].toString()));
        QVERIFY(l["int8_gops"].toDouble() > 0.0);
        for (const char* key : {"fp32_roofline", "int8_roofline"}) {
          const QJsonObject roof = l[key].toObject();
          QVERIFY2(roof["bytes"].toInteger() > 0, key);
          QVERIFY2(roof["ops_per_byte"].toDouble() > 0.0, key);
          QVERIFY2(roof["attainable_gops"].toDouble() > 0.0, key);
          QVERIFY2(roof["percent_of_attainable"].toDouble() > 0.0, key);
          QVERIFY2(roof["bound"] == "compute" || roof["bound"] == "memory", key);
          QVERIFY2(QStringList({"L2", "L3", "DRAM"}).contains(roof["memory"].toString()), key);
        }
      } else {
        QVERIFY(l["int8_roofline"].isNull());
      }
      intLayers += l["int8_seconds"].toDouble();
    }
    QCOMPARE(benchLayers(j), layerNames(mlp_));
    QCOMPARE(layers.size(), 4);  // flatten, fc1+relu1, fc2+relu2, fc3
    const QJsonObject e2e = j["end_to_end"].toObject();
    QVERIFY(e2e["fp32_seconds"].toDouble() > 0.0);
    QVERIFY(e2e["int8_seconds"].toDouble() > 0.0);
    // The int8 stage sum is quantize input + the layer rows + dequantize output.
    const QJsonObject stages = j["int8_stages"].toObject();
    QVERIFY(stages["layers_seconds"].toDouble() > 0.0);
    const QJsonObject sum = j["per_layer_sum"].toObject();
    const double stageSum = stages["quantize_input_seconds"].toDouble() + intLayers +
                            stages["dequantize_output_seconds"].toDouble();
    QVERIFY(qAbs(sum["int8_seconds"].toDouble() - stageSum) <= 1e-9 + 1e-6 * stageSum);
    QVERIFY(qAbs(sum["int8_share_of_end_to_end"].toDouble() -
                 sum["int8_seconds"].toDouble() / e2e["int8_seconds"].toDouble()) <= 1e-6);
    QVERIFY(sum["fp32_seconds"].toDouble() > 0.0);
    QVERIFY(sum["fp32_profiled_run_seconds"].toDouble() > 0.0);
    const QJsonObject roof = j["roofline"].toObject();
    QCOMPARE(roof["level"].toString(), QString("reference"));
    QCOMPARE(roof["int8_instruction"].toString(), QString("pmaddwd + paddd xmm"));
    QVERIFY(roof["fp32_peak_gops"].toDouble() > 0.0);
    QVERIFY(roof["int8_peak_gops"].toDouble() > 0.0);
    const QJsonArray mem = roof["memory"].toArray();
    QVERIFY(!mem.isEmpty());
    QCOMPARE(mem.last().toObject()["name"].toString(), QString("DRAM"));
    for (const auto& m : mem) QVERIFY(m.toObject()["gb_per_second"].toDouble() > 0.0);
    QCOMPARE(j["bytes"].toObject()["fp32"].toObject()["total"].toDouble(),
             4.0 * double(mlp_.parameterCount()));
  }

  // One size count and one recipe: the int8 MLP's bytes and the "recipe" object are the same in
  // eval, bench, sensitivity and mixed at 8 bits (and the recipe in qat), and equal core's.
  void sizeAndRecipeAgreeAcrossCommands() {
    requireData();
    const QJsonObject recipe =
        QJsonDocument::fromJson(QByteArray::fromStdString(quant::recipeJson(quant::QuantRecipe{})))
            .object();
    const qint64 bytes =
        quant::modelBytes(mlp_, quant::uniformPlan(mlp_, 8, 8), quant::QuantRecipe{}).total();
    QCOMPARE(bytes, qint64{237936});
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString out = tmp.filePath(QStringLiteral("qat.onnx"));
    const QList<QStringList> runs = {
        {"eval", "--model", "mlp", "--mode", "int8", "--limit", "100", "--json"},
        {"bench", "--model", "mlp", "--repeats", "1", "--warmup", "0", "--json"},
        {"sensitivity", "--model", "mlp", "--bits", "8", "--limit", "100", "--calib-images", "100",
         "--json"},
        {"mixed", "--model", "mlp", "--bits", "8", "--budget", "5", "--limit", "100",
         "--calib-images", "100", "--val-images", "100", "--json"},
        {"qat", "--model", "mlp", "--bits", "8", "--epochs", "0", "--limit-train", "200", "-o", out,
         "--json"}};
    for (const QStringList& args : runs) {
      const ProcessRun r = runCli(args);
      QVERIFY2(r.exitCode == 0, r.err.constData());
      const QJsonObject j = jsonOf(r);
      QVERIFY2(j["recipe"].toObject() == recipe, qPrintable(args[0]));
      qint64 int8Bytes = -1;
      if (args[0] == "eval") int8Bytes = modeRow(j, "int8")["bytes"].toInteger();
      if (args[0] == "bench")
        int8Bytes = j["bytes"].toObject()["int8"].toObject()["total"].toInteger();
      if (args[0] == "sensitivity")
        int8Bytes = j["all_quantized"].toObject()["size_bytes"].toInteger();
      if (args[0] == "mixed")
        int8Bytes = j["test"].toObject()["all_low"].toObject()["size_bytes"].toInteger();
      if (args[0] != "qat") QCOMPARE(int8Bytes, bytes);
    }
  }

  // The shipped CNN: conv rows carry their dot-product length K = inC * kH * kW and their MACs.
  void benchCnnRows() {
    requireData();
    quant::Model cnn;
    try {
      cnn = quant::loadOnnxModel(quant::resolveModelPath("cnn"));
    } catch (const quant::Error& e) {
      QSKIP(e.what());
    }
    const ProcessRun r = runCli(
        {"bench", "--model", "cnn", "--batch", "2", "--repeats", "2", "--warmup", "0", "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject j = jsonOf(r);
    QCOMPARE(benchLayers(j), layerNames(cnn));
    int convs = 0;
    for (const auto& v : j["layers"].toArray()) {
      const QJsonObject l = v.toObject();
      for (const quant::Layer& f : cnn.layers) {
        if (QString::fromStdString(f.name) != l["name"].toString()) continue;
        QCOMPARE(l["macs_per_image"].toInteger(), qint64(f.macs));
        if (f.type != quant::LayerType::Conv2d) continue;
        ++convs;
        QCOMPARE(l["k"].toInt(), int(f.weight.cols()));
        QCOMPARE(l["type"].toString(), QString("Conv2d"));
      }
    }
    QCOMPARE(convs, 2);
    QCOMPARE(j["layers"].toArray()[0].toObject()["k"].toInt(), 9);  // conv1: 1 channel, 3x3
  }

  // A model that is not a Fashion-MNIST classifier runs on seeded random input.
  void benchRandomInput() {
    QTemporaryDir dir;
    const QString odd = dir.filePath("odd.onnx");
    const quant::Model m = quant::makeMlp(3, {16}, {20}, 5);
    quant::saveOnnxModel(m, odd.toStdString());
    const ProcessRun r =
        runCli({"bench", "--model", odd, "--batch", "2", "--repeats", "2", "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject j = jsonOf(r);
    QCOMPARE(j["input"].toString(), QString("random"));
    QCOMPARE(benchLayers(j), layerNames(m));
    QCOMPARE(j["layers"].toArray().size(), 2);  // fc1+relu1, fc2
    QCOMPARE(j["isa"].toString(),
             QString(quant::gemm::isaName(quant::gemm::kernelIsa())));  // --isa auto
    QCOMPARE(j["fp32_kernel"].toString(), QString(quant::fp32KernelName()));
  }

  void benchUsageErrors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addRow("unknown isa") << QStringList{"bench", "--model", "mlp", "--isa", "sse4"};
    QTest::addRow("zero batch") << QStringList{"bench", "--model", "mlp", "--batch", "0"};
    QTest::addRow("zero threads") << QStringList{"bench", "--model", "mlp", "--threads", "0"};
    QTest::addRow("no model") << QStringList{"bench", "--batch", "4"};
  }
  void benchUsageErrors() {
    QFETCH(QStringList, args);
    const ProcessRun r = runCli(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY(!r.err.isEmpty());
  }

  // A kernel this CPU lacks is refused (not silently replaced by another).
  void benchRefusesUnsupportedIsa() {
    using quant::gemm::Isa;
    for (Isa isa : {Isa::Avx512Vnni, Isa::Avx2}) {
      if (quant::gemm::isaSupported(isa)) continue;
      const ProcessRun r = runCli({"bench", "--model", "mlp", "--isa", quant::gemm::isaName(isa)});
      QCOMPARE(r.exitCode, 1);
      QVERIFY2(r.err.contains("cannot run"), r.err.constData());
      return;
    }
    QSKIP("this CPU supports every kernel");
  }
};

QTEST_GUILESS_MAIN(TestCliModels)
#include "tst_cli_eval_bench.moc"
