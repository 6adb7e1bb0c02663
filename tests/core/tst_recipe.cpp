// SPDX-License-Identifier: GPL-3.0-or-later
// The quantization recipe (quant/nn/recipe.h) and the one model-size count (modelsize.h): the
// recipe round-trips through its JSON, PTQ / sensitivity / QAT carry the very recipe they were
// given and derive the same grids from it, and the shipped MLP's sizes are the published ones
// whichever tool counts them.
#include <QtTest>

#include "quant/base/resources.h"
#include "quant/nn/int8model.h"
#include "quant/nn/modelsize.h"
#include "quant/nn/qat.h"
#include "quant/nn/recipe.h"
#include "quant/nn/sensitivity.h"
#include "randomimages.h"

using namespace quant;

class TstRecipe : public QObject {
  Q_OBJECT

  Model mlp_;

 private slots:
  void initTestCase() { mlp_ = loadOnnxModel(resolveModelPath("mlp")); }

  void roundTripsThroughJson_data() {
    QTest::addColumn<int>("weightBits");
    QTest::addColumn<int>("actBits");
    QTest::addColumn<bool>("narrow");
    QTest::addColumn<bool>("symmetric");
    QTest::addColumn<bool>("perChannel");
    QTest::addColumn<bool>("isSigned");
    QTest::addColumn<QString>("calibration");
    QTest::addRow("int8 engine") << 8 << 8 << true << true << true << true << "minmax";
    QTest::addRow("W4A4 percentile") << 4 << 4 << true << true << true << true << "percentile:99.9";
    QTest::addRow("per tensor, full range") << 6 << 8 << false << true << false << true << "mse";
    QTest::addRow("asymmetric weights, unsigned")
        << 3 << 5 << false << false << true << false << "entropy";
  }
  void roundTripsThroughJson() {
    QFETCH(int, weightBits);
    QFETCH(int, actBits);
    QFETCH(bool, narrow);
    QFETCH(bool, symmetric);
    QFETCH(bool, perChannel);
    QFETCH(bool, isSigned);
    QFETCH(QString, calibration);
    QuantRecipe r;
    r.weights = {weightBits, narrow, symmetric, perChannel};
    r.activations.bits = actBits;
    r.activations.isSigned = isSigned;
    r.activations.calibration = parseCalibration(calibration.toStdString());
    const std::string json = recipeJson(r);
    QVERIFY(recipeFromJson(json) == r);
    QCOMPARE(recipeJson(recipeFromJson(json)), json);
  }

  void printsTheDocumentedFields() {
    QCOMPARE(QString::fromStdString(recipeJson(QuantRecipe{})),
             QStringLiteral("{\"activations\":{\"bits\":8,\"calibration\":\"minmax\",\"signed\":"
                            "true},\"weights\":{\"bits\":8,\"narrow_range\":true,\"per_channel\":"
                            "true,\"symmetric\":true}}"));
    QCOMPARE(QString::fromStdString(QuantRecipe{}.withBits(4, 4).describe()),
             QStringLiteral("W4 narrow symmetric per-channel, A4 signed asymmetric per-tensor "
                            "(minmax)"));
  }

  void rejectsBadJson_data() {
    QTest::addColumn<QString>("json");
    QTest::addRow("not JSON") << "{";
    QTest::addRow("no activations") << R"({"weights":{"bits":8,"narrow_range":true,)"
                                       R"("symmetric":true,"per_channel":true}})";
    QTest::addRow("1-bit weights")
        << R"({"weights":{"bits":1,"narrow_range":true,"symmetric":true,"per_channel":true},)"
           R"("activations":{"bits":8,"signed":true,"calibration":"minmax"}})";
    QTest::addRow("unknown calibration")
        << R"({"weights":{"bits":8,"narrow_range":true,"symmetric":true,"per_channel":true},)"
           R"("activations":{"bits":8,"signed":true,"calibration":"magic"}})";
  }
  void rejectsBadJson() {
    QFETCH(QString, json);
    QVERIFY_THROWS_EXCEPTION(Error, recipeFromJson(json.toStdString()));
  }

  // PTQ, the sensitivity analysis and QAT keep the recipe they were given, and at 4 bits the
  // sensitivity analysis and QAT's PTQ baseline derive the same weight scales and activation
  // grids from it (same calibration images).
  void oneRecipeInPtqSensitivityAndQat() {
    const Dataset calib = randomImages(mlp_, 64, 1);
    const QuantRecipe int8;
    QVERIFY(quantizeModel(mlp_, calib.images, int8).recipe == int8);
    const int bits[] = {4, 8};
    const FakeQuantModel fq(mlp_, calib.images, int8, bits);
    QVERIFY(fq.recipe() == int8);

    QatConfig cfg;
    QVERIFY(cfg.recipe == int8.withBits(4, 4));
    cfg.calibrationSamples = 64;
    const QatParams ptq = calibrateQat(mlp_, calib, cfg);
    QVERIFY(ptq.recipe == cfg.recipe);
    QCOMPARE(ptq.weightSpec().describe(), fq.weightParams(0, 4).spec.describe());
    QCOMPARE(ptq.activationSpec().describe(), cfg.recipe.activations.spec().describe());
    for (std::size_t k = 0; k < fq.layers().size(); ++k)
      QCOMPARE(ptq.weights[k].scales, fq.weightParams(k, 4).scales);
    // activations[0] is QAT's input point; [1] the first Linear's output after its ReLU.
    const QuantParams a = fq.activationParams(0, 4, 1);
    QCOMPARE(ptq.activations[1].scale, a.scales[0]);
    QCOMPARE(ptq.activations[1].zeroPoint, a.zeroPoints[0]);
  }

  void int8EngineRefusesOtherRecipes_data() {
    QTest::addColumn<int>("weightBits");
    QTest::addColumn<int>("actBits");
    QTest::addColumn<bool>("narrow");
    QTest::addColumn<bool>("isSigned");
    QTest::addRow("W4A8") << 4 << 8 << true << true;
    QTest::addRow("W8A4") << 8 << 4 << true << true;
    QTest::addRow("full-range weights") << 8 << 8 << false << true;
    QTest::addRow("unsigned activations") << 8 << 8 << true << false;
  }
  void int8EngineRefusesOtherRecipes() {
    QFETCH(int, weightBits);
    QFETCH(int, actBits);
    QFETCH(bool, narrow);
    QFETCH(bool, isSigned);
    QuantRecipe r = QuantRecipe{}.withBits(weightBits, actBits);
    r.weights.narrowRange = narrow;
    r.activations.isSigned = isSigned;
    QVERIFY_THROWS_EXCEPTION(Error, quantizeModel(mlp_, randomImages(mlp_, 8, 2).images, r));
  }

  // The shipped MLP (784-256-128-10): the sizes quantlab-cli eval, bench, sensitivity and the
  // model view show. Sensitivity's uniform plans count through the same function.
  void shippedMlpSizes_data() {
    QTest::addColumn<int>("weightBits");
    QTest::addColumn<int>("actBits");
    QTest::addColumn<qint64>("total");
    QTest::addRow("fp32") << kFp32 << kFp32 << qint64{940584};
    QTest::addRow("int8 static") << 8 << 8 << qint64{237936};
    QTest::addRow("int8 weights (dynamic, weight-only)") << 8 << kFp32 << qint64{237904};
    // 4-bit codes packed two per byte: 234752 / 2 weights.
    QTest::addRow("W4A4") << 4 << 4 << qint64{117376 + 1576 + 1576 + 32};
  }
  void shippedMlpSizes() {
    QFETCH(int, weightBits);
    QFETCH(int, actBits);
    QFETCH(qint64, total);
    const ModelBytes b = modelBytes(mlp_, uniformPlan(mlp_, weightBits, actBits), QuantRecipe{});
    QCOMPARE(b.total(), total);
    const int bits[] = {actBits == kFp32 ? 8 : actBits};
    const FakeQuantModel fq(mlp_, randomImages(mlp_, 16, 3).images, QuantRecipe{}, bits);
    QCOMPARE(fq.sizeBytes(fq.uniformPlan(weightBits, actBits)), total);
  }

  void sizeDetail() {
    const ModelBytes b = modelBytes(mlp_, uniformPlan(mlp_, 8, 8), QuantRecipe{});
    QCOMPARE(b.weights, std::int64_t{784 * 256 + 256 * 128 + 128 * 10});
    QCOMPARE(b.bias, std::int64_t{4 * (256 + 128 + 10)});
    QCOMPARE(b.weightScales, std::int64_t{4 * (256 + 128 + 10)});
    QCOMPARE(b.activationParams, std::int64_t{8 * 4});  // the input and three outputs
    QuantRecipe perTensor;
    perTensor.weights.perChannel = false;
    QCOMPARE(modelBytes(mlp_, uniformPlan(mlp_, 8, 8), perTensor).weightScales, std::int64_t{12});
    // The graph input's parameters are needed only when the first layer runs integer-only.
    PrecisionPlan plan = uniformPlan(mlp_, 8, 8);
    plan[0].activationBits = kFp32;
    QCOMPARE(modelBytes(mlp_, plan, QuantRecipe{}).activationParams, std::int64_t{8 * 2});
    plan.pop_back();
    QVERIFY_THROWS_EXCEPTION(Error, modelBytes(mlp_, plan, QuantRecipe{}));
  }
};

QTEST_APPLESS_MAIN(TstRecipe)
#include "tst_recipe.moc"
