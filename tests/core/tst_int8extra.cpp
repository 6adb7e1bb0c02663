// SPDX-License-Identifier: GPL-3.0-or-later
// The static int8 executor's layers for imported models (int8extra.cpp): every lookup table
// against the real function evaluated in double for all 256 codes, the elementwise layers, Concat
// and Affine against an independent integer implementation of the TFLite formulas, and four small
// hand-built models (LeNet-like, MobileNet-like, two-branch Concat, squeeze-excite-like) quantized
// end to end: agreement with fp32 and identical bits on every GEMM kernel.
#include <QtTest>
#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <vector>

#include "quant/kernels/int8gemm.h"
#include "quant/nn/int8model.h"
#include "quant/nn/model.h"
#include "quant/nn/requanttrace.h"
#include "modeltesting.h"

namespace gemm = quant::gemm;
using quant::Layer;
using quant::LayerType;
using quant::Model;
using quant::Tensor;
using quantlab::testing::makeLayer;

namespace {

// ---- TFLite's fixed-point primitives, written again from their definitions ----

// round_half_up(a * b / 2^31); C++20 >> on a negative value is a floor.
std::int32_t highMul(std::int32_t a, std::int32_t b) {
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  const std::int64_t t = std::int64_t{a} * b + (std::int64_t{1} << 30);
  return static_cast<std::int32_t>(t >> 31);
}
// x / 2^e, ties away from zero.
std::int32_t divPot(std::int32_t x, int e) {
  if (e == 0) return x;
  const std::int64_t half = std::int64_t{1} << (e - 1), v = x;
  return static_cast<std::int32_t>(v >= 0 ? (v + half) >> e : -((-v + half) >> e));
}
struct Mult {
  std::int32_t m = 0;
  int shift = 0;
};
Mult quantizeMult(double real) {
  if (real == 0.0) return {};
  int e = 0;
  const double f = std::frexp(real, &e);
  std::int64_t q = std::llround(f * 2147483648.0);
  if (q == (std::int64_t{1} << 31)) {
    q /= 2;
    ++e;
  }
  if (e < -31) return {};
  return {static_cast<std::int32_t>(q), e};
}
std::int32_t mulBy(std::int32_t x, Mult m) {
  const int left = std::max(m.shift, 0);
  const auto shifted = static_cast<std::int32_t>(static_cast<std::uint32_t>(x) << left);
  return divPot(highMul(shifted, m.m), std::max(-m.shift, 0));
}
std::int8_t clamp8(std::int64_t v, std::int64_t lo = -128, std::int64_t hi = 127) {
  return static_cast<std::int8_t>(std::clamp(v, lo, hi));
}

// ---- models ----

Layer linear(const std::string& name, int in, int out, std::mt19937& rng,
             std::vector<std::string> inputs, const std::string& output) {
  Layer l = quantlab::testing::heLinear(name, in, out, rng);
  l.inputs = std::move(inputs);
  l.output = output;
  return l;
}
Layer conv(const std::string& name, int inC, int outC, int k, int stride, int pad, int groups,
           std::mt19937& rng, std::vector<std::string> inputs, const std::string& output) {
  Layer l = linear(name, inC / groups * k * k, outC, rng, std::move(inputs), output);
  l.type = LayerType::Conv2d;
  l.kernelH = l.kernelW = k;
  l.strideH = l.strideW = stride;
  l.padTop = l.padLeft = l.padBottom = l.padRight = pad;
  l.groups = groups;
  return l;
}
Layer clip(const std::string& name, const std::string& in, const std::string& out) {
  Layer l = makeLayer(LayerType::Clip, name, {in}, out);
  l.clipMin = 0.0f;
  l.clipMax = 6.0f;
  return l;
}
Layer pool(LayerType t, const std::string& name, const std::string& in, const std::string& out) {
  Layer l = makeLayer(t, name, {in}, out);
  l.kernelH = l.kernelW = l.strideH = l.strideW = 2;
  return l;
}

Model lenet(unsigned seed) {
  std::mt19937 rng(seed);
  Model m;
  m.inputShape = {1, 28, 28};
  m.layers = {conv("c1", 1, 6, 5, 1, 2, 1, rng, {"input"}, "c1"),
              makeLayer(LayerType::Tanh, "t1", {"c1"}, "t1"),
              pool(LayerType::AvgPool2d, "p1", "t1", "p1"),
              conv("c2", 6, 16, 5, 1, 0, 1, rng, {"p1"}, "c2"),
              makeLayer(LayerType::Tanh, "t2", {"c2"}, "t2"),
              pool(LayerType::AvgPool2d, "p2", "t2", "p2"),
              makeLayer(LayerType::Flatten, "flat", {"p2"}, "f"),
              linear("fc1", 400, 84, rng, {"f"}, "fc1"),
              makeLayer(LayerType::Tanh, "t3", {"fc1"}, "t3"),
              linear("fc2", 84, 10, rng, {"t3"}, "logits")};
  m.finalize();
  return m;
}

Model mobilenet(unsigned seed) {
  std::mt19937 rng(seed);
  Model m;
  m.inputShape = {3, 16, 16};
  m.layers = {conv("stem", 3, 16, 3, 2, 1, 1, rng, {"input"}, "s"),
              clip("relu6a", "s", "s6"),
              conv("dw", 16, 16, 3, 1, 1, 16, rng, {"s6"}, "dw"),
              makeLayer(LayerType::HardSwish, "hswish", {"dw"}, "hs"),
              conv("pw", 16, 24, 1, 1, 0, 1, rng, {"hs"}, "pw"),
              clip("relu6b", "pw", "pw6"),
              makeLayer(LayerType::GlobalAvgPool, "gap", {"pw6"}, "gap"),
              makeLayer(LayerType::Flatten, "flat", {"gap"}, "f"),
              linear("fc", 24, 10, rng, {"f"}, "logits")};
  m.finalize();
  return m;
}

Model twoBranch(unsigned seed) {
  std::mt19937 rng(seed);
  Model m;
  m.inputShape = {1, 12, 12};
  Layer leaky = makeLayer(LayerType::LeakyReLU, "leaky", {"a"}, "la");
  leaky.alpha = 0.1f;
  Layer elu = makeLayer(LayerType::Elu, "elu", {"b"}, "eb");
  elu.alpha = 1.0f;
  Layer pad = makeLayer(LayerType::Pad, "pad", {"cat"}, "padded");
  pad.padTop = pad.padLeft = pad.padBottom = pad.padRight = 1;
  m.layers = {conv("ca", 1, 4, 3, 1, 1, 1, rng, {"input"}, "a"),
              leaky,
              conv("cb", 1, 6, 5, 1, 2, 1, rng, {"input"}, "b"),
              elu,
              makeLayer(LayerType::Concat, "cat", {"la", "eb"}, "cat"),
              pad,
              pool(LayerType::MaxPool2d, "pool", "padded", "pooled"),
              makeLayer(LayerType::GlobalMaxPool, "gmp", {"pooled"}, "gmp"),
              makeLayer(LayerType::Flatten, "flat", {"gmp"}, "f"),
              linear("fc", 10, 10, rng, {"f"}, "logits"),
              makeLayer(LayerType::LogSoftmax, "logsm", {"logits"}, "logp")};
  m.finalize();
  return m;
}

Model squeezeExcite(unsigned seed) {
  std::mt19937 rng(seed);
  Model m;
  m.inputShape = {3, 10, 10};
  Layer prelu = makeLayer(LayerType::PReLU, "prelu", {"c"}, "pc");
  prelu.slope = Eigen::VectorXf::LinSpaced(8, -0.2f, 0.3f);
  m.layers = {conv("c", 3, 8, 3, 1, 1, 1, rng, {"input"}, "c"),
              prelu,
              makeLayer(LayerType::GlobalAvgPool, "squeeze", {"pc"}, "sq"),
              makeLayer(LayerType::Flatten, "sqflat", {"sq"}, "sqf"),
              linear("fc1", 8, 4, rng, {"sqf"}, "e1"),
              makeLayer(LayerType::ReLU, "relu", {"e1"}, "e1r"),
              linear("fc2", 4, 8, rng, {"e1r"}, "e2"),
              makeLayer(LayerType::Sigmoid, "gate", {"e2"}, "g"),
              makeLayer(LayerType::Mul, "excite", {"pc", "g"}, "x"),
              makeLayer(LayerType::Add, "residual", {"x", "pc"}, "r"),
              makeLayer(LayerType::GlobalAvgPool, "gap", {"r"}, "gap"),
              makeLayer(LayerType::Flatten, "flat", {"gap"}, "f"),
              linear("fc", 8, 10, rng, {"f"}, "logits")};
  m.finalize();
  return m;
}

Tensor uniform(std::vector<std::int64_t> shape, std::int64_t n, unsigned seed, float lo, float hi) {
  Tensor t;
  t.shape.push_back(n);
  t.shape.insert(t.shape.end(), shape.begin(), shape.end());
  t.data.resize(static_cast<std::size_t>(t.numel()));
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  for (float& v : t.data) v = d(rng);
  return t;
}

// n images like a small labelled image set: each is one of 10 fixed random patterns (by n mod
// 10), scaled by a brightness in [0.5, 1] plus noise in [0, 0.1), so inputs differ by class far
// more than uniform noise does.
Tensor patterned(std::vector<std::int64_t> shape, std::int64_t n, unsigned seed) {
  const Tensor protos = uniform(shape, 10, 77, 0.0f, 1.0f);
  Tensor t = uniform(shape, n, seed, 0.0f, 0.1f);
  const std::size_t per = t.data.size() / static_cast<std::size_t>(n);
  std::mt19937 rng(seed + 1);
  std::uniform_real_distribution<float> bright(0.5f, 1.0f);
  for (std::int64_t i = 0; i < n; ++i) {
    const float b = bright(rng);
    const float* p = protos.data.data() + (i % 10) * per;
    for (std::size_t j = 0; j < per; ++j) t.data[i * per + j] += b * p[j];
  }
  return t;
}

// The traced codes of tensor `name` (the graph input or an Int8Layer's output).
const std::vector<std::int8_t>& codesOf(const quant::Int8Model& q, const quant::Int8Trace& t,
                                        const std::string& name) {
  if (name == q.input) return t.input;
  for (std::size_t i = 0; i < q.layers.size(); ++i)
    if (q.layers[i].outputName == name) return t.layers[i].q;
  throw quant::Error("no traced tensor " + name);
}
std::size_t layerIndex(const quant::Int8Model& q, const std::string& name) {
  for (std::size_t i = 0; i < q.layers.size(); ++i)
    if (q.layers[i].name == name) return i;
  throw quant::Error("no int8 layer " + name);
}

// Index of input element (sample s, channel c, position i) for a tensor broadcast to [C, inner].
std::int64_t broadcastIndex(const std::vector<std::int64_t>& shape, std::int64_t per,
                            std::int64_t inner, std::int64_t s, std::int64_t c, std::int64_t i) {
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  if (n == per) return s * per + c * inner + i;
  return n == 1 ? s : s * n + c;
}

// Random weights put nearly every input in one class. The last Linear is replaced by a
// nearest-class-mean head fitted on `x` (class n mod 10, as patterned() draws them): row j is class
// j's mean feature minus the overall mean, so fp32 decides by the patterns, as a trained head
// would, and top-1 agreement measures something.
void fitHead(Model& m, const Tensor& x) {
  Layer* head = nullptr;
  for (Layer& l : m.layers)
    if (l.type == LayerType::Linear) head = &l;
  Model sub = m;
  sub.output = head->inputs[0];
  sub.finalize();
  const Tensor f = quant::forward(sub, x);
  const std::int64_t N = x.shape[0], K = head->weight.cols();
  Eigen::MatrixXd mean = Eigen::MatrixXd::Zero(10, K);
  Eigen::VectorXd all = Eigen::VectorXd::Zero(K);
  for (std::int64_t n = 0; n < N; ++n)
    for (std::int64_t k = 0; k < K; ++k) {
      mean(n % 10, k) += f.data[n * K + k] / double(N / 10);
      all[k] += f.data[n * K + k] / double(N);
    }
  for (int j = 0; j < 10; ++j) {
    const Eigen::VectorXd w = mean.row(j).transpose() - all;
    head->weight.row(j) = w.cast<float>().transpose();
    head->bias[j] = static_cast<float>(-w.dot(all) - 0.5 * w.squaredNorm());
  }
  m.finalize();
}

double sqnrDb(const Tensor& ref, const Tensor& got) {
  double sig = 0, err = 0;
  for (std::size_t i = 0; i < ref.data.size(); ++i) {
    sig += double(ref.data[i]) * ref.data[i];
    err += std::pow(double(ref.data[i]) - got.data[i], 2);
  }
  return 10.0 * std::log10(sig / std::max(err, 1e-30));
}

}  // namespace

class TestInt8Extra : public QObject {
  Q_OBJECT

 private slots:
  void lookupTables_data() {
    QTest::addColumn<int>("type");
    QTest::addRow("Sigmoid") << int(LayerType::Sigmoid);
    QTest::addRow("Tanh") << int(LayerType::Tanh);
    QTest::addRow("HardSigmoid") << int(LayerType::HardSigmoid);
    QTest::addRow("HardSwish") << int(LayerType::HardSwish);
    QTest::addRow("Elu") << int(LayerType::Elu);
    QTest::addRow("LeakyReLU") << int(LayerType::LeakyReLU);
    QTest::addRow("PReLU") << int(LayerType::PReLU);
  }
  // Every code of every table equals round(f(s_in (q - z_in)) / s_out) + z_out, clamped, with f
  // evaluated in double here, and the executor's output is the table applied to its input.
  void lookupTables() {
    QFETCH(int, type);
    const auto t = static_cast<LayerType>(type);
    Layer l = makeLayer(t, "act", {"input"}, "y");
    l.alpha = t == LayerType::HardSigmoid ? 0.2f : t == LayerType::Elu ? 1.3f : 0.05f;
    l.betaCoeff = 0.5f;
    if (t == LayerType::PReLU) l.slope = (Eigen::VectorXf(3) << 0.25f, -0.5f, 0.0f).finished();
    Model m;
    m.inputShape = {3, 9, 9};
    m.layers = {l};
    m.finalize();
    // Calibration over [-7, 5] and a test input over a wider range, so both ends saturate.
    const Tensor calib = uniform(m.inputShape, 8, 1, -7.0f, 5.0f);
    const quant::Int8Model q = quant::quantizeModel(m, calib, quant::QuantRecipe{});
    const quant::Int8Layer& L = q.layers.at(0);
    QVERIFY(L.floatReason.empty());
    if (t == LayerType::Sigmoid || t == LayerType::HardSigmoid) {
      QCOMPARE(L.outScale, 1.0f / 256);
      QCOMPARE(L.outZero, -128);
    } else if (t == LayerType::Tanh) {
      QCOMPARE(L.outScale, 1.0f / 128);
      QCOMPARE(L.outZero, 0);
    }
    const int tables = t == LayerType::PReLU ? 3 : 1;
    QCOMPARE(L.lut.size(), std::size_t(256 * tables));
    const std::function<double(double, int)> f = [&](double x, int c) -> double {
      switch (t) {
        case LayerType::Sigmoid:
          return 1.0 / (1.0 + std::exp(-x));
        case LayerType::Tanh:
          return std::tanh(x);
        case LayerType::HardSigmoid:
          return std::clamp(0.2 * x + 0.5, 0.0, 1.0);
        case LayerType::HardSwish:
          return x * std::clamp(x / 6.0 + 0.5, 0.0, 1.0);
        case LayerType::Elu:
          return x >= 0 ? x : double(l.alpha) * (std::exp(x) - 1.0);
        case LayerType::LeakyReLU:
          return x >= 0 ? x : double(l.alpha) * x;
        default:
          return x >= 0 ? x : double(l.slope[c]) * x;
      }
    };
    const auto reference = [&](int code, int c) {
      const double x = double(L.inScale) * (code - L.inZero);
      const double r = std::nearbyint(f(x, c) / double(L.outScale));
      return clamp8(static_cast<std::int64_t>(r) + L.outZero);
    };
    for (int c = 0; c < tables; ++c)
      for (int code = -128; code <= 127; ++code)
        QVERIFY2(L.lut[c * 256 + code + 128] == reference(code, c),
                 qPrintable(QString("channel %1 code %2: %3 vs %4")
                                .arg(c)
                                .arg(code)
                                .arg(L.lut[c * 256 + code + 128])
                                .arg(reference(code, c))));
    // The walkthrough's view of the same table: code -> real -> f -> exact -> stored code.
    const quant::LutTrace lt = quant::traceLookupTable(q, m, 0, tables - 1);
    QCOMPARE(lt.rows.size(), std::size_t{256});
    QCOMPARE(lt.channel, tables - 1);
    QCOMPARE(lt.fixedOutput,
             t == LayerType::Sigmoid || t == LayerType::Tanh || t == LayerType::HardSigmoid);
    for (int code = -128; code <= 127; ++code) {
      const quant::LutRow& r = lt.rows[static_cast<std::size_t>(code + 128)];
      QCOMPARE(int(r.code), code);
      QCOMPARE(r.out, reference(code, tables - 1));
      QVERIFY(std::fabs(r.real - L.inScale * (code - L.inZero)) <= 1e-6f * (1 + std::fabs(r.real)));
      QVERIFY(std::fabs(r.exact - (f(r.real, tables - 1) / L.outScale + L.outZero)) < 1e-3);
    }
    const Tensor x = uniform(m.inputShape, 64, 2, -12.0f, 9.0f);
    quant::Int8Trace trace;
    (void)quant::runInt8(q, x, &trace);
    std::vector<bool> seen(256, false);
    for (std::size_t i = 0; i < trace.input.size(); ++i) {
      const int c = static_cast<int>(i / 81 % 3);
      QCOMPARE(trace.layers[0].q[i], reference(trace.input[i], tables == 3 ? c : 0));
      seen[trace.input[i] + 128] = true;
    }
    QVERIFY(std::count(seen.begin(), seen.end(), true) == 256);
  }

  // Add (a single value and per channel, on either side), Sub, Mul (a per-channel gate),
  // Concat, Affine, Pad and GlobalMaxPool recomputed from the traced codes with the TFLite
  // formulas implemented above, from the layers' scales.
  void elementwiseConcatAffine() {
    std::mt19937 rng(3);
    Model m;
    m.inputShape = {3, 4, 4};
    Layer aff = makeLayer(LayerType::Affine, "aff", {"input"}, "a");
    aff.scale = (Eigen::VectorXf(3) << 1.5f, -0.5f, 2.0f).finished();
    aff.shift = (Eigen::VectorXf(3) << 0.1f, 0.2f, -0.3f).finished();
    Layer pad = makeLayer(LayerType::Pad, "pad", {"cat"}, "padded");
    pad.padTop = 1;
    pad.padRight = 2;
    pad.padValue = 0.5f;
    m.layers = {aff,
                makeLayer(LayerType::GlobalAvgPool, "gap", {"input"}, "g"),
                makeLayer(LayerType::Sigmoid, "sig", {"g"}, "gs"),
                makeLayer(LayerType::Mul, "mul", {"a", "gs"}, "mu"),
                makeLayer(LayerType::Sub, "sub", {"a", "input"}, "d"),
                conv("c1", 3, 1, 1, 1, 0, 1, rng, {"input"}, "c1"),
                makeLayer(LayerType::GlobalAvgPool, "gap2", {"c1"}, "s"),
                makeLayer(LayerType::Add, "add", {"d", "s"}, "e"),
                makeLayer(LayerType::Add, "add2", {"g", "mu"}, "f"),
                makeLayer(LayerType::Concat, "cat", {"e", "f", "input"}, "cat"),
                pad,
                makeLayer(LayerType::GlobalMaxPool, "gmp", {"padded"}, "out")};
    m.finalize();
    const Tensor calib = uniform(m.inputShape, 32, 4, -2.0f, 2.0f);
    const quant::Int8Model q = quant::quantizeModel(m, calib, quant::QuantRecipe{});
    const Tensor x = uniform(m.inputShape, 16, 5, -2.0f, 2.0f);
    quant::Int8Trace tr;
    const Tensor got = quant::runInt8(q, x, &tr);
    const Tensor ref = quant::forward(m, x);
    const std::int64_t N = 16;
    int checked = 0;
    for (const char* name : {"mul", "sub", "add", "add2"}) {
      const quant::Int8Layer& L = q.layers[layerIndex(q, name)];
      const auto& a = codesOf(q, tr, L.inputs[0]);
      const auto& b = codesOf(q, tr, L.inputs[1]);
      const auto& y = codesOf(q, tr, L.outputName);
      const double s0 = L.inScale, s1 = L.in2Scale, so = L.outScale;
      const std::int64_t C = L.outShape[0], per = C * L.outShape[1] * L.outShape[2];
      const std::int64_t inner = per / C;
      const double twiceMax = 2 * std::max(s0, s1);
      const Mult m0 = quantizeMult(s0 / twiceMax), m1 = quantizeMult(s1 / twiceMax);
      const Mult mo =
          quantizeMult(L.type == LayerType::Mul ? s0 * s1 / so : twiceMax / ((1 << 20) * so));
      for (std::int64_t s = 0; s < N; ++s)
        for (std::int64_t c = 0; c < C; ++c)
          for (std::int64_t i = 0; i < inner; ++i) {
            const std::int32_t va = a[broadcastIndex(L.inShape, per, inner, s, c, i)] - L.inZero;
            const std::int32_t vb = b[broadcastIndex(L.in2Shape, per, inner, s, c, i)] - L.in2Zero;
            std::int32_t acc = va * vb;
            if (L.type != LayerType::Mul) {
              const std::int32_t pa = mulBy(va * (1 << 20), m0), pb = mulBy(vb * (1 << 20), m1);
              acc = L.type == LayerType::Sub ? pa - pb : pa + pb;
            }
            const std::int8_t want = clamp8(std::int64_t{mulBy(acc, mo)} + L.outZero);
            QCOMPARE(y[s * per + c * inner + i], want);
            ++checked;
          }
    }
    {  // Concat: each input rescaled by s_k / s_out, or copied when the parameters agree.
      const quant::Int8Layer& L = q.layers[layerIndex(q, "cat")];
      const auto& y = codesOf(q, tr, "cat");
      const std::int64_t per = 9 * 16;
      for (std::int64_t s = 0; s < N; ++s) {
        std::int64_t off = 0;
        for (std::size_t k = 0; k < 3; ++k) {
          const auto& in = codesOf(q, tr, L.inputs[k]);
          const Mult mk = quantizeMult(double(L.inScales[k]) / L.outScale);
          for (std::int64_t i = 0; i < 48; ++i, ++off) {
            const std::int32_t v = in[s * 48 + i] - L.inZeros[k];
            const std::int8_t want = clamp8(std::int64_t{mulBy(v, mk)} + L.outZero);
            QCOMPARE(y[s * per + off], want);
            // Within one code of TFLite's float formulation.
            const double real = std::round(v * double(L.inScales[k]) / L.outScale) + L.outZero;
            QVERIFY(std::fabs(double(want) - std::clamp(real, -128.0, 127.0)) <= 1.0);
            ++checked;
          }
        }
      }
    }
    {  // Affine, per channel: 8 fraction bits, the sign of the scale applied after the multiply.
      const quant::Int8Layer& L = q.layers[layerIndex(q, "aff")];
      const auto& y = codesOf(q, tr, "a");
      for (std::int64_t s = 0; s < N; ++s)
        for (std::int64_t c = 0; c < 3; ++c) {
          const double sc = aff.scale[c], sh = aff.shift[c];
          const Mult mc = quantizeMult(double(L.inScale) * std::fabs(sc) / L.outScale * 256.0);
          const auto bias = static_cast<std::int64_t>(std::nearbyint(sh / L.outScale * 256.0));
          for (std::int64_t i = 0; i < 16; ++i) {
            const std::int64_t k = (s * 3 + c) * 16 + i;
            const std::int32_t v = mulBy(tr.input[k] - L.inZero, mc) * (sc < 0 ? -1 : 1);
            const std::int8_t want =
                clamp8(divPot(static_cast<std::int32_t>(v + bias), 8) + std::int64_t{L.outZero});
            QCOMPARE(y[k], want);
            ++checked;
          }
        }
    }
    {  // Pad on the codes (padValue's code), GlobalMaxPool the largest code.
      const quant::Int8Layer& L = q.layers[layerIndex(q, "pad")];
      const auto& in = codesOf(q, tr, "cat");
      const auto& p = codesOf(q, tr, "padded");
      const auto& g = codesOf(q, tr, "out");
      QCOMPARE(L.outShape, (std::vector<std::int64_t>{9, 5, 6}));
      const std::int8_t padCode =
          clamp8(std::llround(std::nearbyint(0.5 / L.inScale)) + std::int64_t{L.inZero});
      for (std::int64_t pl = 0; pl < N * 9; ++pl) {
        std::int8_t mx = -128;
        for (std::int64_t r = 0; r < 5; ++r)
          for (std::int64_t col = 0; col < 6; ++col) {
            const bool inside = r >= 1 && col < 4;
            const std::int8_t want = inside ? in[pl * 16 + (r - 1) * 4 + col] : padCode;
            QCOMPARE(p[pl * 30 + r * 6 + col], want);
            mx = std::max(mx, want);
          }
        QCOMPARE(g[pl], mx);
        ++checked;
      }
    }
    qInfo("%d codes recomputed; output SQNR against fp32 %.1f dB", checked, sqnrDb(ref, got));
    QVERIFY(sqnrDb(ref, got) > 25.0);
  }

  void wholeModels_data() {
    QTest::addColumn<int>("which");
    QTest::addRow("lenet tanh avgpool") << 0;
    QTest::addRow("mobilenet hardswish depthwise relu6 gap") << 1;
    QTest::addRow("two-branch concat leaky elu pad gmp logsoftmax") << 2;
    QTest::addRow("squeeze-excite sigmoid gate mul prelu") << 3;
  }
  // Static int8 end to end on 500 random inputs (calibrated on 200 others): top-1 agreement with
  // fp32, output SQNR, no layer left in float, and identical bits on every GEMM kernel.
  void wholeModels() {
    QFETCH(int, which);
    Model m = which == 0   ? lenet(21)
              : which == 1 ? mobilenet(22)
              : which == 2 ? twoBranch(23)
                           : squeezeExcite(24);
    const Tensor calib = patterned(m.inputShape, 200, 31);
    fitHead(m, calib);
    const Tensor test = patterned(m.inputShape, 500, 32);
    const quant::Int8Model q = quant::quantizeModel(m, calib, quant::QuantRecipe{});
    for (const quant::Int8Layer& l : q.layers) QVERIFY2(l.floatReason.empty(), l.name.c_str());
    QCOMPARE(q.logSoftmax, which == 2);
    const Tensor ref = quant::forward(m, test);
    quant::Int8Trace refTrace;
    gemm::forceIsa(gemm::Isa::Reference);
    const Tensor got = quant::runInt8(q, test, &refTrace);
    int agree = 0;
    std::vector<int> classes(10, 0);
    for (int n = 0; n < 500; ++n) {
      const float* r = ref.data.data() + n * 10;
      const float* g = got.data.data() + n * 10;
      const auto top = std::max_element(r, r + 10) - r;
      agree += top == std::max_element(g, g + 10) - g;
      ++classes[top];
    }
    // Agreement means little when fp32 puts every input in one class.
    const auto predicted = std::count_if(classes.begin(), classes.end(), [](int k) { return k; });
    const double sqnr = sqnrDb(ref, got);
    qInfo("top-1 agreement %d/500 (%.1f %%) over %d fp32 classes, output SQNR %.1f dB", agree,
          agree / 5.0, int(predicted), sqnr);
    QVERIFY(predicted >= 5);
    QVERIFY2(agree >= 450, qPrintable(QString::number(agree)));
    QVERIFY2(sqnr > 20.0, qPrintable(QString::number(sqnr)));
    int tested = 0;
    for (gemm::Isa isa : {gemm::Isa::Sse2, gemm::Isa::Avx2, gemm::Isa::Avx512Vnni}) {
      if (!gemm::isaSupported(isa)) continue;
      QCOMPARE(gemm::forceIsa(isa), isa);
      quant::Int8Trace t;
      QCOMPARE(quant::runInt8(q, test, &t, nullptr, 2).data, got.data);
      QCOMPARE(t.input, refTrace.input);
      for (std::size_t i = 0; i < t.layers.size(); ++i)
        QCOMPARE(t.layers[i].q, refTrace.layers[i].q);
      ++tested;
    }
    gemm::forceIsa(gemm::Isa::Auto);
    QVERIFY(tested >= 1);
  }
};

QTEST_GUILESS_MAIN(TestInt8Extra)
#include "tst_int8extra.moc"
