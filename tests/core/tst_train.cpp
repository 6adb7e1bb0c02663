// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the MLP trainer: analytic gradients vs central finite differences, loss decrease,
// determinism, a short Fashion-MNIST run, and the shipped resources/models/mlp.onnx.
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <random>

#include "quant/io/dataset.h"
#include "quant/nn/model.h"
#include "quant/nn/train.h"

using namespace quant;

namespace {

// The fp32 test accuracies of resources/models/{mlp,cnn}.onnx as reported when they were
// committed (mlp: train --model mlp --epochs 30 --lr-decay 0.9; cnn: train --model cnn
// --epochs 14 --lr-decay 0.8).
constexpr double kShippedAccuracy = 0.9002;
constexpr double kShippedCnnAccuracy = 0.9213;

bool haveFashionMnist() {
  try {
    (void)loadFashionMnist(kFashionMnistDir, Split::Test);
    return true;
  } catch (const Error&) {
    return false;
  }
}

// A tiny linearly separable 2-class problem on [1,2,2] "images": the class is whether the first
// pixel exceeds the last.
Dataset separable(int n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Dataset d;
  d.images.dtype = "float32";
  d.images.shape = {n, 1, 2, 2};
  for (int i = 0; i < n; ++i) {
    float v[4];
    for (float& x : v) x = static_cast<float>((rng() >> 40) & 0xff) / 255.0f;
    d.images.data.insert(d.images.data.end(), v, v + 4);
    d.labels.push_back(v[0] > v[3] ? 1 : 0);
  }
  return d;
}

// The smallest |pre-activation| of any hidden ReLU over the batch, in double: finite differences
// are only valid when a step of h cannot move a pre-activation across the kink at 0.
double minAbsHiddenPreactivation(const Model& m, const Tensor& x) {
  const Eigen::Index n = x.shape[0];
  const Eigen::Index f = static_cast<Eigen::Index>(x.data.size()) / n;
  Eigen::MatrixXd a(n, f);
  for (Eigen::Index r = 0; r < n; ++r)
    for (Eigen::Index c = 0; c < f; ++c) a(r, c) = x.data[static_cast<std::size_t>(r * f + c)];
  double best = INFINITY;
  for (const Layer& l : m.layers) {
    if (l.type == LayerType::Linear) {
      Eigen::MatrixXd z = a * l.weight.cast<double>().transpose();
      z.rowwise() += l.bias.cast<double>().transpose();
      a = z;
    } else if (l.type == LayerType::ReLU) {
      best = std::min(best, a.cwiseAbs().minCoeff());
      a = a.cwiseMax(0.0);
    }
  }
  return best;
}

// Compares lossAndGradients() with central finite differences for every parameter; returns ""
// or the first mismatch. Weights live on a 2^-8 grid, so w +- 2^-16 is exact in float32 and the
// loss (computed in double) sees exactly the perturbation that is differentiated.
QString checkGradients(Model& m, const Tensor& x, const std::vector<std::uint8_t>& labels,
                       int* checked) {
  LinearGradients g;
  lossAndGradients(m, x, labels, &g);
  const float h = 1.0f / 65536;
  std::size_t li = 0;
  *checked = 0;
  auto probe = [&](float& p, double analytic, const QString& what) -> QString {
    const float v = p;
    p = v + h;
    const double lp = lossAndGradients(m, x, labels, nullptr);
    p = v - h;
    const double lm = lossAndGradients(m, x, labels, nullptr);
    p = v;
    const double fd = (lp - lm) / (2.0 * h);
    ++*checked;
    if (std::abs(fd - analytic) <= 1e-6 + 1e-4 * std::abs(analytic)) return {};
    return QString("%1: analytic %2, finite difference %3").arg(what).arg(analytic).arg(fd);
  };
  for (Layer& l : m.layers) {
    if (l.type != LayerType::Linear && l.type != LayerType::Conv2d) continue;
    if (li >= g.weight.size() || g.weight[li].rows() != l.weight.rows() ||
        g.weight[li].cols() != l.weight.cols() || g.bias[li].size() != l.weight.rows())
      return "gradient shapes do not match " + QString::fromStdString(l.name);
    for (Eigen::Index r = 0; r < l.weight.rows(); ++r) {
      for (Eigen::Index c = 0; c < l.weight.cols(); ++c) {
        const QString e = probe(l.weight(r, c), g.weight[li](r, c),
                                QString("%1 W(%2,%3)").arg(l.name.c_str()).arg(r).arg(c));
        if (!e.isEmpty()) return e;
      }
      const QString e =
          probe(l.bias[r], g.bias[li][r], QString("%1 b(%2)").arg(l.name.c_str()).arg(r));
      if (!e.isEmpty()) return e;
    }
    ++li;
  }
  return {};
}

void gridWeights(Model& m, std::mt19937_64& rng) {
  for (Layer& l : m.layers) {
    if (l.type != LayerType::Linear && l.type != LayerType::Conv2d) continue;
    for (Eigen::Index i = 0; i < l.weight.size(); ++i)
      l.weight.data()[i] = static_cast<float>(static_cast<int>(rng() % 257) - 128) / 256.0f;
    for (Eigen::Index i = 0; i < l.bias.size(); ++i)
      l.bias[i] = static_cast<float>(static_cast<int>(rng() % 65) - 32) / 256.0f;
  }
}

Dataset subset(const Dataset& d, std::size_t n) {
  Dataset s;
  const std::size_t per = d.images.data.size() / d.labels.size();
  s.images.dtype = "float32";
  s.images.shape = d.images.shape;
  s.images.shape[0] = static_cast<std::int64_t>(n);
  s.images.data.assign(d.images.data.begin(),
                       d.images.data.begin() + static_cast<std::ptrdiff_t>(n * per));
  s.labels.assign(d.labels.begin(), d.labels.begin() + static_cast<std::ptrdiff_t>(n));
  s.classNames = d.classNames;
  return s;
}

}  // namespace

class TestTrain : public QObject {
  Q_OBJECT

 private slots:
  void gradientMatchesFiniteDifferences_data() {
    QTest::addColumn<quint64>("seed");
    QTest::addColumn<bool>("flatten");
    QTest::addRow("seed 1, [1,2,3] input") << quint64(1) << true;
    QTest::addRow("seed 2, [1,2,3] input") << quint64(2) << true;
    QTest::addRow("seed 3, [6] input") << quint64(3) << false;
  }
  void gradientMatchesFiniteDifferences() {
    QFETCH(quint64, seed);
    QFETCH(bool, flatten);
    const std::vector<std::int64_t> shape =
        flatten ? std::vector<std::int64_t>{1, 2, 3} : std::vector<std::int64_t>{6};
    Model m = makeMlp(seed, {5, 4}, shape, 3);
    // Weights on a 2^-8 grid and a 2^-10 step keep w +- h exact in float32, so the finite
    // difference sees exactly the perturbation the double computation differentiates.
    std::mt19937_64 rng(seed + 100);
    for (Layer& l : m.layers) {
      if (l.type != LayerType::Linear) continue;
      for (Eigen::Index i = 0; i < l.weight.size(); ++i)
        l.weight.data()[i] = static_cast<float>(static_cast<int>(rng() % 257) - 128) / 256.0f;
      for (Eigen::Index i = 0; i < l.bias.size(); ++i)
        l.bias[i] = static_cast<float>(static_cast<int>(rng() % 65) - 32) / 256.0f;
    }
    Tensor x;
    x.dtype = "float32";
    x.shape = {4};
    x.shape.insert(x.shape.end(), shape.begin(), shape.end());
    for (int i = 0; i < 24; ++i)
      x.data.push_back(static_cast<float>(static_cast<int>(rng() % 33) - 16) / 8.0f);
    // Redraw the inputs until no pre-activation is near the ReLU kink.
    int tries = 0;
    while (minAbsHiddenPreactivation(m, x) < 0.05 && tries++ < 1000) {
      for (float& v : x.data) v = static_cast<float>(static_cast<int>(rng() % 33) - 16) / 8.0f;
    }
    QVERIFY2(minAbsHiddenPreactivation(m, x) >= 0.05, "no input away from the ReLU kinks");
    const std::vector<std::uint8_t> labels{0, 2, 1, 2};
    LinearGradients g;
    lossAndGradients(m, x, labels, &g);
    QCOMPARE(g.weight.size(), std::size_t(3));
    const float h = 1.0f / 1024;
    int li = 0, checked = 0;
    for (Layer& l : m.layers) {
      if (l.type != LayerType::Linear) continue;
      QCOMPARE(g.weight[li].rows(), l.weight.rows());
      QCOMPARE(g.weight[li].cols(), l.weight.cols());
      for (Eigen::Index r = 0; r < l.weight.rows(); ++r) {
        for (Eigen::Index c = 0; c < l.weight.cols(); ++c) {
          const float w = l.weight(r, c);
          l.weight(r, c) = w + h;
          const double lp = lossAndGradients(m, x, labels, nullptr);
          l.weight(r, c) = w - h;
          const double lm = lossAndGradients(m, x, labels, nullptr);
          l.weight(r, c) = w;
          const double fd = (lp - lm) / (2.0 * h);
          const double an = g.weight[li](r, c);
          QVERIFY2(std::abs(fd - an) <= 1e-4 + 1e-3 * std::abs(an),
                   qPrintable(QString("%1 W(%2,%3): analytic %4, finite difference %5")
                                  .arg(QString::fromStdString(l.name))
                                  .arg(r)
                                  .arg(c)
                                  .arg(an)
                                  .arg(fd)));
          ++checked;
        }
        const float b = l.bias[r];
        l.bias[r] = b + h;
        const double lp = lossAndGradients(m, x, labels, nullptr);
        l.bias[r] = b - h;
        const double lm = lossAndGradients(m, x, labels, nullptr);
        l.bias[r] = b;
        const double fd = (lp - lm) / (2.0 * h);
        QVERIFY2(std::abs(fd - g.bias[li][r]) <= 1e-4 + 1e-3 * std::abs(g.bias[li][r]),
                 qPrintable(QString("%1 b(%2): analytic %3, finite difference %4")
                                .arg(QString::fromStdString(l.name))
                                .arg(r)
                                .arg(g.bias[li][r])
                                .arg(fd)));
        ++checked;
      }
      ++li;
    }
    QCOMPARE(checked, 5 * 6 + 5 + 4 * 5 + 4 + 3 * 4 + 3);
  }

  void convGradientMatchesFiniteDifferences_data() {
    QTest::addColumn<int>("stride");
    QTest::addColumn<int>("pad");
    QTest::addColumn<bool>("pool");
    QTest::addRow("3x3 pad 1 + maxpool 2") << 1 << 1 << true;
    QTest::addRow("3x3 stride 2 pad 0") << 2 << 0 << false;
    QTest::addRow("3x3 stride 2 pad 1 + maxpool 2") << 2 << 1 << true;
  }
  void convGradientMatchesFiniteDifferences() {
    QFETCH(int, stride);
    QFETCH(int, pad);
    QFETCH(bool, pool);
    Model m;
    m.inputShape = {2, 6, 5};
    auto add = [&](Layer l, const char* name) {
      l.name = name;
      l.inputs = {m.layers.empty() ? m.input : m.layers.back().output};
      l.output = name;
      m.layers.push_back(std::move(l));
    };
    Layer c;
    c.type = LayerType::Conv2d;
    c.kernelH = c.kernelW = 3;
    c.strideH = c.strideW = stride;
    c.padTop = c.padLeft = pad;
    c.padBottom = c.padRight = pad;
    c.weight.resize(3, 2 * 9);
    c.bias.resize(3);
    add(std::move(c), "conv");
    Layer r;
    r.type = LayerType::ReLU;
    add(std::move(r), "relu");
    if (pool) {
      Layer p;
      p.type = LayerType::MaxPool2d;
      p.kernelH = p.kernelW = p.strideH = p.strideW = 2;
      add(std::move(p), "pool");
    }
    Layer f;
    f.type = LayerType::Flatten;
    add(std::move(f), "flatten");
    m.finalize();
    Layer fc;
    fc.type = LayerType::Linear;
    fc.weight.resize(4, m.outputShape()[0]);
    fc.bias.resize(4);
    add(std::move(fc), "fc");
    m.output.clear();  // the first finalize() made "flatten" the graph output
    m.finalize();
    std::mt19937_64 rng(static_cast<std::uint64_t>(stride * 10 + pad + (pool ? 100 : 0)));
    gridWeights(m, rng);
    Tensor x;
    x.dtype = "float32";
    x.shape = {3, 2, 6, 5};
    for (int i = 0; i < 3 * 60; ++i)
      x.data.push_back(static_cast<float>(static_cast<double>(rng() >> 11) * 0x1.0p-52 - 1.0));
    int checked = 0;
    const QString err = checkGradients(m, x, {3, 0, 1}, &checked);
    QVERIFY2(err.isEmpty(), qPrintable(err));
    QCOMPARE(checked, int(m.parameterCount()));
  }

  void lossDecreasesOnSeparableProblem_data() {
    QTest::addColumn<int>("optimizer");
    QTest::addColumn<double>("lr");
    QTest::addRow("adam") << int(Optimizer::Adam) << 0.01;
    QTest::addRow("sgd momentum") << int(Optimizer::Sgd) << 0.1;
  }
  void lossDecreasesOnSeparableProblem() {
    QFETCH(int, optimizer);
    QFETCH(double, lr);
    const Dataset train = separable(512, 7), test = separable(256, 8);
    TrainConfig cfg;
    cfg.epochs = 30;
    cfg.batch = 32;
    cfg.lr = lr;
    cfg.optimizer = static_cast<Optimizer>(optimizer);
    cfg.seed = 5;
    const TrainResult r = trainModel(makeMlp(5, {16}, {1, 2, 2}, 2), train, test, cfg);
    QCOMPARE(r.epochLoss.size(), std::size_t(30));
    QCOMPARE(r.testAccuracy.size(), std::size_t(30));
    QVERIFY2(
        r.epochLoss.back() < 0.5 * r.epochLoss.front(),
        qPrintable(QString("first %1, last %2").arg(r.epochLoss.front()).arg(r.epochLoss.back())));
    for (double l : r.epochLoss) QVERIFY(std::isfinite(l));
    QVERIFY2(r.testAccuracy.back() >= 0.95, qPrintable(QString::number(r.testAccuracy.back())));
    QCOMPARE(accuracy(r.model, test), r.testAccuracy.back());
  }

  void sameSeedGivesIdenticalWeights() {
    const Dataset train = separable(300, 11), empty;
    TrainConfig cfg;
    cfg.epochs = 3;
    cfg.batch = 16;
    cfg.lr = 0.01;
    cfg.seed = 42;
    const TrainResult a = trainModel(makeMlp(42, {8, 8}, {1, 2, 2}, 2), train, empty, cfg);
    const TrainResult b = trainModel(makeMlp(42, {8, 8}, {1, 2, 2}, 2), train, empty, cfg);
    cfg.seed = 43;
    const TrainResult c = trainModel(makeMlp(42, {8, 8}, {1, 2, 2}, 2), train, empty, cfg);
    QVERIFY(a.testAccuracy.empty());
    QCOMPARE(a.model.layers.size(), b.model.layers.size());
    bool differs = false;
    for (std::size_t i = 0; i < a.model.layers.size(); ++i) {
      const Layer &la = a.model.layers[i], &lb = b.model.layers[i], &lc = c.model.layers[i];
      QVERIFY(la.weight == lb.weight);
      QVERIFY(la.bias == lb.bias);
      if (la.weight.size() && la.weight != lc.weight) differs = true;
    }
    QVERIFY2(differs, "a different shuffling seed must change the weights");
    // makeMlp alone is deterministic and He-uniform bounded.
    const Model m1 = makeMlp(9), m2 = makeMlp(9);
    QCOMPARE(m1.parameterCount(), std::int64_t(784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10));
    for (std::size_t i = 0; i < m1.layers.size(); ++i) {
      QVERIFY(m1.layers[i].weight == m2.layers[i].weight);
      if (m1.layers[i].type == LayerType::Linear) {
        const double bound = std::sqrt(6.0 / static_cast<double>(m1.layers[i].weight.cols()));
        QVERIFY(m1.layers[i].weight.cwiseAbs().maxCoeff() <= bound);
      }
    }
  }

  void cancelStopsTraining() {
    const Dataset train = separable(200, 3), empty;
    TrainConfig cfg;
    cfg.epochs = 5;
    cfg.batch = 10;
    int calls = 0;
    cfg.progress = [&](int, int, double) { return ++calls < 7; };
    const TrainResult r = trainModel(makeMlp(1, {4}, {1, 2, 2}, 2), train, empty, cfg);
    QVERIFY(r.cancelled);
    QCOMPARE(calls, 7);
    QVERIFY(r.epochLoss.empty());
  }

  void rejectsBadInput() {
    const Dataset train = separable(20, 3), empty;
    TrainConfig cfg;
    QVERIFY_THROWS_EXCEPTION(Error, trainModel(makeMlp(1, {4}, {1, 2, 3}, 2), train, empty, cfg));
    QVERIFY_THROWS_EXCEPTION(Error, trainModel(makeMlp(1, {4}, {1, 2, 2}, 1), train, empty, cfg));
    cfg.batch = 0;
    QVERIFY_THROWS_EXCEPTION(Error, trainModel(makeMlp(1, {4}, {1, 2, 2}, 2), train, empty, cfg));
    cfg = TrainConfig{};
    cfg.model = "resnet";
    QVERIFY_THROWS_EXCEPTION(Error, quant::train(cfg, train, empty));
  }

  void oneEpochOnFashionMnistSubset() {
    if (!haveFashionMnist()) QSKIP("Fashion-MNIST is not installed");
    const Dataset trainSet = subset(loadFashionMnist(kFashionMnistDir, Split::Train), 2000);
    const Dataset test = subset(loadFashionMnist(kFashionMnistDir, Split::Test), 2000);
    TrainConfig cfg;
    cfg.epochs = 1;
    const TrainResult r = quant::train(cfg, trainSet, test);
    QCOMPARE(r.testAccuracy.size(), std::size_t(1));
    QVERIFY2(r.testAccuracy[0] > 0.6, qPrintable(QString::number(r.testAccuracy[0])));
  }

  void shippedModelLoadsAndIsAccurate() {
    const std::string path = QUANTLAB_TEST_DATA "/../../resources/models/mlp.onnx";
    QVERIFY2(std::filesystem::exists(path), path.c_str());
    const Model m = loadOnnxModel(path);
    QCOMPARE(m.parameterCount(), std::int64_t(784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10));
    QCOMPARE(m.outputShape(), std::vector<std::int64_t>{10});
    if (!haveFashionMnist()) QSKIP("Fashion-MNIST is not installed");
    const Dataset test = loadFashionMnist(kFashionMnistDir, Split::Test);
    const double acc = accuracy(m, test);
    QVERIFY2(acc >= kShippedAccuracy - 1e-9, qPrintable(QString::number(acc, 'g', 10)));
  }

  void shippedCnnLoadsAndIsAccurate() {
    const std::string path = QUANTLAB_TEST_DATA "/../../resources/models/cnn.onnx";
    QVERIFY2(std::filesystem::exists(path), path.c_str());
    const Model m = loadOnnxModel(path);
    // Same architecture as makeCnn's defaults (32 and 64 channels, 128 hidden units).
    const Model fresh = makeCnn(1);
    QCOMPARE(m.parameterCount(), fresh.parameterCount());
    QCOMPARE(m.macsPerSample(), fresh.macsPerSample());
    QCOMPARE(m.outputShape(), std::vector<std::int64_t>{10});
    if (!haveFashionMnist()) QSKIP("Fashion-MNIST is not installed");
    const Dataset test = loadFashionMnist(kFashionMnistDir, Split::Test);
    const double acc = accuracy(m, test);
    QVERIFY2(acc >= kShippedCnnAccuracy - 1e-9, qPrintable(QString::number(acc, 'g', 10)));
  }
};

QTEST_GUILESS_MAIN(TestTrain)
#include "tst_train.moc"
