// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the static-PTQ int8 executor on small models built in code (an MLP 64-32-10 and a CNN
// conv-relu-maxpool-conv-relu-flatten-linear): accuracy against fp32, bit-identical results on
// every GEMM kernel, an independent integer loop for one Linear layer, zero-point conv padding and
// fused ReLU / ReLU6 clamps.
#include <QtTest>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "quant/calibrate.h"
#include "quant/fixedpoint.h"
#include "quant/int8gemm.h"
#include "quant/int8model.h"
#include "quant/model.h"
#include "quant/quantize.h"
#include "quant/tensor.h"

namespace gemm = quant::gemm;
using quant::Layer;
using quant::LayerType;
using quant::Model;
using quant::Tensor;

namespace {

Layer linear(const std::string& name, int in, int out, std::mt19937& rng) {
  Layer l;
  l.type = LayerType::Linear;
  l.name = name;
  l.weight.resize(out, in);
  l.bias.resize(out);
  // He-style init keeps activations O(1) through the ReLUs.
  std::normal_distribution<float> d(0.0f, std::sqrt(2.0f / static_cast<float>(in)));
  std::normal_distribution<float> b(0.0f, 0.1f);
  for (int o = 0; o < out; ++o) {
    for (int i = 0; i < in; ++i) l.weight(o, i) = d(rng);
    l.bias[o] = b(rng);
  }
  return l;
}

Layer conv(const std::string& name, int inC, int outC, int k, int pad, std::mt19937& rng) {
  Layer l = linear(name, inC * k * k, outC, rng);
  l.type = LayerType::Conv2d;
  l.kernelH = l.kernelW = k;
  l.padTop = l.padLeft = l.padBottom = l.padRight = pad;
  return l;
}

Layer simple(LayerType t, const std::string& name) {
  Layer l;
  l.type = t;
  l.name = name;
  return l;
}

// Wires the layers into a chain input -> l0 -> l1 ... and finalizes.
Model chain(std::vector<std::int64_t> inputShape, std::vector<Layer> layers) {
  Model m;
  m.inputShape = std::move(inputShape);
  std::string prev = m.input;
  for (auto& l : layers) {
    l.inputs = {prev};
    l.output = l.name + "_out";
    prev = l.output;
  }
  m.layers = std::move(layers);
  m.finalize();
  return m;
}

Model mlp(unsigned seed) {
  std::mt19937 rng(seed);
  return chain({64}, {linear("fc1", 64, 32, rng), simple(LayerType::ReLU, "relu1"),
                      linear("fc2", 32, 10, rng)});
}

Model cnn(unsigned seed) {
  std::mt19937 rng(seed);
  Layer pool = simple(LayerType::MaxPool2d, "pool");
  pool.kernelH = pool.kernelW = 2;
  pool.strideH = pool.strideW = 2;
  return chain({1, 8, 8}, {conv("conv1", 1, 4, 3, 1, rng), simple(LayerType::ReLU, "relu1"), pool,
                           conv("conv2", 4, 8, 3, 0, rng), simple(LayerType::ReLU, "relu2"),
                           simple(LayerType::Flatten, "flat"), linear("fc", 8 * 2 * 2, 10, rng)});
}

Tensor randomInput(std::vector<std::int64_t> sampleShape, std::int64_t n, unsigned seed, float lo,
                   float hi) {
  Tensor t;
  t.shape.push_back(n);
  t.shape.insert(t.shape.end(), sampleShape.begin(), sampleShape.end());
  t.data.resize(static_cast<std::size_t>(quant::checkedNumel(t.shape)));
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  for (auto& v : t.data) v = d(rng);
  return t;
}

int argmax(const float* p, int n) {
  int best = 0;
  for (int i = 1; i < n; ++i)
    if (p[i] > p[best]) best = i;
  return best;
}

}  // namespace

class TestInt8Model : public QObject {
  Q_OBJECT

 private slots:
  void accuracyVsFp32_data();
  void accuracyVsFp32();
  void isasBitIdentical();
  void linearMatchesIndependentLoop();
  void convPaddingUsesZeroPoint();
  void fusedReluClampsAtZeroPoint();
  void fusedRelu6();
  void softmaxAndRejections();
  void dynamicAndWeightOnly_data();
  void dynamicAndWeightOnly();
  void dynamicLinearMatchesLoop();
  void depthwiseStrideAndGlobalAvgPool();
};

void TestInt8Model::accuracyVsFp32_data() {
  QTest::addColumn<bool>("isCnn");
  QTest::addColumn<bool>("perChannel");
  QTest::addRow("mlp per-channel") << false << true;
  QTest::addRow("mlp per-tensor") << false << false;
  QTest::addRow("cnn per-channel") << true << true;
  QTest::addRow("cnn per-tensor") << true << false;
}

// Tolerance: with 8-bit activations (255 levels over the calibrated range) and 127-level weights,
// each layer adds roughly -48 dB of relative noise; three quantized layers plus the input end
// well above 30 dB, so 25 dB leaves room for unlucky random weights. Top-1 can flip only where
// the fp32 logit margin is below the noise, which is rare (>= 95% agreement).
void TestInt8Model::accuracyVsFp32() {
  QFETCH(bool, isCnn);
  QFETCH(bool, perChannel);
  for (unsigned seed : {1u, 2u, 3u}) {
    const Model m = isCnn ? cnn(seed) : mlp(seed);
    const Tensor calib = randomInput(m.inputShape, 256, seed + 100, -1.0f, 1.0f);
    const Tensor test = randomInput(m.inputShape, 200, seed + 200, -1.0f, 1.0f);
    const quant::Int8Model q = quant::quantizeModel(m, calib, {}, perChannel);
    const Tensor ref = quant::forward(m, test);
    const Tensor got = quant::runInt8(q, test);
    QCOMPARE(got.shape, ref.shape);
    double sig = 0, err = 0;
    for (std::size_t i = 0; i < ref.data.size(); ++i) {
      sig += double(ref.data[i]) * ref.data[i];
      err += double(ref.data[i] - got.data[i]) * (ref.data[i] - got.data[i]);
    }
    const double sqnr = 10.0 * std::log10(sig / std::max(err, 1e-30));
    int agree = 0;
    for (int n = 0; n < 200; ++n)
      agree += argmax(ref.data.data() + n * 10, 10) == argmax(got.data.data() + n * 10, 10);
    qInfo("seed %u: SQNR %.1f dB, top-1 agreement %d/200", seed, sqnr, agree);
    QVERIFY2(sqnr > 25.0, qPrintable(QString("SQNR %1 dB").arg(sqnr)));
    QVERIFY2(agree >= 190, qPrintable(QString("top-1 agreement %1/200").arg(agree)));
  }
}

void TestInt8Model::isasBitIdentical() {
  const Model models[] = {mlp(7), cnn(7)};
  for (const Model& m : models) {
    const Tensor calib = randomInput(m.inputShape, 64, 11, -1.0f, 1.0f);
    const Tensor test = randomInput(m.inputShape, 37, 12, -1.5f, 1.5f);
    const quant::Int8Model q = quant::quantizeModel(m, calib, {});
    quant::Int8Trace refTrace;
    gemm::forceIsa(gemm::Isa::Reference);
    const Tensor ref = quant::runInt8(q, test, &refTrace);
    int tested = 0;
    for (gemm::Isa isa : {gemm::Isa::Avx2, gemm::Isa::Avx512Vnni}) {
      if (!gemm::isaSupported(isa)) continue;
      QCOMPARE(gemm::forceIsa(isa), isa);
      quant::Int8Trace t;
      const Tensor got = quant::runInt8(q, test, &t);
      QCOMPARE(got.data, ref.data);
      QCOMPARE(t.layers.size(), refTrace.layers.size());
      for (std::size_t i = 0; i < t.layers.size(); ++i) {
        QCOMPARE(t.layers[i].q, refTrace.layers[i].q);
        QCOMPARE(t.layers[i].acc, refTrace.layers[i].acc);
      }
      ++tested;
    }
    gemm::forceIsa(gemm::Isa::Auto);
    qInfo("compared %d SIMD kernel(s) against the reference", tested);
  }
}

// The first Linear layer recomputed with plain loops from the stored int8 parameters, and its
// weights / bias / multiplier re-derived from the fp32 layer.
void TestInt8Model::linearMatchesIndependentLoop() {
  const Model m = mlp(21);
  const Tensor calib = randomInput(m.inputShape, 128, 22, -2.0f, 1.0f);
  const Tensor test = randomInput(m.inputShape, 50, 23, -2.5f, 1.5f);  // some inputs saturate
  const quant::Int8Model q = quant::quantizeModel(m, calib, {});
  quant::Int8Trace trace;
  quant::runInt8(q, test, &trace);
  const quant::Int8Layer& L = q.layers[0];
  QCOMPARE(L.type, LayerType::Linear);
  QCOMPARE(L.fusedActivation, std::string("relu1"));
  const int in = 64, out = 32;
  const Layer& f = m.layers[0];
  for (int o = 0; o < out; ++o) {
    float absMax = 0;
    for (int i = 0; i < in; ++i) absMax = std::max(absMax, std::fabs(f.weight(o, i)));
    QCOMPARE(L.weightScales[o], absMax / 127.0f);
    for (int i = 0; i < in; ++i) {
      const int w = L.weights[o * in + i];
      QVERIFY(w >= -127 && w <= 127);
      QCOMPARE(w, int(std::nearbyint(f.weight(o, i) / L.weightScales[o])));
    }
    const double accScale = double(L.inScale) * L.weightScales[o];
    QCOMPARE(L.bias[o], std::int32_t(std::nearbyint(double(f.bias[o]) / accScale)));
    const quant::QuantizedMultiplier qm = quant::QuantizeMultiplier(accScale / L.outScale);
    QCOMPARE(L.requant[o].multiplier, qm.multiplier);
    QCOMPARE(L.requant[o].shift, qm.shift);
  }
  for (int n = 0; n < 50; ++n) {
    for (int o = 0; o < out; ++o) {
      std::int64_t acc = L.bias[o];
      for (int i = 0; i < in; ++i)
        acc += std::int64_t(trace.input[n * in + i] - L.inZero) * L.weights[o * in + i];
      QVERIFY(acc >= INT32_MIN && acc <= INT32_MAX);
      QCOMPARE(trace.layers[0].acc[n * out + o], std::int32_t(acc));
      std::int64_t v = std::int64_t(quant::MultiplyByQuantizedMultiplier(
                           std::int32_t(acc), L.requant[o].multiplier, L.requant[o].shift)) +
                       L.outZero;
      v = std::clamp<std::int64_t>(v, L.outZero, 127);  // fused ReLU
      QCOMPARE(int(trace.layers[0].q[n * out + o]), int(v));
    }
  }
}

// Inputs in [1, 2] make the input zero point -128 (real 0), far from code 0 (real ~1): border
// outputs are only right if padded taps hold the zero point.
void TestInt8Model::convPaddingUsesZeroPoint() {
  std::mt19937 rng(5);
  const Model m = chain({2, 5, 5}, {conv("c", 2, 3, 3, 1, rng)});
  const Tensor calib = randomInput(m.inputShape, 32, 6, 1.0f, 2.0f);
  const Tensor test = randomInput(m.inputShape, 8, 7, 1.0f, 2.0f);
  const quant::Int8Model q = quant::quantizeModel(m, calib, {});
  QCOMPARE(q.inputZero, -128);
  quant::Int8Trace trace;
  const Tensor got = quant::runInt8(q, test, &trace);
  const Tensor ref = quant::forward(m, test);
  const quant::Int8Layer& L = q.layers[0];
  // Independent direct convolution on the codes; padding = real 0 = zero point (contributes 0).
  double maxBorderErr = 0;
  for (int n = 0; n < 8; ++n)
    for (int o = 0; o < 3; ++o)
      for (int y = 0; y < 5; ++y)
        for (int x = 0; x < 5; ++x) {
          std::int64_t acc = L.bias[o];
          for (int c = 0; c < 2; ++c)
            for (int ky = 0; ky < 3; ++ky)
              for (int kx = 0; kx < 3; ++kx) {
                const int iy = y + ky - 1, ix = x + kx - 1;
                if (iy < 0 || iy >= 5 || ix < 0 || ix >= 5) continue;
                acc += std::int64_t(trace.input[((n * 2 + c) * 5 + iy) * 5 + ix] - L.inZero) *
                       L.weights[o * 18 + c * 9 + ky * 3 + kx];
              }
          const std::size_t idx = ((n * 3 + o) * 5 + y) * 5 + x;
          QCOMPARE(trace.layers[0].acc[idx], std::int32_t(acc));
          if (y == 0 || x == 0 || y == 4 || x == 4)
            maxBorderErr = std::max(maxBorderErr, double(std::fabs(got.data[idx] - ref.data[idx])));
        }
  // A zero-valued pad code would add ~1.0 * w per padded tap; the real error is a few LSBs.
  QVERIFY2(
      maxBorderErr < 4.0 * q.outputScale,
      qPrintable(QString("border error %1, output scale %2").arg(maxBorderErr).arg(q.outputScale)));
}

void TestInt8Model::fusedReluClampsAtZeroPoint() {
  const Model m = cnn(31);
  const Tensor calib = randomInput(m.inputShape, 64, 32, -1.0f, 1.0f);
  const Tensor test = randomInput(m.inputShape, 20, 33, -1.0f, 1.0f);
  const quant::Int8Model q = quant::quantizeModel(m, calib, {});
  QCOMPARE(q.layers.size(), std::size_t(5));  // conv1+relu, pool, conv2+relu, flatten, fc
  quant::Int8Trace trace;
  quant::runInt8(q, test, &trace);
  for (std::size_t li : {std::size_t(0), std::size_t(2)}) {
    const quant::Int8Layer& L = q.layers[li];
    QVERIFY(!L.fusedActivation.empty());
    QCOMPARE(L.output.actMin, L.outZero);
    // Real 0 is exactly representable, so ReLU's zero is exact after dequantization.
    QCOMPARE(quant::dequantizeValue(L.outZero, L.outScale, L.outZero), 0.0f);
    const auto& t = trace.layers[li];
    const std::int64_t M = t.q.size() / t.shape[0] / t.shape[1];
    int clamped = 0;
    for (std::size_t i = 0; i < t.q.size(); ++i) {
      const int ch = int((i / M) % t.shape[1]);
      const std::int64_t unclamped = std::int64_t(quant::MultiplyByQuantizedMultiplier(
                                         t.acc[i], L.requant[ch].multiplier, L.requant[ch].shift)) +
                                     L.outZero;
      QVERIFY(t.q[i] >= L.outZero);
      QCOMPARE(int(t.q[i]), int(std::clamp<std::int64_t>(unclamped, L.outZero, 127)));
      clamped += unclamped < L.outZero;
    }
    QVERIFY(clamped > 0);  // the clamp was exercised
  }
}

void TestInt8Model::fusedRelu6() {
  std::mt19937 rng(41);
  Layer l = linear("fc", 16, 8, rng);
  l.weight *= 6.0f;  // outputs well beyond 6
  Layer clip = simple(LayerType::Clip, "relu6");
  clip.clipMin = 0.0f;
  clip.clipMax = 6.0f;
  const Model m = chain({16}, {l, clip});
  const Tensor calib = randomInput(m.inputShape, 64, 42, -1.0f, 1.0f);
  const quant::Int8Model q = quant::quantizeModel(m, calib, {});
  QCOMPARE(q.layers.size(), std::size_t(1));
  const quant::Int8Layer& L = q.layers[0];
  QCOMPARE(L.output.actMin, L.outZero);
  QCOMPARE(L.output.actMax, quant::quantizeValue(6.0f, L.outScale, L.outZero, -128, 127));
  const Tensor test = randomInput(m.inputShape, 50, 43, -1.0f, 1.0f);
  const Tensor got = quant::runInt8(q, test);
  const Tensor ref = quant::forward(m, test);
  for (std::size_t i = 0; i < got.data.size(); ++i) {
    QVERIFY(got.data[i] >= 0.0f && got.data[i] <= 6.0f + L.outScale);
    QVERIFY(std::fabs(got.data[i] - ref.data[i]) < 4.0f * L.outScale);
  }
}

void TestInt8Model::softmaxAndRejections() {
  Model m = mlp(51);
  Layer sm = simple(LayerType::Softmax, "softmax");
  sm.inputs = {m.layers.back().output};
  sm.output = "probs";
  m.layers.push_back(sm);
  m.output.clear();
  m.finalize();
  const Tensor calib = randomInput(m.inputShape, 64, 52, -1.0f, 1.0f);
  const quant::Int8Model q = quant::quantizeModel(m, calib, {});
  QVERIFY(q.softmax);
  const Tensor got = quant::runInt8(q, calib);
  const Tensor ref = quant::forward(m, calib);
  for (int n = 0; n < 64; ++n) {
    double s = 0;
    for (int j = 0; j < 10; ++j) {
      s += got.data[n * 10 + j];
      QVERIFY(std::fabs(got.data[n * 10 + j] - ref.data[n * 10 + j]) < 0.05f);
    }
    QVERIFY(std::fabs(s - 1.0) < 1e-5);
  }
  // AvgPool2d is not supported: a clear error naming the layer.
  std::mt19937 rng(53);
  Layer avg = simple(LayerType::AvgPool2d, "avg");
  avg.kernelH = avg.kernelW = 2;
  avg.strideH = avg.strideW = 2;
  const Model bad = chain({1, 4, 4}, {conv("c", 1, 2, 3, 1, rng), avg});
  QVERIFY_THROWS_EXCEPTION(quant::Error,
                           quant::quantizeModel(bad, randomInput({1, 4, 4}, 4, 1, 0, 1), {}));
  // Wrong input shape.
  QVERIFY_THROWS_EXCEPTION(quant::Error, quant::runInt8(q, randomInput({63}, 2, 1, 0, 1)));
}

void TestInt8Model::dynamicAndWeightOnly_data() {
  QTest::addColumn<bool>("isCnn");
  QTest::addColumn<bool>("perChannel");
  QTest::addRow("mlp per-channel") << false << true;
  QTest::addRow("mlp per-tensor") << false << false;
  QTest::addRow("cnn per-channel") << true << true;
}

// Dynamic quantization adapts the activation grid to each batch and rescales in float, so it is
// at least as accurate as static PTQ here (> 25 dB); weight-only keeps fp32 activations and only
// has the weight rounding noise (> 35 dB). All ISAs give identical dynamic results.
void TestInt8Model::dynamicAndWeightOnly() {
  QFETCH(bool, isCnn);
  QFETCH(bool, perChannel);
  const Model m = isCnn ? cnn(61) : mlp(61);
  const Tensor test = randomInput(m.inputShape, 200, 62, -1.0f, 1.0f);
  const Tensor ref = quant::forward(m, test);
  const auto sqnr = [&](const Tensor& got) {
    double sig = 0, err = 0;
    for (std::size_t i = 0; i < ref.data.size(); ++i) {
      sig += double(ref.data[i]) * ref.data[i];
      err += double(ref.data[i] - got.data[i]) * (ref.data[i] - got.data[i]);
    }
    return 10.0 * std::log10(sig / std::max(err, 1e-30));
  };
  const quant::DynamicInt8Model d = quant::quantizeDynamic(m, perChannel);
  gemm::forceIsa(gemm::Isa::Reference);
  const Tensor dyn = quant::runDynamic(d, test);
  for (gemm::Isa isa : {gemm::Isa::Avx2, gemm::Isa::Avx512Vnni}) {
    if (!gemm::isaSupported(isa)) continue;
    gemm::forceIsa(isa);
    QCOMPARE(quant::runDynamic(d, test).data, dyn.data);
  }
  gemm::forceIsa(gemm::Isa::Auto);
  QCOMPARE(dyn.shape, ref.shape);
  const Model wo = quant::weightOnlyModel(m, perChannel);
  const Tensor w = quant::forward(wo, test);
  // Weight-only weights lie on the int8 grid of their channel.
  const quant::Int8Model s = quant::quantizeModel(m, test, {}, perChannel);
  const Tensor st = quant::runInt8(s, test);
  const double sd = sqnr(dyn), sw = sqnr(w), ss = sqnr(st);
  qInfo("SQNR static %.1f dB, dynamic %.1f dB, weight-only %.1f dB", ss, sd, sw);
  QVERIFY2(sd > 25.0, qPrintable(QString::number(sd)));
  QVERIFY2(sw > 35.0, qPrintable(QString::number(sw)));
  for (std::size_t li = 0; li < m.layers.size(); ++li) {
    const Layer& l = wo.layers[li];
    if (l.type != LayerType::Linear && l.type != LayerType::Conv2d) continue;
    const std::size_t si = li == 0 ? 0 : (isCnn ? (li == 3 ? 2 : 4) : 1);
    const quant::Int8Layer& L = s.layers[si];
    QCOMPARE(L.name, l.name);
    for (Eigen::Index o = 0; o < l.weight.rows(); ++o)
      for (Eigen::Index k = 0; k < l.weight.cols(); ++k)
        QCOMPARE(l.weight(o, k), L.weightScales[o] * float(L.weights[o * l.weight.cols() + k]));
  }
}

void TestInt8Model::dynamicLinearMatchesLoop() {
  std::mt19937 rng(71);
  const Model m = chain({24}, {linear("fc", 24, 5, rng)});
  const Tensor x = randomInput(m.inputShape, 9, 72, -0.5f, 3.0f);
  const quant::DynamicInt8Model d = quant::quantizeDynamic(m);
  const Tensor got = quant::runDynamic(d, x);
  float lo = 0, hi = 0;
  for (float v : x.data) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  quant::QuantSpec spec;
  spec.scheme = quant::Scheme::Asymmetric;
  const quant::ScaleZeroPoint sz = quant::chooseParams(spec, lo, hi);
  const quant::Int8Layer& L = d.layers[0];
  for (int n = 0; n < 9; ++n)
    for (int o = 0; o < 5; ++o) {
      std::int64_t acc = 0;
      for (int i = 0; i < 24; ++i)
        acc += std::int64_t(
                   quant::quantizeValue(x.data[n * 24 + i], sz.scale, sz.zeroPoint, -128, 127) -
                   sz.zeroPoint) *
               L.weights[o * 24 + i];
      const float want =
          float(double(sz.scale) * L.weightScales[o] * double(acc) + double(m.layers[0].bias[o]));
      QCOMPARE(got.data[n * 5 + o], want);
    }
}

// conv(2->4, stride 2) + ReLU, depthwise conv (groups 4) + ReLU6, GlobalAvgPool, Flatten, Linear:
// every Conv2d accumulator equals an independent direct loop over the previous layer's codes, the
// GlobalAvgPool output equals z + round_half_to_even(mean(q - z)), and the logits track fp32.
void TestInt8Model::depthwiseStrideAndGlobalAvgPool() {
  std::mt19937 rng(81);
  Layer c1 = conv("c1", 2, 4, 3, 1, rng);
  c1.strideH = c1.strideW = 2;
  Layer dw = conv("dw", 1, 4, 3, 1, rng);  // weight [4, 1*3*3]
  dw.groups = 4;
  Layer clip = simple(LayerType::Clip, "relu6");
  clip.clipMin = 0.0f;
  clip.clipMax = 6.0f;
  const Model m = chain({2, 9, 9}, {c1, simple(LayerType::ReLU, "r1"), dw, clip,
                                    simple(LayerType::GlobalAvgPool, "gap"),
                                    simple(LayerType::Flatten, "fl"), linear("fc", 4, 10, rng)});
  const Tensor calib = randomInput(m.inputShape, 64, 82, -1.0f, 1.0f);
  const Tensor test = randomInput(m.inputShape, 100, 83, -1.0f, 1.0f);
  const quant::Int8Model q = quant::quantizeModel(m, calib, {});
  QCOMPARE(q.layers.size(), std::size_t(5));
  quant::Int8Trace trace;
  const Tensor got = quant::runInt8(q, test, &trace);
  for (std::size_t li : {std::size_t(0), std::size_t(1)}) {
    const quant::Int8Layer& L = q.layers[li];
    const std::vector<std::int8_t>& in = li == 0 ? trace.input : trace.layers[li - 1].q;
    const int C = int(L.inShape[0]), H = int(L.inShape[1]), W = int(L.inShape[2]);
    const int OC = int(L.outShape[0]), OH = int(L.outShape[1]), OW = int(L.outShape[2]);
    const int Cg = C / L.groups, Ng = OC / L.groups, K = Cg * 9;
    for (int n = 0; n < 100; ++n)
      for (int o = 0; o < OC; ++o)
        for (int y = 0; y < OH; ++y)
          for (int x = 0; x < OW; ++x) {
            std::int64_t acc = L.bias[o];
            for (int c = 0; c < Cg; ++c)
              for (int ky = 0; ky < 3; ++ky)
                for (int kx = 0; kx < 3; ++kx) {
                  const int iy = y * L.strideH + ky - 1, ix = x * L.strideW + kx - 1;
                  if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                  const int ic = (o / Ng) * Cg + c;
                  acc += std::int64_t(in[((n * C + ic) * H + iy) * W + ix] - L.inZero) *
                         L.weights[o * K + c * 9 + ky * 3 + kx];
                }
            QCOMPARE(trace.layers[li].acc[((n * OC + o) * OH + y) * OW + x], std::int32_t(acc));
          }
  }
  const quant::Int8Layer& gap = q.layers[2];
  const int HW = int(gap.inShape[1] * gap.inShape[2]);
  for (int nc = 0; nc < 100 * 4; ++nc) {
    std::int64_t sum = 0;
    for (int j = 0; j < HW; ++j) sum += trace.layers[1].q[nc * HW + j] - gap.inZero;
    const int want = int(std::nearbyint(double(sum) / HW)) + gap.inZero;
    QCOMPARE(int(trace.layers[2].q[nc]), want);
  }
  const Tensor ref = quant::forward(m, test);
  double sig = 0, err = 0;
  for (std::size_t i = 0; i < ref.data.size(); ++i) {
    sig += double(ref.data[i]) * ref.data[i];
    err += double(ref.data[i] - got.data[i]) * (ref.data[i] - got.data[i]);
  }
  const double sqnr = 10.0 * std::log10(sig / std::max(err, 1e-30));
  qInfo("depthwise/GAP model SQNR %.1f dB", sqnr);
  QVERIFY2(sqnr > 25.0, qPrintable(QString::number(sqnr)));
}

QTEST_GUILESS_MAIN(TestInt8Model)
#include "tst_int8model.moc"
