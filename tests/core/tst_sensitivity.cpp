// SPDX-License-Identifier: GPL-3.0-or-later
// Fake-quantized models, layer sensitivity and mixed precision (quant/nn/sensitivity.h).
//
// The fixture is a small MLP trained for one epoch on 3000 Fashion-MNIST images, made fragile on
// purpose: hidden unit 0 of fc1 is switched off (zero weights, bias -1, so ReLU gives exactly 0),
// and fc2's weights reading that dead unit get a huge value (100 x max|W|). The fp32 function is
// unchanged by the outlier, but at 4 bits every channel of fc2 has a scale so large that all its
// other weights round to zero -- the textbook outlier failure the analysis must find.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>

#include "quant/io/dataset.h"
#include "quant/nn/model.h"
#include "quant/nn/sensitivity.h"
#include "quant/nn/train.h"
#include "quant/numeric/calibrate.h"
#include "quant/numeric/quantize.h"
#include "testsupport.h"

using namespace quant;
using quantlab::testing::ProcessRun;
using quantlab::testing::runCli;

namespace {

bool bitEqual(std::span<const float> a, std::span<const float> b) {
  if (a.size() != b.size()) return false;
  return std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

}  // namespace

class TstSensitivity : public QObject {
  Q_OBJECT

  Model healthy_, fragile_;
  Dataset calib_, eval_;
  std::unique_ptr<FakeQuantModel> fq_;  // fragile model, bits 2..8 and 16 calibrated
  std::unique_ptr<FakeQuantModel> healthyFq_;
  const std::size_t fragileLayer_ = 1;  // fc2 among the quantizable layers fc1, fc2, fc3

 private slots:
  void initTestCase() {
    const Dataset train = loadFashionMnist(kFashionMnistDir, Split::Train);
    const Dataset test = loadFashionMnist(kFashionMnistDir, Split::Test);
    TrainConfig cfg;
    cfg.epochs = 1;
    cfg.batch = 64;
    cfg.seed = 7;
    TrainResult r = trainModel(makeMlp(7, {64, 32}), sliceDataset(train, 0, 3000), Dataset{}, cfg);
    healthy_ = r.model;
    calib_ = sliceDataset(train, 3000, 256);
    eval_ = sliceDataset(test, 0, 1500);

    fragile_ = healthy_;
    Layer* fc1 = nullptr;
    Layer* fc2 = nullptr;
    for (Layer& l : fragile_.layers) {
      if (l.name == "fc1") fc1 = &l;
      if (l.name == "fc2") fc2 = &l;
    }
    QVERIFY(fc1 && fc2);
    fc1->weight.row(0).setZero();
    fc1->bias[0] = -1.0f;
    const float big = 100.0f * fc2->weight.cwiseAbs().maxCoeff();
    fc2->weight.col(0).setConstant(big);
    fragile_.finalize();

    const int bits[] = {2, 3, 4, 5, 6, 7, 8, 16};
    fq_ = std::make_unique<FakeQuantModel>(fragile_, calib_.images, QuantRecipe{}, bits);
    healthyFq_ = std::make_unique<FakeQuantModel>(healthy_, calib_.images, QuantRecipe{}, bits);
    QCOMPARE(fq_->layers().size(), std::size_t{3});
    QCOMPARE(fq_->layers()[fragileLayer_].name, std::string("fc2"));
    // The ReLU after fc1/fc2 is fused: the activation is quantized after it.
    QCOMPARE(fq_->layers()[0].activationIndex, fq_->layers()[0].index + 1);
    QCOMPARE(fq_->layers()[2].activationIndex, fq_->layers()[2].index);
  }

  // An all-fp32 plan runs the fp32 model exactly (the segments are the same float operations).
  void fp32PlanIsTheFp32Model() {
    Tensor in = eval_.images;
    in.shape = {static_cast<std::int64_t>(eval_.labels.size()), 1, 28, 28};
    const Tensor a = fq_->run(fq_->uniformPlan(kFp32, kFp32), in);
    const Tensor b = forward(fragile_, in);
    QCOMPARE(a.shape, b.shape);
    QVERIFY(bitEqual(a.data, b.data));
  }

  void weightsMatchEngine_data() {
    QTest::addColumn<int>("layer");
    QTest::addColumn<int>("bits");
    for (int k = 0; k < 3; ++k)
      for (int b : {2, 3, 4, 8, 16}) QTest::addRow("fc%d int%d", k + 1, b) << k << b;
  }
  // The fake-quantized weights are the engine's fakeQuantize with max|W| per output channel, and
  // that is exactly what the model runs with.
  void weightsMatchEngine() {
    QFETCH(int, layer);
    QFETCH(int, bits);
    const auto k = static_cast<std::size_t>(layer);
    const Layer& l = fragile_.layers[fq_->layers()[k].index];
    QuantSpec spec;
    spec.bits = bits;
    spec.scheme = Scheme::Symmetric;
    spec.narrowRange = true;
    spec.granularity = Granularity::PerChannel;
    spec.axis = 0;
    std::vector<Range> ranges;
    for (Eigen::Index o = 0; o < l.weight.rows(); ++o) {
      const float m = l.weight.row(o).cwiseAbs().maxCoeff();
      ranges.push_back({-m, m});
    }
    const std::int64_t shape[2] = {l.weight.rows(), l.weight.cols()};
    const QuantParams p = makeParams(spec, shape, ranges);
    std::vector<float> expect(static_cast<std::size_t>(l.weight.size()));
    fakeQuantize(std::span<const float>(l.weight.data(), expect.size()), p, expect);
    const RowMatrix got = fq_->fakeQuantizedWeight(k, bits);
    QVERIFY(bitEqual(std::span<const float>(got.data(), expect.size()), expect));
    // Every row lands on its own grid: at most 2^bits - 1 distinct values.
    for (Eigen::Index o = 0; o < got.rows(); ++o) {
      std::vector<float> row(got.row(o).data(), got.row(o).data() + got.cols());
      std::sort(row.begin(), row.end());
      const auto distinct = std::unique(row.begin(), row.end()) - row.begin();
      QVERIFY(distinct <= (std::int64_t{1} << bits) - 1);
    }
    // The weight-only plan equals forward() of a model holding those weights.
    Model m = fragile_;
    m.layers[fq_->layers()[k].index].weight = got;
    PrecisionPlan plan = fq_->uniformPlan(kFp32, kFp32);
    plan[k].weightBits = bits;
    const Dataset small = sliceDataset(eval_, 0, 64);
    Tensor in = small.images;
    const Tensor a = fq_->run(plan, in);
    const Tensor b = forward(m, in);
    QVERIFY(bitEqual(a.data, b.data));
  }

  // The activation of a layer is fakeQuantize'd with the range calibrate() finds on the fp32
  // values of the calibration images, after the fused ReLU.
  void activationMatchesCalibration() {
    const std::size_t k = 0;
    const int bits = 4;
    Model prefix = fragile_;
    prefix.layers.resize(fq_->layers()[k].activationIndex + 1);
    prefix.output.clear();
    prefix.finalize();
    const Tensor act = forward(prefix, calib_.images);
    QuantSpec spec;
    spec.bits = bits;
    spec.scheme = Scheme::Asymmetric;
    const Range r = calibrate(act.data, spec, CalibrationConfig{}).range;
    const QuantParams got = fq_->activationParams(k, bits, 10);
    const ScaleZeroPoint want = chooseParams(spec, r.lo, r.hi);
    QCOMPARE(got.scales[0], want.scale);
    QCOMPARE(got.zeroPoints[0], want.zeroPoint);
    QCOMPARE(r.lo, 0.0f);  // after the ReLU
  }

  void sizeBytes() {
    const std::int64_t params = fragile_.parameterCount();
    QCOMPARE(fq_->sizeBytes(fq_->uniformPlan(kFp32, kFp32)), 4 * params);
    std::int64_t want = 8;  // the graph input's scale and zero point (the first layer is integer)
    for (const QuantizableLayer& q : fq_->layers())
      want += (4 * q.weights + 7) / 8 + 4 * q.channels + 4 * q.biases + 8;
    QCOMPARE(fq_->sizeBytes(fq_->uniformPlan(4, 4)), want);
    QVERIFY(fq_->sizeBytes(fq_->uniformPlan(8, 8)) < 4 * params / 3);
  }

  void fragileLayerRankedFirst_data() {
    QTest::addColumn<int>("mode");
    QTest::addRow("propagated") << static_cast<int>(SensitivityMode::Propagated);
    QTest::addRow("isolated") << static_cast<int>(SensitivityMode::Isolated);
    QTest::addRow("both") << static_cast<int>(SensitivityMode::Both);
  }
  void fragileLayerRankedFirst() {
    QFETCH(int, mode);
    SensitivityOptions o;
    o.bits = 4;
    const SensitivityReport rep = analyzeSensitivity(*fq_, eval_, o);
    QVERIFY(!rep.cancelled);
    QCOMPARE(rep.layers.size(), std::size_t{3});
    const auto order = rankByDamage(rep, static_cast<SensitivityMode>(mode));
    QCOMPARE(order.front(), fragileLayer_);
    const LayerSensitivity& f = rep.layers[fragileLayer_];
    // Quantizing fc2 alone wrecks the model; everything but fc2 keeps most of it.
    QVERIFY2(f.only.agreement < 0.5, qPrintable(QString::number(f.only.agreement)));
    QVERIFY(f.allBut.accuracy > rep.all.accuracy + 0.2);
    QVERIFY(f.isolatedDamageSqnrDb < 3.0);
    for (std::size_t k = 0; k < 3; ++k) {
      if (k == fragileLayer_) continue;
      QVERIFY(rep.layers[k].isolatedDamageSqnrDb > f.isolatedDamageSqnrDb + 6.0);
      QVERIFY(rep.layers[k].only.agreement > f.only.agreement);
    }
    // The first quantized layer: the logger (propagated) and shadow (isolated) views coincide.
    QCOMPARE(rep.layers[0].loggerSqnrDb, rep.all.isolatedSqnrDb[0]);
    // Downstream of fc2 the logger view carries its error: far below the isolated view.
    QVERIFY(rep.all.propagatedSqnrDb[2] < rep.all.isolatedSqnrDb[2] - 6.0);
  }

  // The isolated SQNR measured directly (each layer re-run on the fp32 input inside the fully
  // quantized network) equals what the report derives from the single-layer runs.
  void isolatedMatchesShadowRun() {
    SensitivityOptions o;
    o.bits = 5;
    const Dataset d = sliceDataset(eval_, 0, 700);
    const SensitivityReport rep = analyzeSensitivity(*fq_, d, o);
    const PrecisionPlan all = fq_->uniformPlan(5, 5);
    EvaluateOptions eo;
    eo.chunk = 100;
    const std::vector<PlanResult> direct = evaluatePlans(*fq_, std::span(&all, 1), d, eo);
    QCOMPARE(direct.size(), std::size_t{1});
    for (std::size_t k = 0; k < 3; ++k) {
      QVERIFY(std::abs(direct[0].isolatedSqnrDb[k] - rep.all.isolatedSqnrDb[k]) < 1e-6);
      QVERIFY(std::abs(direct[0].isolatedSqnrDb[k] - rep.layers[k].isolatedDamageSqnrDb) < 1e-6);
      QVERIFY(std::abs(direct[0].propagatedSqnrDb[k] - rep.layers[k].loggerSqnrDb) < 1e-6);
    }
    QCOMPARE(direct[0].accuracy, rep.all.accuracy);  // chunking does not change the counts
    eo.isolated = false;
    const std::vector<PlanResult> none = evaluatePlans(*fq_, std::span(&all, 1), d, eo);
    QVERIFY(std::isnan(none[0].isolatedSqnrDb[1]));
  }

  // At 16 bits even the outlier layer is harmless.
  void sixteenBitsHarmless() {
    SensitivityOptions o;
    o.bits = 16;
    const SensitivityReport rep = analyzeSensitivity(*fq_, eval_, o);
    QVERIFY(rep.all.agreement >= 0.99);
    QVERIFY(std::abs(rep.all.accuracy - rep.fp32Accuracy) <= 0.01);
    for (const LayerSensitivity& l : rep.layers) {
      QVERIFY2(l.only.agreement >= 0.99, l.layer.name.c_str());
      QVERIFY2(l.only.outputSqnrDb > 30.0, l.layer.name.c_str());
      QVERIFY(l.allBut.agreement >= 0.99);
    }
  }

  // The healthy model's per-layer sweeps: more bits, less isolated error (about 6 dB per bit).
  void sweepImprovesWithBits() {
    SensitivityOptions o;
    o.bits = 8;
    o.sweep = true;
    const SensitivityReport rep = analyzeSensitivity(*healthyFq_, sliceDataset(eval_, 0, 500), o);
    for (const LayerSensitivity& l : rep.layers) {
      QCOMPARE(l.weightSweep.size(), std::size_t{7});
      QCOMPARE(l.activationSweep.size(), std::size_t{7});
      for (const auto* sweep : {&l.weightSweep, &l.activationSweep}) {
        QCOMPARE(sweep->front().bits, 2);
        QCOMPARE(sweep->back().bits, 8);
        for (std::size_t i = 1; i < sweep->size(); ++i)
          QVERIFY2((*sweep)[i].isolatedSqnrDb > (*sweep)[i - 1].isolatedSqnrDb,
                   l.layer.name.c_str());
        const double perBit = (sweep->back().isolatedSqnrDb - (*sweep)[2].isolatedSqnrDb) / 4.0;
        QVERIFY2(perBit > 4.0 && perBit < 8.0, qPrintable(QString::number(perBit)));
        QVERIFY(sweep->back().agreement > 0.97);
      }
    }
  }

  void mixedMeetsBudget_data() {
    QTest::addColumn<int>("bits");
    QTest::addColumn<int>("high");
    QTest::addColumn<double>("budget");
    QTest::addRow("int4, fp32 high, 1 pp") << 4 << kFp32 << 1.0;
    QTest::addRow("int4, int16 high, 2 pp") << 4 << 16 << 2.0;
    QTest::addRow("int3, fp32 high, 0.5 pp") << 3 << kFp32 << 0.5;
    QTest::addRow("int8, fp32 high, 0 pp") << 8 << kFp32 << 0.0;
  }
  // Verified on the data it was chosen on, the proposal always holds its budget; the outlier
  // layer is the first one kept high.
  void mixedMeetsBudget() {
    QFETCH(int, bits);
    QFETCH(int, high);
    QFETCH(double, budget);
    MixedOptions o;
    o.bits = bits;
    o.highBits = high;
    o.budgetPoints = budget;
    const Dataset val = sliceDataset(eval_, 0, 600);
    const MixedResult r = proposeMixedPrecision(*fq_, val, val, o);
    QVERIFY(!r.cancelled);
    QVERIFY(r.budgetMetValidation);
    QVERIFY(r.budgetMetTest);
    QCOMPARE(r.fp32TestAccuracy, r.fp32ValidationAccuracy);
    QVERIFY((r.fp32TestAccuracy - r.proposalTest.accuracy) * 100.0 <= budget + 1e-9);
    QCOMPARE(r.proposalTest.accuracy, r.proposalValidation.accuracy);
    std::size_t highCount = 0;
    for (std::size_t k = 0; k < r.high.size(); ++k) {
      QCOMPARE(r.plan[k].weightBits, r.high[k] ? high : bits);
      QCOMPARE(r.plan[k].activationBits, r.high[k] ? high : bits);
      highCount += r.high[k] ? 1 : 0;
    }
    QCOMPARE(r.steps.size(), highCount);
    if (bits <= 4) {
      QVERIFY(!r.steps.empty());
      QCOMPARE(r.steps.front().layer, fragileLayer_);
    }
    QCOMPARE(r.proposalTest.sizeBytes, fq_->sizeBytes(r.plan));
    QVERIFY(r.proposalTest.sizeBytes <= r.fp32SizeBytes);
    QVERIFY(r.proposalTest.sizeBytes >= r.allLowTest.sizeBytes);
  }

  void cancel_data() {
    QTest::addColumn<int>("after");
    QTest::addRow("at once") << 0;
    QTest::addRow("midway") << 3;
  }
  void cancel() {
    QFETCH(int, after);
    int calls = 0;
    double last = -1;
    bool monotone = true;
    ProgressFn stop = [&](double f) {
      monotone = monotone && f >= last && f <= 1.0;
      last = f;
      return calls++ < after;
    };
    SensitivityOptions o;
    o.bits = 4;
    o.chunk = 100;
    const SensitivityReport rep = analyzeSensitivity(*fq_, eval_, o, stop);
    QVERIFY(rep.cancelled);
    QVERIFY(rep.layers.empty());
    QCOMPARE(calls, after + 1);  // stops at the first false
    QVERIFY(monotone);

    calls = 0;
    MixedOptions mo;
    mo.bits = 4;
    mo.chunk = 100;
    const MixedResult mr = proposeMixedPrecision(*fq_, eval_, eval_, mo, stop);
    QVERIFY(mr.cancelled);
    QCOMPARE(calls, after + 1);

    // Without cancelling, progress reaches 1.
    last = -1;
    SensitivityOptions small;
    small.bits = 8;
    const SensitivityReport ok =
        analyzeSensitivity(*fq_, sliceDataset(eval_, 0, 300), small, [&](double f) {
          last = f;
          return true;
        });
    QVERIFY(!ok.cancelled);
    QCOMPARE(last, 1.0);
  }

  // The command line finds the planted outlier too, and the mixed proposal keeps it high.
  void cli() {
    if (!QFile::exists(QStringLiteral(QUANTLAB_CLI))) QSKIP("quantlab-cli is not built");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString onnx = dir.filePath("fragile.onnx");
    saveOnnxModel(fragile_, onnx.toStdString());
    const QStringList common{"--model", onnx, "--limit", "500", "--calib-images", "100", "--json"};
    ProcessRun r = runCli(QStringList{"sensitivity", "--bits", "4", "--mode", "isolated"} + common);
    QCOMPARE(r.exitCode, 0);
    QJsonObject j = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(j["bits"].toInt(), 4);
    QCOMPARE(j["test_images"].toInt(), 500);
    const QJsonArray layers = j["layers"].toArray();
    QCOMPARE(layers.size(), 3);
    QCOMPARE(layers[0].toObject()["name"].toString(), QString("fc2"));
    QCOMPARE(layers[0].toObject()["rank"].toInt(), 1);

    r = runCli(QStringList{"mixed", "--bits", "4", "--budget", "1", "--val-images", "500"} +
               common);
    QCOMPARE(r.exitCode, 0);
    j = QJsonDocument::fromJson(r.out).object();
    QVERIFY(j["validation"].toObject()["budget_met"].toBool());
    const QJsonArray plan = j["layers"].toArray();
    QCOMPARE(plan.size(), 3);
    QVERIFY(plan[1].toObject()["high"].toBool());
    QCOMPARE(plan[1].toObject()["precision"].toString(), QString("fp32"));
    QCOMPARE(j["steps"].toArray()[0].toObject()["layer"].toString(), QString("fc2"));

    // Usage errors exit 2, data errors 1.
    QCOMPARE(runCli({"sensitivity", "--bits", "1"}).exitCode, 2);
    QCOMPARE(runCli({"sensitivity", "--mode", "shadow"}).exitCode, 2);
    QCOMPARE(runCli({"sensitivity", "--calib", "median"}).exitCode, 2);
    QCOMPARE(runCli({"mixed", "--bits", "4"}).exitCode, 2);  // no --budget
    QCOMPARE(runCli({"mixed", "--budget", "1", "--high", "int8"}).exitCode, 2);
    QCOMPARE(runCli({"sensitivity", "--model", dir.filePath("missing.onnx")}).exitCode, 1);
  }

  void errors() {
    // Plans must match the layers and use calibrated activation widths.
    QVERIFY_THROWS_EXCEPTION(Error, fq_->validatePlan(PrecisionPlan(2)));
    QVERIFY_THROWS_EXCEPTION(Error, fq_->validatePlan(fq_->uniformPlan(4, 12)));
    QVERIFY_THROWS_EXCEPTION(Error, fq_->validatePlan(fq_->uniformPlan(1, 4)));
    QVERIFY_THROWS_EXCEPTION(Error, fq_->validatePlan(fq_->uniformPlan(17, 4)));
    fq_->validatePlan(fq_->uniformPlan(12, kFp32));  // weights need no calibration
    // A residual (non-chain) graph is refused.
    Model res;
    res.inputShape = {4};
    Layer a;
    a.type = LayerType::Linear;
    a.name = "a";
    a.inputs = {"input"};
    a.output = "a";
    a.weight = RowMatrix::Ones(4, 4);
    Layer add;
    add.type = LayerType::Add;
    add.name = "add";
    add.inputs = {"a", "input"};
    add.output = "add";
    res.layers = {a, add};
    res.finalize();
    Tensor in;
    in.shape = {1, 4};
    in.data = {1, 2, 3, 4};
    const int bits[] = {8};
    QVERIFY_THROWS_EXCEPTION(Error, FakeQuantModel(res, in, QuantRecipe{}, bits));
    // Empty calibration set.
    Tensor empty;
    empty.shape = {0, 1, 28, 28};
    QVERIFY_THROWS_EXCEPTION(Error, FakeQuantModel(healthy_, empty, QuantRecipe{}, bits));
    MixedOptions mo;
    mo.bits = 8;
    mo.highBits = 4;
    QVERIFY_THROWS_EXCEPTION(Error, proposeMixedPrecision(*fq_, eval_, eval_, mo));
  }
};

QTEST_GUILESS_MAIN(TstSensitivity)
#include "tst_sensitivity.moc"
