// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of quantization-aware training: the fake-quant primitive against the engine's rounding,
// the straight-through estimator, the LSQ scale gradient against finite differences, weights on
// the integer grid (also through ONNX), determinism, cancellation, calibration, and QAT beating
// PTQ at 4 bits on a Fashion-MNIST subset with the shipped MLP.
#include <QtTest>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <random>

#include "quant/io/dataset.h"
#include "quant/nn/model.h"
#include "quant/nn/qat.h"
#include "quant/nn/train.h"
#include "quant/numeric/quantize.h"

using namespace quant;

namespace {

double uniform(std::mt19937_64& rng, double lo, double hi) {
  return lo + (hi - lo) * static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

// Synthetic 3-class images [n, 1, 6, 6] in [0, 1]: the class is which third of the image is
// brightest, plus noise, so a small model learns it.
Dataset synthetic(int n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Dataset d;
  d.images.shape = {n, 1, 6, 6};
  for (int i = 0; i < n; ++i) {
    const int label = static_cast<int>(rng() % 3);
    for (int y = 0; y < 6; ++y)
      for (int x = 0; x < 6; ++x) {
        const double v = uniform(rng, 0, 0.5) + (x / 2 == label ? 0.5 : 0.0);
        d.images.data.push_back(static_cast<float>(v));
      }
    d.labels.push_back(static_cast<std::uint8_t>(label));
  }
  return d;
}

Model smallModel(bool cnn, std::uint64_t seed) {
  if (!cnn) return makeMlp(seed, {16, 8}, {1, 6, 6}, 3);
  // makeCnn expects 28x28 inputs, so build a tiny conv chain by hand.
  Model m;
  m.inputShape = {1, 6, 6};
  std::mt19937_64 rng(seed);
  auto fill = [&](Layer& l, int out, int in) {
    l.weight.resize(out, in);
    for (Eigen::Index i = 0; i < l.weight.size(); ++i)
      l.weight.data()[i] = static_cast<float>(uniform(rng, -1, 1) * std::sqrt(6.0 / in));
    l.bias = Eigen::VectorXf::Zero(out);
  };
  std::string prev = m.input;
  auto add = [&](Layer l) {
    l.inputs = {prev};
    l.output = l.name;
    prev = l.output;
    m.layers.push_back(std::move(l));
  };
  Layer c;
  c.type = LayerType::Conv2d;
  c.name = "conv1";
  c.kernelH = c.kernelW = 3;
  c.padTop = c.padLeft = c.padBottom = c.padRight = 1;
  fill(c, 4, 9);
  add(std::move(c));
  Layer r;
  r.type = LayerType::ReLU;
  r.name = "relu1";
  add(r);
  Layer p;
  p.type = LayerType::MaxPool2d;
  p.name = "pool1";
  p.kernelH = p.kernelW = p.strideH = p.strideW = 2;
  add(std::move(p));
  Layer f;
  f.type = LayerType::Flatten;
  f.name = "flatten";
  add(std::move(f));
  Layer fc;
  fc.type = LayerType::Linear;
  fc.name = "fc1";
  fill(fc, 3, 36);
  add(std::move(fc));
  m.finalize();
  return m;
}

Model pretrained(bool cnn) {
  TrainConfig tc;
  tc.epochs = 3;
  tc.batch = 32;
  tc.lr = 3e-3;
  const Dataset d = synthetic(600, 11);
  return trainModel(smallModel(cnn, 5), d, Dataset{}, tc).model;
}

bool sameBits(const Model& a, const Model& b) {
  if (a.layers.size() != b.layers.size()) return false;
  for (std::size_t i = 0; i < a.layers.size(); ++i) {
    const Layer& x = a.layers[i];
    const Layer& y = b.layers[i];
    if (x.weight.size() != y.weight.size() || x.bias.size() != y.bias.size()) return false;
    if (x.weight.size() &&
        std::memcmp(x.weight.data(), y.weight.data(), sizeof(float) * x.weight.size()) != 0)
      return false;
    if (x.bias.size() &&
        std::memcmp(x.bias.data(), y.bias.data(), sizeof(float) * x.bias.size()) != 0)
      return false;
  }
  return true;
}

// The reference "clipped" test in double: round-half-even(float(x / s)) + z outside the codes.
bool clippedRef(float x, float s, int z, int qmin, int qmax) {
  const double c = std::nearbyint(static_cast<double>(x / s)) + z;
  return c < qmin || c > qmax;
}

Dataset subset(const Dataset& d, std::size_t n) {
  Dataset r;
  r.images.shape = d.images.shape;
  r.images.shape[0] = static_cast<std::int64_t>(n);
  const std::size_t per = d.images.data.size() / d.labels.size();
  r.images.data.assign(d.images.data.begin(),
                       d.images.data.begin() + static_cast<std::ptrdiff_t>(n * per));
  r.labels.assign(d.labels.begin(), d.labels.begin() + static_cast<std::ptrdiff_t>(n));
  return r;
}

}  // namespace

class TestQat : public QObject {
  Q_OBJECT

 private slots:
  void fakeQuantPointIsTheEngineRounding_data() {
    QTest::addColumn<int>("bits");
    QTest::addColumn<bool>("isSigned");
    QTest::addRow("uint4") << 4 << false;
    QTest::addRow("int4") << 4 << true;
    QTest::addRow("uint2") << 2 << false;
    QTest::addRow("int8") << 8 << true;
  }
  void fakeQuantPointIsTheEngineRounding() {
    QFETCH(int, bits);
    QFETCH(bool, isSigned);
    QuantSpec spec;
    spec.bits = bits;
    spec.isSigned = isSigned;
    const int qmin = spec.qmin(), qmax = spec.qmax();
    std::mt19937_64 rng(bits * 2 + isSigned);
    int ties = 0;
    for (int i = 0; i < 20000; ++i) {
      const float s = static_cast<float>(std::exp(uniform(rng, -6, 2)));
      const int z = qmin + static_cast<int>(rng() % static_cast<unsigned>(qmax - qmin + 1));
      // Exact half-steps exercise ties-to-even; the rest spreads over and beyond the grid.
      float x = i % 4 == 0 ? s * static_cast<float>(static_cast<int>(rng() % 40) - 20 + 0.5)
                           : static_cast<float>(uniform(rng, -1.5, 1.5) * s * (qmax - qmin));
      if (i % 4 == 0 && std::abs(x / s - std::trunc(x / s)) == 0.5f) ++ties;
      const auto f = detail::fakeQuantPoint(x, s, z, qmin, qmax);
      const float want = dequantizeValue(quantizeValue(x, s, z, qmin, qmax), s, z);
      QCOMPARE(f.value, want);
      QCOMPARE(f.inside, !clippedRef(x, s, z, qmin, qmax));
    }
    QVERIFY(ties > 1000);
    // Huge and non-finite inputs stay well defined (no out-of-range float->int conversion).
    const auto big = detail::fakeQuantPoint(1e30f, 0.1f, 0, qmin, qmax);
    QCOMPARE(big.value, 0.1f * static_cast<float>(qmax));
    QVERIFY(!big.inside);
    const auto ninf = detail::fakeQuantPoint(-INFINITY, 0.1f, 0, qmin, qmax);
    QCOMPARE(ninf.value, 0.1f * static_cast<float>(qmin));
    QVERIFY(!ninf.inside);
    const auto nan = detail::fakeQuantPoint(NAN, 0.1f, 0, qmin, qmax);
    QVERIFY(nan.inside);
    QCOMPARE(nan.dScale, 0.0f);
  }

  // The STE: the backward pass leaves the incoming gradient bit-identical where the value was
  // inside the grid and makes it exactly 0 where it was clipped.
  void steGradientIsZeroWhereClippedAndIdentityElsewhere_data() {
    QTest::addColumn<int>("zeroPoint");
    QTest::addRow("z=0 (after ReLU)") << 0;
    QTest::addRow("z=7 (signed range)") << 7;
    QTest::addRow("z=15 (all negative)") << 15;
  }
  void steGradientIsZeroWhereClippedAndIdentityElsewhere() {
    QFETCH(int, zeroPoint);
    const int qmin = 0, qmax = 15;
    const float s = 0.37f;
    std::mt19937_64 rng(static_cast<std::uint64_t>(zeroPoint) + 1);
    std::vector<float> x(5000), g(5000);
    for (std::size_t i = 0; i < x.size(); ++i) {
      x[i] = static_cast<float>(uniform(rng, -12, 12));
      g[i] = static_cast<float>(uniform(rng, -3, 3));
    }
    const std::vector<float> x0 = x, g0 = g;
    detail::FakeQuantTape tape;
    detail::fakeQuantForward(x, s, zeroPoint, qmin, qmax, true, tape);
    (void)detail::fakeQuantBackward(g, tape);
    int clipped = 0, inside = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      QCOMPARE(x[i], dequantizeValue(quantizeValue(x0[i], s, zeroPoint, qmin, qmax), s, zeroPoint));
      if (clippedRef(x0[i], s, zeroPoint, qmin, qmax)) {
        ++clipped;
        QCOMPARE(g[i], 0.0f);
      } else {
        ++inside;
        QCOMPARE(g[i], g0[i]);
      }
    }
    QVERIFY2(clipped > 500 && inside > 500,
             qPrintable(QString("clipped %1 inside %2").arg(clipped).arg(inside)));
  }

  // LSQ's d x_hat / d s is the true derivative of the fake-quant function with the rounding
  // passed straight through: away from rounding boundaries the function is s * (q - z) with q
  // fixed, so a finite difference gives q - z; LSQ adds the STE term -x/s inside the grid and
  // nothing where the value is clipped (there the finite difference is qmin - z or qmax - z).
  void lsqScaleGradientMatchesFiniteDifferences() {
    std::mt19937_64 rng(42);
    const int qmin = -8, qmax = 7;
    int checkedInside = 0, checkedClipped = 0;
    for (int i = 0; i < 20000; ++i) {
      const double s = std::exp(uniform(rng, -4, 1));
      const int z = static_cast<int>(rng() % 5) - 2;
      const double x = uniform(rng, -14, 14) * s;
      const double t = x / s;
      // Away from rounding boundaries (half-integers) and from the clipping edges.
      if (std::abs(t - std::floor(t) - 0.5) < 0.05) continue;
      const double h = 1e-4 * s;
      auto f = [&](double sc) {
        const double q = std::clamp(std::nearbyint(x / sc) + z, double{qmin}, double{qmax});
        return sc * (q - z);
      };
      const double fd = (f(s + h) - f(s - h)) / (2 * h);
      const auto p =
          detail::fakeQuantPoint(static_cast<float>(x), static_cast<float>(s), z, qmin, qmax);
      const double xs = static_cast<double>(static_cast<float>(x) / static_cast<float>(s));
      if (p.inside) {
        QVERIFY2(std::abs(p.dScale - (fd - xs)) < 1e-3,
                 qPrintable(QString("x/s %1 dScale %2 fd %3").arg(t).arg(p.dScale).arg(fd)));
        ++checkedInside;
      } else {
        QVERIFY2(std::abs(p.dScale - fd) < 1e-6,
                 qPrintable(QString("x/s %1 dScale %2 fd %3").arg(t).arg(p.dScale).arg(fd)));
        QVERIFY(p.dScale == static_cast<float>(qmin - z) ||
                p.dScale == static_cast<float>(qmax - z));
        ++checkedClipped;
      }
    }
    QVERIFY(checkedInside > 5000 && checkedClipped > 2000);
    // The tensor-level backward returns sum(grad * dScale) over all elements (before masking).
    std::vector<float> x{0.3f, 2.9f, -5.0f, 0.74f}, g{1.0f, 2.0f, -1.5f, 0.5f};
    std::vector<float> xs = x;
    detail::FakeQuantTape tape;
    detail::fakeQuantForward(xs, 0.25f, 0, 0, 7, true, tape);
    double want = 0;
    for (std::size_t i = 0; i < x.size(); ++i)
      want += g[i] * detail::fakeQuantPoint(x[i], 0.25f, 0, 0, 7).dScale;
    QCOMPARE(detail::fakeQuantBackward(g, tape), want);
  }

  void calibrationCoversTheActivationPoints() {
    const Model m = pretrained(true);
    const Dataset d = synthetic(300, 3);
    QatConfig cfg;
    const QatParams p = calibrateQat(m, d, cfg);
    QCOMPARE(p.weights.size(), std::size_t{2});
    QCOMPARE(p.weights[0].name, std::string("conv1"));
    QCOMPARE(p.weights[0].scales.size(), std::size_t{4});
    QCOMPARE(p.activations.size(), std::size_t{3});
    QCOMPARE(p.activations[0].tensor, m.input);
    QCOMPARE(p.activations[1].tensor, std::string("relu1"));
    QCOMPARE(p.activations[2].tensor, std::string("fc1"));
    QVERIFY(p.activations[0].enabled && p.activations[1].enabled);
    QVERIFY(!p.activations[2].enabled);  // logits stay float by default
    // The data spans [0, 1) and ReLU outputs start at 0: real 0 is the lowest signed 4-bit
    // code, zero point -8, lo = 0 exactly.
    for (int i = 0; i < 2; ++i) {
      QCOMPARE(p.activations[i].zeroPoint, -8);
      QCOMPARE(p.activations[i].range.lo, 0.0f);
    }
    QVERIFY(p.activations[0].range.hi > 0.95f && p.activations[0].range.hi <= 1.0f);
    for (std::size_t c = 0; c < 4; ++c) {
      const float m0 = m.layers[0].weight.row(static_cast<Eigen::Index>(c)).cwiseAbs().maxCoeff();
      QVERIFY(std::abs(p.weights[0].scales[c] - m0 / 7.0f) <= 1e-6f * m0);
    }
    cfg.quantizeLogits = true;
    QVERIFY(calibrateQat(m, d, cfg).activations[2].enabled);
    // At 16 bits fake quantization hardly changes a prediction.
    cfg.recipe = cfg.recipe.withBits(16, 16);
    const double a16 = fakeQuantAccuracy(m, calibrateQat(m, d, cfg), d);
    QVERIFY2(std::abs(a16 - accuracy(m, d)) <= 0.01, qPrintable(QString::number(a16)));
  }

  void quantizedWeightsLieOnTheGrid_data() {
    QTest::addColumn<bool>("cnn");
    QTest::addColumn<bool>("lsq");
    QTest::addRow("mlp max|W|") << false << false;
    QTest::addRow("mlp lsq") << false << true;
    QTest::addRow("cnn max|W|") << true << false;
    QTest::addRow("cnn lsq") << true << true;
  }
  void quantizedWeightsLieOnTheGrid() {
    QFETCH(bool, cnn);
    QFETCH(bool, lsq);
    const Model m = pretrained(cnn);
    QatConfig cfg;
    cfg.lsq = lsq;
    cfg.epochs = 1;
    cfg.batch = 32;
    cfg.lr = 1e-3;
    cfg.recipe = cfg.recipe.withBits(3, kFp32);
    const QatResult r = qat(m, synthetic(300, 4), synthetic(200, 5), cfg);
    QVERIFY(!r.cancelled);
    QCOMPARE(r.epochLoss.size(), std::size_t{1});
    QCOMPARE(r.testAccuracy.size(), std::size_t{1});
    // The reported accuracy is what fakeQuantAccuracy measures with the final parameters.
    QCOMPARE(fakeQuantAccuracy(r.model, r.params, synthetic(200, 5)), r.testAccuracy[0]);
    // ... and what the saved model (weights already on the grid) gives with the same parameters.
    QCOMPARE(fakeQuantAccuracy(r.quantizedModel, r.params, synthetic(200, 5)), r.testAccuracy[0]);
    for (std::size_t i = 0; i < r.params.weights.size(); ++i) {
      const WeightQuant& wq = r.params.weights[i];
      const Layer& l = r.quantizedModel.layers[static_cast<std::size_t>(wq.layer)];
      for (Eigen::Index c = 0; c < l.weight.rows(); ++c) {
        const float s = wq.scales[static_cast<std::size_t>(c)];
        QVERIFY(s > 0);
        for (Eigen::Index k = 0; k < l.weight.cols(); ++k) {
          // A grid value is a fixed point of the engine's quantize -> dequantize (the recipe's
          // narrow 3-bit range [-3, 3]).
          const float w = l.weight(c, k);
          const std::int32_t code = quantizeValue(w, s, 0, -3, 3);
          QCOMPARE(dequantizeValue(code, s, 0), w);
          QVERIFY(std::abs(w / s - static_cast<float>(code)) < 1e-4f);
        }
      }
    }
    // Saving as ONNX keeps the values bit for bit.
    const Model back = importOnnxModel(exportOnnxModel(r.quantizedModel), "qat.onnx");
    QVERIFY(sameBits(back, r.quantizedModel));
  }

  void sameSeedSameWeights_data() {
    QTest::addColumn<bool>("cnn");
    QTest::addColumn<bool>("lsq");
    QTest::addRow("mlp") << false << false;
    QTest::addRow("mlp lsq") << false << true;
    QTest::addRow("cnn") << true << false;
  }
  void sameSeedSameWeights() {
    QFETCH(bool, cnn);
    QFETCH(bool, lsq);
    const Model m = pretrained(cnn);
    const Dataset d = synthetic(256, 6);
    QatConfig cfg;
    cfg.lsq = lsq;
    cfg.epochs = 2;
    cfg.batch = 16;
    cfg.lr = 1e-3;
    cfg.seed = 9;
    const QatResult a = qat(m, d, Dataset{}, cfg);
    const QatResult b = qat(m, d, Dataset{}, cfg);
    QVERIFY(sameBits(a.model, b.model));
    QCOMPARE(a.epochLoss, b.epochLoss);
    QVERIFY(a.testAccuracy.empty());
    for (std::size_t i = 0; i < a.params.activations.size(); ++i) {
      QCOMPARE(a.params.activations[i].scale, b.params.activations[i].scale);
      QCOMPARE(a.params.activations[i].zeroPoint, b.params.activations[i].zeroPoint);
    }
    for (std::size_t i = 0; i < a.params.weights.size(); ++i)
      QCOMPARE(a.params.weights[i].scales, b.params.weights[i].scales);
    // Training moved the weights, and another seed (another order) moves them elsewhere.
    QVERIFY(!sameBits(a.model, m));
    cfg.seed = 10;
    QVERIFY(!sameBits(qat(m, d, Dataset{}, cfg).model, a.model));
  }

  void cancelStops() {
    const Model m = pretrained(false);
    QatConfig cfg;
    cfg.epochs = 5;
    cfg.batch = 8;
    int calls = 0;
    cfg.progress = [&](int epoch, int batch, double loss) {
      ++calls;
      return !(epoch == 0 && batch == 2) && std::isfinite(loss);
    };
    const QatResult r = qat(m, synthetic(200, 7), synthetic(50, 8), cfg);
    QVERIFY(r.cancelled);
    QCOMPARE(calls, 3);
    QVERIFY(r.epochLoss.empty());
    QVERIFY(r.testAccuracy.empty());
    QCOMPARE(r.quantizedModel.layers.size(), m.layers.size());
  }

  void epochReportsObserveWithoutChangingTraining_data() {
    QTest::addColumn<bool>("cnn");
    QTest::addColumn<bool>("lsq");
    QTest::addColumn<bool>("withTest");
    QTest::addRow("mlp") << false << false << true;
    QTest::addRow("mlp lsq") << false << true << true;
    QTest::addRow("cnn") << true << false << true;
    QTest::addRow("mlp without test set") << false << false << false;
  }
  void epochReportsObserveWithoutChangingTraining() {
    QFETCH(bool, cnn);
    QFETCH(bool, lsq);
    QFETCH(bool, withTest);
    const Model m = pretrained(cnn);
    const Dataset train = synthetic(200, 12);
    const Dataset test = withTest ? synthetic(90, 13) : Dataset{};
    QatConfig cfg;
    cfg.lsq = lsq;
    cfg.epochs = 3;
    cfg.batch = 16;  // 200 = 12 x 16 + 8: every epoch ends with a short minibatch
    cfg.lr = 1e-3;
    cfg.seed = 4;
    const QatResult plain = qat(m, train, test, cfg);
    std::vector<QatEpochReport> reps;
    int batchesSeen = 0;
    cfg.progress = [&](int, int, double) {
      ++batchesSeen;
      return true;
    };
    cfg.onEpoch = [&](const QatEpochReport& r) {
      // Called at the end of the epoch: every minibatch of it has been reported already.
      QCOMPARE_EQ(r.steps, batchesSeen);
      reps.push_back(r);
    };
    const QatResult observed = qat(m, train, test, cfg);
    // Bit-identical training with and without the observer.
    QVERIFY(sameBits(plain.model, observed.model));
    QVERIFY(sameBits(plain.quantizedModel, observed.quantizedModel));
    QCOMPARE(plain.epochLoss, observed.epochLoss);
    QCOMPARE(plain.testAccuracy, observed.testAccuracy);
    for (std::size_t i = 0; i < plain.params.weights.size(); ++i)
      QCOMPARE(plain.params.weights[i].scales, observed.params.weights[i].scales);
    for (std::size_t i = 0; i < plain.params.activations.size(); ++i)
      QCOMPARE(plain.params.activations[i].scale, observed.params.activations[i].scale);
    // One report per epoch, in order, carrying exactly the stored per-epoch values; the last
    // accuracy is the final QAT accuracy, and it is the accuracy of the saved model.
    QCOMPARE(reps.size(), std::size_t{3});
    for (std::size_t e = 0; e < reps.size(); ++e) {
      QCOMPARE(reps[e].epoch, static_cast<int>(e));
      QCOMPARE(reps[e].steps, static_cast<int>(e + 1) * 13);
      QCOMPARE(reps[e].loss, observed.epochLoss[e]);
      QVERIFY(std::isfinite(reps[e].loss) && reps[e].loss > 0);
      QCOMPARE(reps[e].hasAccuracy, withTest);
      if (withTest) QCOMPARE(reps[e].accuracy, observed.testAccuracy[e]);
    }
    if (withTest)
      QCOMPARE(reps.back().accuracy, fakeQuantAccuracy(observed.model, observed.params, test));
    else
      QVERIFY(observed.testAccuracy.empty());
  }

  void cancelledEpochIsNotReported() {
    const Model m = pretrained(false);
    QatConfig cfg;
    cfg.epochs = 4;
    cfg.batch = 50;  // 4 minibatches per epoch
    std::vector<int> epochs;
    cfg.progress = [&](int epoch, int batch, double) { return !(epoch == 1 && batch == 1); };
    cfg.onEpoch = [&](const QatEpochReport& r) { epochs.push_back(r.epoch); };
    const QatResult r = qat(m, synthetic(200, 7), synthetic(50, 8), cfg);
    QVERIFY(r.cancelled);
    QCOMPARE(epochs, std::vector<int>{0});
    QCOMPARE(r.testAccuracy.size(), std::size_t{1});
  }

  void rejectsBadConfiguration() {
    const Model m = pretrained(false);
    const Dataset d = synthetic(20, 1);
    QatConfig cfg;
    cfg.recipe.weights.bits = 1;
    QVERIFY_THROWS_EXCEPTION(Error, qat(m, d, d, cfg));
    cfg.recipe.weights.bits = 4;
    // The trainer's grids are symmetric per channel, its observer min / max.
    cfg.recipe.weights.perChannel = false;
    QVERIFY_THROWS_EXCEPTION(Error, qat(m, d, d, cfg));
    cfg.recipe.weights.perChannel = true;
    cfg.recipe.activations.calibration.method = CalibrationMethod::Percentile;
    QVERIFY_THROWS_EXCEPTION(Error, qat(m, d, d, cfg));
    cfg.recipe.activations.calibration.method = CalibrationMethod::MinMax;
    cfg.lr = 0;
    QVERIFY_THROWS_EXCEPTION(Error, qat(m, d, d, cfg));
    cfg.lr = 1e-3;
    QVERIFY_THROWS_EXCEPTION(Error, qat(m, Dataset{}, d, cfg));
    // Parameters of another model are refused.
    const QatParams other = calibrateQat(pretrained(true), d, cfg);
    QVERIFY_THROWS_EXCEPTION(Error, fakeQuantAccuracy(m, other, d));
    Dataset wrong = d;
    wrong.images.shape = {20, 1, 36};
    QVERIFY_THROWS_EXCEPTION(Error, fakeQuantAccuracy(m, calibrateQat(m, d, cfg), wrong));
  }

  // The point of QAT: at 4-bit weights and activations, one short epoch of fine-tuning the shipped
  // MLP on 6000 training images beats 4-bit PTQ (the same calibrated parameters, no training).
  void qatBeatsPtqAtFourBits() {
    const std::string path = QUANTLAB_TEST_DATA "/../../resources/models/mlp.onnx";
    if (!std::filesystem::exists(path)) QSKIP("resources/models/mlp.onnx is missing");
    Dataset trainSet, testSet;
    try {
      trainSet = subset(loadFashionMnist(kFashionMnistDir, Split::Train), 6000);
      testSet = subset(loadFashionMnist(kFashionMnistDir, Split::Test), 2000);
    } catch (const Error&) {
      QSKIP("Fashion-MNIST is not installed");
    }
    const Model m = loadOnnxModel(path);
    QatConfig cfg;
    cfg.epochs = 1;
    cfg.seed = 1;
    const QatResult r = qat(m, trainSet, testSet, cfg);
    const double fp32 = accuracy(m, testSet);
    QCOMPARE(r.ptqAccuracy, fakeQuantAccuracy(m, r.ptqParams, testSet));
    const double q = r.testAccuracy.back();
    qInfo("fp32 %.4f  PTQ W4A4 %.4f  QAT W4A4 %.4f", fp32, r.ptqAccuracy, q);
    QVERIFY2(q > r.ptqAccuracy + 0.01,
             qPrintable(QString("QAT %1 PTQ %2").arg(q).arg(r.ptqAccuracy)));
    QVERIFY(r.ptqAccuracy < fp32);
  }
};

QTEST_GUILESS_MAIN(TestQat)
#include "tst_qat.moc"
