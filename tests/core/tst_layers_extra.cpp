// SPDX-License-Identifier: GPL-3.0-or-later
// The layers added for imported models (model.h, after Softmax): each against values worked out
// by hand or with an independent formula in double, shape rules and refusals, thread splits,
// and what the int8 executors do with them.
#include <QtTest>
#include <cmath>
#include <cstring>
#include <random>

#include "quant/nn/int8model.h"
#include "quant/nn/model.h"
#include "modeltesting.h"
#include "quanttesting.h"
#include "testsupport.h"

using quant::Layer;
using quant::LayerType;
using quant::Model;
using quant::Tensor;
using quantlab::testing::bitEqual;
using quantlab::testing::makeLayer;

namespace {


// A one-layer model over an input of per-sample shape `shape`.
Model single(const Layer& l, std::vector<std::int64_t> shape) {
  Model m;
  m.inputShape = std::move(shape);
  m.layers.push_back(l);
  m.layers[0].inputs.assign(1, m.input);
  m.layers[0].output = m.input + "_out";
  m.finalize();
  return m;
}

Tensor randomTensor(std::vector<std::int64_t> shape, std::mt19937& rng, float lo, float hi) {
  Tensor t{"input", "", std::move(shape), {}};
  t.data.resize(static_cast<std::size_t>(t.numel()));
  std::uniform_real_distribution<float> d(lo, hi);
  for (float& v : t.data) v = d(rng);
  return t;
}


Eigen::VectorXf vec(std::initializer_list<float> v) {
  return Eigen::Map<const Eigen::VectorXf>(v.begin(), Eigen::Index(v.size()));
}

Tensor tensor(std::vector<std::int64_t> shape, std::vector<float> data) {
  return Tensor{"input", "", std::move(shape), std::move(data)};
}

}  // namespace

class TestLayersExtra : public QObject {
  Q_OBJECT

 private slots:
  void activationsByHand() {
    const std::vector<float> xs{-3.0f, -1.0f, 0.0f, 1.0f, 3.0f};
    const Tensor x = tensor({1, 5}, xs);
    struct Case {
      LayerType type;
      float alpha, beta;
      double (*f)(double, double, double);
    };
    const Case cases[] = {
        {LayerType::Sigmoid, 0, 0, [](double v, double, double) { return 1 / (1 + std::exp(-v)); }},
        {LayerType::Tanh, 0, 0, [](double v, double, double) { return std::tanh(v); }},
        {LayerType::HardSigmoid, 0.2f, 0.5f,
         [](double v, double a, double b) { return std::clamp(a * v + b, 0.0, 1.0); }},
        // PyTorch: x * relu6(x + 3) / 6.
        {LayerType::HardSwish, 0, 0,
         [](double v, double, double) { return v * std::clamp(v + 3, 0.0, 6.0) / 6; }},
        {LayerType::LeakyReLU, 0.1f, 0,
         [](double v, double a, double) { return v >= 0 ? v : a * v; }},
        {LayerType::Elu, 1.0f, 0,
         [](double v, double a, double) { return v >= 0 ? v : a * (std::exp(v) - 1); }},
    };
    for (const Case& c : cases) {
      Layer l = makeLayer(c.type, "act", {}, "");
      l.alpha = c.alpha;
      l.betaCoeff = c.beta;
      QVERIFY(quant::isPointwiseActivation(c.type));
      const Tensor y = quant::forward(single(l, {5}), x);
      for (std::size_t i = 0; i < xs.size(); ++i) {
        const double want = c.f(xs[i], c.alpha, c.beta);
        QVERIFY2(std::abs(y.data[i] - want) <= 1e-6 * std::max(1.0, std::abs(want)),
                 qPrintable(QString("%1(%2) = %3, want %4")
                                .arg(quant::layerTypeName(c.type))
                                .arg(xs[i])
                                .arg(y.data[i])
                                .arg(want)));
      }
    }
    // Known points: HardSwish(-3) = 0, HardSwish(3) = 3, Elu(-1) = 1/e - 1.
    Layer hs = makeLayer(LayerType::HardSwish, "hs", {}, "");
    QCOMPARE(quant::applyActivation(hs, -3.0f), 0.0f);
    QCOMPARE(quant::applyActivation(hs, 3.0f), 3.0f);
    QVERIFY(!quant::isPointwiseActivation(LayerType::ReLU));
    QVERIFY_THROWS_EXCEPTION(quant::Error,
                             quant::applyActivation(makeLayer(LayerType::PReLU, "p", {}, ""), 1.0f));
  }

  void perChannelLayers() {
    // Two channels of 2x1: PReLU with slopes 0.5 / 2, then Affine with scale (2, -1), shift (1, 0).
    const Tensor x = tensor({1, 2, 2, 1}, {-2.0f, 4.0f, -3.0f, 5.0f});
    Layer p = makeLayer(LayerType::PReLU, "p", {}, "");
    p.slope = vec({0.5f, 2.0f});
    const Tensor y = quant::forward(single(p, {2, 2, 1}), x);
    QCOMPARE(y.data, (std::vector<float>{-1.0f, 4.0f, -6.0f, 5.0f}));
    Layer a = makeLayer(LayerType::Affine, "a", {}, "");
    a.scale = vec({2.0f, -1.0f});
    a.shift = vec({1.0f, 0.0f});
    const Model am = single(a, {2, 2, 1});
    QCOMPARE(am.layers[0].params, 4LL);
    QCOMPARE(quant::forward(am, x).data, (std::vector<float>{-3.0f, 9.0f, 3.0f, -5.0f}));
    // A single scale for all channels and no shift.
    Layer a1 = makeLayer(LayerType::Affine, "a", {}, "");
    a1.scale = Eigen::VectorXf::Constant(1, 0.5f);
    QCOMPARE(quant::forward(single(a1, {2, 2, 1}), x).data,
             (std::vector<float>{-1.0f, 2.0f, -1.5f, 2.5f}));
  }

  void broadcastingElementwise() {
    // x [2, 2, 2]; s = GlobalMaxPool(x) [2, 1, 1]; then s - x (the small side first), x * s,
    // x + s, and Concat(x, s-x) along channels.
    Model m;
    m.inputShape = {2, 2, 2};
    m.layers = {makeLayer(LayerType::GlobalMaxPool, "gmp", {"input"}, "s"),
                makeLayer(LayerType::Sub, "sub", {"s", "input"}, "d"),
                makeLayer(LayerType::Mul, "mul", {"input", "s"}, "p"),
                makeLayer(LayerType::Add, "add", {"p", "d"}, "q"),
                makeLayer(LayerType::Concat, "cat", {"q", "d", "s"}, "c")};
    // Concat needs equal spatial sizes: s is [2, 1, 1], so the model must refuse it.
    QVERIFY_THROWS_EXCEPTION(quant::Error, m.finalize());
    m.layers.back().inputs = {"q", "d", "input"};
    m.finalize();
    QCOMPARE(m.layers[1].outShape, (std::vector<std::int64_t>{2, 2, 2}));
    QCOMPARE(m.outputShape(), (std::vector<std::int64_t>{6, 2, 2}));
    const std::vector<float> xv{1, -2, 3, 0.5f, -1, -4, 2, 0};
    const Tensor y = quant::forward(m, tensor({1, 2, 2, 2}, xv));
    const float s0 = 3, s1 = 2;
    for (int i = 0; i < 8; ++i) {
      const float s = i < 4 ? s0 : s1;
      const float d = s - xv[i], p = xv[i] * s;
      QCOMPARE(y.data[i], p + d);       // q
      QCOMPARE(y.data[8 + i], d);       // d
      QCOMPARE(y.data[16 + i], xv[i]);  // input
    }
    // A single value broadcasts to everything.
    Model sc;
    sc.inputShape = {3};
    sc.layers = {makeLayer(LayerType::LogSoftmax, "ls", {"input"}, "l"),
                 makeLayer(LayerType::GlobalMaxPool, "bad", {"l"}, "g")};
    QVERIFY_THROWS_EXCEPTION(quant::Error, sc.finalize());  // GlobalMaxPool needs [C, H, W]
    sc.layers.pop_back();
    sc.finalize();
    const Tensor ls = quant::forward(sc, tensor({1, 3}, {1, 2, 3}));
    const double lse = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0));
    for (int i = 0; i < 3; ++i) QVERIFY(std::abs(ls.data[i] - (i + 1 - lse)) < 1e-6);
  }

  void padAndRefusals() {
    Layer p = makeLayer(LayerType::Pad, "pad", {}, "");
    p.padTop = 1;
    p.padRight = 2;
    p.padValue = -1.5f;
    const Model m = single(p, {1, 2, 1});
    QCOMPARE(m.outputShape(), (std::vector<std::int64_t>{1, 3, 3}));
    QCOMPARE(quant::forward(m, tensor({1, 1, 2, 1}, {7, 8})).data,
             (std::vector<float>{-1.5f, -1.5f, -1.5f, 7, -1.5f, -1.5f, 8, -1.5f, -1.5f}));
    Layer neg = p;
    neg.padLeft = -1;
    QVERIFY_THROWS_EXCEPTION(quant::Error, single(neg, {1, 2, 1}));
    Layer slope = makeLayer(LayerType::PReLU, "p", {}, "");
    slope.slope = vec({1, 2, 3});
    QVERIFY_THROWS_EXCEPTION(quant::Error, single(slope, {2, 4, 4}));  // 3 slopes, 2 channels
    slope.slope = Eigen::VectorXf();
    QVERIFY_THROWS_EXCEPTION(quant::Error, single(slope, {2, 4, 4}));  // none
    Layer lk = makeLayer(LayerType::LeakyReLU, "l", {}, "");
    lk.alpha = std::numeric_limits<float>::quiet_NaN();
    QVERIFY_THROWS_EXCEPTION(quant::Error, single(lk, {4}));
    // Shapes that do not broadcast: [3] against [2, 2, 2].
    Model bad;
    bad.inputShape = {2, 2, 2};
    bad.layers = {makeLayer(LayerType::Flatten, "f", {"input"}, "flat"),
                  makeLayer(LayerType::Mul, "m", {"input", "flat"}, "y")};
    QVERIFY_THROWS_EXCEPTION(quant::Error, bad.finalize());
    bad.layers = {makeLayer(LayerType::Concat, "c", {"input"}, "y")};
    QVERIFY_THROWS_EXCEPTION(quant::Error, bad.finalize());  // needs two inputs
  }

  // Every thread split gives forward()'s bits, and Direct agrees (these layers have one path).
  void threadsAndExecutors() {
    std::mt19937 rng(5);
    Model m;
    m.inputShape = {3, 6, 6};
    Layer pad = makeLayer(LayerType::Pad, "pad", {"input"}, "padded");
    pad.padTop = pad.padLeft = pad.padBottom = pad.padRight = 1;
    Layer hsig = makeLayer(LayerType::HardSigmoid, "hsig", {"padded"}, "g");
    hsig.alpha = 1.0f / 6;
    hsig.betaCoeff = 0.5f;
    m.layers = {pad,
                makeLayer(LayerType::Tanh, "tanh", {"padded"}, "t"),
                hsig,
                makeLayer(LayerType::Mul, "gate", {"t", "g"}, "tg"),
                makeLayer(LayerType::Concat, "cat", {"tg", "padded"}, "c"),
                makeLayer(LayerType::GlobalMaxPool, "gmp", {"c"}, "pooled"),
                makeLayer(LayerType::Flatten, "flat", {"pooled"}, "f"),
                makeLayer(LayerType::Sigmoid, "sig", {"f"}, "out")};
    m.finalize();
    const Tensor x = randomTensor({37, 3, 6, 6}, rng, -4, 4);
    const Tensor y = quant::forward(m, x);
    QCOMPARE(y.shape, (std::vector<std::int64_t>{37, 6}));
    for (const int threads : {1, 2, 3}) {
      quant::detail::setMinSliceNanoseconds(0);
      QVERIFY(bitEqual(quant::forwardTimed(m, x, threads), y));
    }
    quant::detail::setMinSliceNanoseconds(20000);
    QVERIFY(bitEqual(quant::forward(m, x, quant::ConvAlgorithm::Direct), y));
    // Dynamic int8 runs the float layers as they are (no Linear/Conv here, so the same bits).
    const quant::DynamicInt8Model d = quant::quantizeDynamic(m, true);
    QVERIFY(bitEqual(quant::runDynamic(d, x), y));
    // Static int8 runs every one of them on integers (tst_int8extra checks the arithmetic); the
    // batch split does not change its bits either.
    const quant::Int8Model q = quant::quantizeModel(m, x, quant::CalibrationConfig{});
    for (const quant::Int8Layer& l : q.layers) QVERIFY2(l.floatReason.empty(), l.name.c_str());
    const Tensor yq = quant::runInt8(q, x);
    QCOMPARE(yq.shape, y.shape);
    for (std::size_t i = 0; i < y.data.size(); ++i)
      QVERIFY(std::fabs(yq.data[i] - y.data[i]) < 0.05f);
    quant::detail::setMinSliceNanoseconds(0);
    QVERIFY(bitEqual(quant::runInt8(q, x, nullptr, nullptr, 3), yq));
    quant::detail::setMinSliceNanoseconds(20000);
    // An int8 Add broadcasting one value per channel.
    Model add;
    add.inputShape = {2, 3, 3};
    add.layers = {makeLayer(LayerType::GlobalAvgPool, "gap", {"input"}, "g"),
                  makeLayer(LayerType::Add, "add", {"input", "g"}, "y")};
    add.finalize();
    const Tensor xa = randomTensor({4, 2, 3, 3}, rng, -1, 1);
    const quant::Int8Model qa = quant::quantizeModel(add, xa, quant::CalibrationConfig{});
    const Tensor ya = quant::forward(add, xa), yqa = quant::runInt8(qa, xa);
    for (std::size_t i = 0; i < ya.data.size(); ++i)
      QVERIFY(std::fabs(yqa.data[i] - ya.data[i]) <= 3 * qa.outputScale);
  }
};

QTEST_GUILESS_MAIN(TestLayersExtra)
#include "tst_layers_extra.moc"
