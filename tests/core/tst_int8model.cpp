// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the static-PTQ int8 executor on small models built in code (an MLP 64-32-10 and a CNN
// conv-relu-maxpool-conv-relu-flatten-linear): accuracy against fp32, bit-identical results on
// every GEMM kernel, an independent integer loop for one Linear layer, zero-point conv padding and
// fused ReLU / ReLU6 clamps.
// Over 700 lines: the two models, the independent integer loops and every layer type's edge cases
// (padding, fusion, pooling, Add, saturation) belong to the one executor they check.
#include <QtTest>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <random>
#include <thread>
#include <vector>

#include "quant/base/tensor.h"
#include "quant/kernels/fixedpoint.h"
#include "quant/kernels/int8gemm.h"
#include "quant/nn/int8model.h"
#include "quant/nn/model.h"
#include "quant/numeric/calibrate.h"
#include "quant/numeric/quantize.h"
#include "modeltesting.h"

namespace gemm = quant::gemm;
using quant::Layer;
using quant::LayerType;
using quant::Model;
using quant::Tensor;

namespace {

Layer linear(const std::string& name, int in, int out, std::mt19937& rng) {
  return quantlab::testing::heLinear(name, in, out, rng);
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

// A layer wired to named tensors (for graphs that are not chains).
Layer wired(Layer l, std::vector<std::string> inputs, std::string output) {
  l.inputs = std::move(inputs);
  l.output = std::move(output);
  return l;
}

Layer window(LayerType t, const std::string& name, int k, int stride, int pad) {
  Layer l = simple(t, name);
  l.kernelH = l.kernelW = k;
  l.strideH = l.strideW = stride;
  l.padTop = l.padLeft = l.padBottom = l.padRight = pad;
  return l;
}

// Conv-ReLU-Conv with a skip connection around the second conv, ReLU after the Add, AvgPool,
// Linear: input [1, 8, 8] -> 10 logits.
Model residualCnn(unsigned seed) {
  std::mt19937 rng(seed);
  Model m;
  m.inputShape = {1, 8, 8};
  m.layers = {wired(conv("conv1", 1, 8, 3, 1, rng), {"input"}, "c1"),
              wired(simple(LayerType::ReLU, "relu1"), {"c1"}, "r1"),
              wired(conv("conv2", 8, 8, 3, 1, rng), {"r1"}, "c2"),
              wired(simple(LayerType::Add, "add"), {"c2", "r1"}, "s"),
              wired(simple(LayerType::ReLU, "relu2"), {"s"}, "sr"),
              wired(window(LayerType::AvgPool2d, "avg", 2, 2, 0), {"sr"}, "av"),
              wired(simple(LayerType::Flatten, "flat"), {"av"}, "f"),
              wired(linear("fc", 8 * 4 * 4, 10, rng), {"f"}, "logits")};
  m.finalize();
  return m;
}

// A skip straight from the graph input, the Add followed by a fused ReLU6, a padded AvgPool that
// counts the padding, GlobalAvgPool and a final Softmax.
Model skipFromInput(unsigned seed) {
  std::mt19937 rng(seed);
  Model m;
  m.inputShape = {4, 6, 6};
  Layer relu6 = simple(LayerType::Clip, "relu6");
  relu6.clipMin = 0.0f;
  relu6.clipMax = 6.0f;
  Layer avg = window(LayerType::AvgPool2d, "avg", 3, 2, 1);
  avg.countIncludePad = true;
  m.layers = {wired(conv("conv", 4, 4, 3, 1, rng), {"input"}, "c"),
              wired(simple(LayerType::Add, "add"), {"c", "input"}, "s"),
              wired(relu6, {"s"}, "s6"),
              wired(avg, {"s6"}, "av"),
              wired(simple(LayerType::GlobalAvgPool, "gap"), {"av"}, "g"),
              wired(simple(LayerType::Flatten, "flat"), {"g"}, "f"),
              wired(linear("fc", 4, 6, rng), {"f"}, "z"),
              wired(simple(LayerType::Softmax, "softmax"), {"z"}, "prob")};
  m.finalize();
  return m;
}

Model modelNamed(const QString& name, unsigned seed) {
  if (name == "mlp") return mlp(seed);
  if (name == "cnn") return cnn(seed);
  if (name == "residual cnn") return residualCnn(seed);
  return skipFromInput(seed);
}

double sqnrDb(const Tensor& ref, const Tensor& got) {
  double sig = 0, err = 0;
  for (std::size_t i = 0; i < ref.data.size(); ++i) {
    sig += double(ref.data[i]) * ref.data[i];
    err += double(ref.data[i] - got.data[i]) * (ref.data[i] - got.data[i]);
  }
  return 10.0 * std::log10(sig / std::max(err, 1e-30));
}

// The int8 codes of every tensor of a traced run, by name.
std::map<std::string, const std::vector<std::int8_t>*> codesByName(const quant::Int8Model& q,
                                                                   const quant::Int8Trace& t) {
  std::map<std::string, const std::vector<std::int8_t>*> codes{{q.input, &t.input}};
  for (std::size_t i = 0; i < q.layers.size(); ++i) codes[q.layers[i].outputName] = &t.layers[i].q;
  return codes;
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

// Sets the thread team's split threshold for one test and restores it on any exit.
class MinSliceGuard {
 public:
  explicit MinSliceGuard(double ns) : old_(quant::detail::setMinSliceNanoseconds(ns)) {}
  ~MinSliceGuard() { quant::detail::setMinSliceNanoseconds(old_); }
  MinSliceGuard(const MinSliceGuard&) = delete;
  MinSliceGuard& operator=(const MinSliceGuard&) = delete;

 private:
  double old_;
};

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
  void profileAndThreadsBitIdentical_data();
  void profileAndThreadsBitIdentical();
  void avgPoolMatchesIntegerReference_data();
  void avgPoolMatchesIntegerReference();
  void addMatchesDoubleReference_data();
  void addMatchesDoubleReference();
  void residualCnnAgreesWithFp32();
  void dynamicAndWeightOnlyOnDag();
  void inputQuantizationMatchesQuantizeValue_data();
  void inputQuantizationMatchesQuantizeValue();
  void threadSplitThreshold();
  void forwardTimedForcedSplitBitIdentical();
  void maxPoolMatchesPlainLoop();
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
    const quant::Int8Model q = quant::quantizeModel(m, calib, quant::QuantRecipe{});
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
  const quant::Int8Model q = quant::quantizeModel(m, calib, quant::QuantRecipe{});
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
  const quant::Int8Model q = quant::quantizeModel(m, calib, quant::QuantRecipe{});
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
  const quant::Int8Model q = quant::quantizeModel(m, calib, quant::QuantRecipe{});
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
  const quant::Int8Model q = quant::quantizeModel(m, calib, quant::QuantRecipe{});
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
  const quant::Int8Model q = quant::quantizeModel(m, calib, quant::QuantRecipe{});
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
  // BatchNorm (unfolded) and a Softmax before the end have no integer kernel: they run in float
  // between a dequantize and a quantize, and the Int8Layer says so.
  std::mt19937 rng(53);
  Layer bn = simple(LayerType::BatchNorm, "bn");
  bn.gamma = bn.beta = bn.mean = bn.var = Eigen::VectorXf::Ones(2);
  const Model bad = chain({1, 4, 4}, {conv("c", 1, 2, 3, 1, rng), bn});
  const Model midSoftmax = chain(
      {8}, {linear("fc1", 8, 4, rng), simple(LayerType::Softmax, "sm"), linear("fc2", 4, 3, rng)});
  for (const Model* fm : {&bad, &midSoftmax}) {
    const Tensor x = randomInput(fm->inputShape, 16, 54, 0, 1);
    const quant::Int8Model fq = quant::quantizeModel(*fm, x, quant::QuantRecipe{});
    QCOMPARE(fq.layers.size(), std::size_t{fm == &bad ? 2u : 3u});
    QVERIFY(!fq.layers[1].floatReason.empty());
    QVERIFY(fq.layers[0].floatReason.empty());
    const Tensor fy = quant::forward(*fm, x), qy = quant::runInt8(fq, x);
    double err = 0, sig = 0;
    for (std::size_t i = 0; i < fy.data.size(); ++i) {
      err += std::pow(fy.data[i] - qy.data[i], 2);
      sig += std::pow(fy.data[i], 2);
    }
    QVERIFY2(err < 1e-3 * sig, qPrintable(QString::number(err / sig)));
  }
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
  const quant::Int8Model q = quant::quantizeModel(m, calib, quant::QuantRecipe{});
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

void TestInt8Model::profileAndThreadsBitIdentical_data() {
  QTest::addColumn<QString>("model");
  QTest::addColumn<int>("threads");
  QTest::addColumn<bool>("forceSplit");
  const QStringList models{"mlp", "cnn", "residual cnn", "skip from input"};
  for (const QString& model : models)
    for (const int threads : {1, 2, 3})
      for (const bool force : {false, true})
        QTest::addRow("%s", qPrintable(QString("%1, %2 thread(s)%3")
                                           .arg(model)
                                           .arg(threads)
                                           .arg(force ? ", every layer split" : "")))
            << model << threads << force;
}

// A profiled run (the fused path with a clock read around each stage) and any thread count give
// exactly the codes of the plain run; the profile has one entry per layer, in order, its stages
// add up to stages() and fit in the call's own total and in the caller's wall-clock time. These
// small
// models fall below the split threshold, so forceSplit sets it to 0 to make every layer with more
// than one sample really run on `threads` threads.
void TestInt8Model::profileAndThreadsBitIdentical() {
  QFETCH(QString, model);
  QFETCH(int, threads);
  QFETCH(bool, forceSplit);
  const MinSliceGuard guard(forceSplit ? 0.0 : quant::detail::minSliceNanoseconds());
  const Model m = modelNamed(model, 31);
  const Tensor calib = randomInput(m.inputShape, 64, 32, -1.0f, 1.0f);
  const quant::Int8Model q = quant::quantizeModel(m, calib, quant::QuantRecipe{});
  for (const std::int64_t batch : {1, 7}) {
    const Tensor test = randomInput(m.inputShape, batch, 33, -1.2f, 1.2f);
    const Tensor plain = quant::runInt8(q, test);
    quant::Int8Trace plainTrace;
    QCOMPARE(quant::runInt8(q, test, &plainTrace).data, plain.data);
    QCOMPARE(plainTrace.layers.size(), q.layers.size());

    QCOMPARE(quant::runInt8(q, test, nullptr, nullptr, threads).data, plain.data);
    quant::Int8Trace t;
    quant::Int8Profile p;
    const auto t0 = std::chrono::steady_clock::now();
    const Tensor got = quant::runInt8(q, test, &t, &p, threads);
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    QCOMPARE(got.shape, plain.shape);
    QCOMPARE(got.data, plain.data);
    QCOMPARE(t.input, plainTrace.input);
    QCOMPARE(t.layers.size(), plainTrace.layers.size());
    for (std::size_t i = 0; i < t.layers.size(); ++i) {
      QCOMPARE(t.layers[i].shape, plainTrace.layers[i].shape);
      QCOMPARE(t.layers[i].q, plainTrace.layers[i].q);
      QCOMPARE(t.layers[i].acc, plainTrace.layers[i].acc);
    }
    quant::Int8Profile p2;
    QCOMPARE(quant::runInt8(q, test, nullptr, &p2, threads).data, plain.data);
    QCOMPARE(p2.layers.size(), q.layers.size());

    QCOMPARE(p.layers.size(), q.layers.size());
    double layers = 0;
    for (std::size_t i = 0; i < p.layers.size(); ++i) {
      QCOMPARE(p.layers[i].name, q.layers[i].name);
      QVERIFY(p.layers[i].seconds >= 0.0);
      layers += p.layers[i].seconds;
    }
    QCOMPARE(p.layerSeconds(), layers);
    QVERIFY(p.quantizeInput >= 0.0 && p.dequantizeOutput >= 0.0);
    QCOMPARE(p.stages(), p.quantizeInput + layers + p.dequantizeOutput);
    QVERIFY2(p.stages() <= p.total, "the stages lie inside the call");
    QVERIFY2(p.total <= wall, "the call's own total fits in the caller's wall-clock time");
  }
  QVERIFY_THROWS_EXCEPTION(
      quant::Error, quant::runInt8(q, randomInput(m.inputShape, 2, 1, 0, 1), nullptr, nullptr, 0));
}

void TestInt8Model::avgPoolMatchesIntegerReference_data() {
  QTest::addColumn<int>("kernel");
  QTest::addColumn<int>("stride");
  QTest::addColumn<int>("pad");
  QTest::addColumn<bool>("includePad");
  QTest::addColumn<bool>("afterConv");
  QTest::addRow("2x2 stride 2") << 2 << 2 << 0 << false << false;
  QTest::addRow("3x3 stride 1 pad 1 excluding pad") << 3 << 1 << 1 << false << false;
  QTest::addRow("3x3 stride 1 pad 1 counting pad") << 3 << 1 << 1 << true << false;
  QTest::addRow("3x3 stride 2 pad 1 counting pad") << 3 << 2 << 1 << true << false;
  QTest::addRow("4x4 stride 3 pad 2 excluding pad, after conv") << 4 << 3 << 2 << false << true;
  QTest::addRow("2x2 stride 1 pad 1 counting pad, after conv") << 2 << 1 << 1 << true << true;
}

// Every int8 AvgPool2d output against a loop written here: z + round_half_to_even(sum(q - z) /
// count), count as in the fp32 layer; exact division results of integers in double are exact
// at ties and at least 1/count away from them otherwise, so nearbyint rounds ties to even.
void TestInt8Model::avgPoolMatchesIntegerReference() {
  QFETCH(int, kernel);
  QFETCH(int, stride);
  QFETCH(int, pad);
  QFETCH(bool, includePad);
  QFETCH(bool, afterConv);
  std::mt19937 rng(41);
  Layer avg = window(LayerType::AvgPool2d, "avg", kernel, stride, pad);
  avg.countIncludePad = includePad;
  std::vector<Layer> layers;
  if (afterConv) layers.push_back(conv("conv", 3, 3, 3, 1, rng));
  layers.push_back(avg);
  const Model m = chain({3, 7, 7}, layers);
  // An input range away from symmetric gives a non-zero zero point.
  const Tensor calib = randomInput(m.inputShape, 32, 42, -0.7f, 2.3f);
  const Tensor test = randomInput(m.inputShape, 20, 43, -0.8f, 2.4f);
  const quant::Int8Model q = quant::quantizeModel(m, calib, quant::QuantRecipe{});
  quant::Int8Trace trace;
  const Tensor got = quant::runInt8(q, test, &trace);
  const quant::Int8Layer& L = q.layers.back();
  QCOMPARE(L.type, LayerType::AvgPool2d);
  QCOMPARE(L.outScale, L.inScale);
  QCOMPARE(L.outZero, L.inZero);
  if (!afterConv) QVERIFY(L.inZero != 0);
  const std::vector<std::int8_t>& in = afterConv ? trace.layers[0].q : trace.input;
  const std::vector<std::int8_t>& out = trace.layers.back().q;
  const int C = 3, H = 7, W = 7, OH = int(L.outShape[1]), OW = int(L.outShape[2]);
  QCOMPARE(out.size(), std::size_t(20 * C * OH * OW));
  int ties = 0;
  for (int n = 0; n < 20; ++n)
    for (int c = 0; c < C; ++c)
      for (int oy = 0; oy < OH; ++oy)
        for (int ox = 0; ox < OW; ++ox) {
          long long sum = 0;
          int count = 0;
          for (int ky = 0; ky < kernel; ++ky)
            for (int kx = 0; kx < kernel; ++kx) {
              const int iy = oy * stride - pad + ky, ix = ox * stride - pad + kx;
              const bool real = iy >= 0 && iy < H && ix >= 0 && ix < W;
              const bool padded = iy >= -pad && iy < H + pad && ix >= -pad && ix < W + pad;
              if (real) sum += in[((n * C + c) * H + iy) * W + ix] - L.inZero;
              if (real || (includePad && padded)) ++count;
            }
          ties += 2 * std::llabs(sum % count) == count;
          const int want =
              std::clamp(int(std::nearbyint(double(sum) / count)) + L.inZero, -128, 127);
          QCOMPARE(int(out[((n * C + c) * OH + oy) * OW + ox]), want);
        }
  qInfo("%d ties rounded to even", ties);
  // And the dequantized result tracks the fp32 layer.
  const Tensor ref = quant::forward(m, test);
  const double sqnr = sqnrDb(ref, got);
  QVERIFY2(sqnr > 30.0, qPrintable(QString::number(sqnr)));
}

void TestInt8Model::addMatchesDoubleReference_data() {
  QTest::addColumn<QString>("form");
  QTest::addRow("conv + graph input") << "conv + input";
  QTest::addRow("two convs, fused ReLU") << "two convs relu";
  QTest::addRow("x + x") << "x + x";
  QTest::addRow("scales 16x apart") << "unequal scales";
}

// The int8 Add against round(s_a (q_a - z_a) + s_b (q_b - z_b)) / s_out) + z_out computed in
// double on the same input codes: within one code (the fixed-point path rounds more than once).
void TestInt8Model::addMatchesDoubleReference() {
  QFETCH(QString, form);
  std::mt19937 rng(61);
  Layer ca = conv("ca", 2, 2, 3, 1, rng), cb = conv("cb", 2, 2, 3, 1, rng);
  if (form == "unequal scales") {
    cb.weight *= 16.0f;
    cb.bias *= 16.0f;
  }
  Model m;
  m.inputShape = {2, 6, 6};
  m.layers = {wired(ca, {"input"}, "a"), wired(cb, {"input"}, "b")};
  const std::string other = form == "conv + input" ? "input" : form == "x + x" ? "a" : "b";
  m.layers.push_back(wired(simple(LayerType::Add, "add"), {"a", other}, "s"));
  const bool relu = form == "two convs relu";
  if (relu) m.layers.push_back(wired(simple(LayerType::ReLU, "relu"), {"s"}, "sr"));
  // The conv cb must be consumed; a last Add keeps every tensor live.
  m.layers.push_back(wired(simple(LayerType::Add, "tail"), {relu ? "sr" : "s", "b"}, "out"));
  m.finalize();
  const Tensor calib = randomInput(m.inputShape, 64, 62, -1.0f, 1.5f);
  const Tensor test = randomInput(m.inputShape, 50, 63, -1.1f, 1.6f);
  const quant::Int8Model q = quant::quantizeModel(m, calib, quant::QuantRecipe{});
  quant::Int8Trace trace;
  const Tensor got = quant::runInt8(q, test, &trace);
  const auto codes = codesByName(q, trace);
  int checked = 0;
  for (std::size_t li = 0; li < q.layers.size(); ++li) {
    const quant::Int8Layer& L = q.layers[li];
    if (L.type != LayerType::Add) continue;
    if (L.name == "add") QCOMPARE(QString::fromStdString(L.fusedActivation), relu ? "relu" : "");
    const std::vector<std::int8_t>& a = *codes.at(L.inputs[0]);
    const std::vector<std::int8_t>& b = *codes.at(L.inputs[1]);
    const std::vector<std::int8_t>& y = trace.layers[li].q;
    QCOMPARE(a.size(), y.size());
    int exact = 0;
    for (std::size_t i = 0; i < y.size(); ++i) {
      const double real =
          double(L.inScale) * (a[i] - L.inZero) + double(L.in2Scale) * (b[i] - L.in2Zero);
      const double ref = std::clamp(std::nearbyint(real / L.outScale) + L.outZero,
                                    double(L.output.actMin), double(L.output.actMax));
      QVERIFY2(std::fabs(y[i] - ref) <= 1.0, qPrintable(QString("%1: element %2 got %3 want %4")
                                                            .arg(QString::fromStdString(L.name))
                                                            .arg(i)
                                                            .arg(int(y[i]))
                                                            .arg(ref)));
      exact += y[i] == ref;
    }
    if (relu && L.name == "add") QCOMPARE(L.output.actMin, L.outZero);
    qInfo("%s: %d/%zu codes exact", L.name.c_str(), exact, y.size());
    QVERIFY(exact * 10 >= int(y.size()) * 9);
    ++checked;
  }
  QCOMPARE(checked, 2);
  const Tensor ref = quant::forward(m, test);
  const double sqnr = sqnrDb(ref, got);
  QVERIFY2(sqnr > 25.0, qPrintable(QString::number(sqnr)));
}

// The residual CNN (Conv-ReLU-Conv + skip Add, ReLU, AvgPool, Linear) calibrated on random
// inputs: int8 top-1 agrees with fp32 on >= 95% of fresh random inputs.
void TestInt8Model::residualCnnAgreesWithFp32() {
  for (unsigned seed : {1u, 2u, 3u}) {
    const Model m = residualCnn(seed);
    const Tensor calib = randomInput(m.inputShape, 256, seed + 300, 0.0f, 1.0f);
    const Tensor test = randomInput(m.inputShape, 300, seed + 400, 0.0f, 1.0f);
    const quant::Int8Model q = quant::quantizeModel(m, calib, quant::QuantRecipe{});
    QCOMPARE(q.layers.size(), std::size_t(6));  // both ReLUs fused (into conv1 and into the Add)
    QCOMPARE(QString::fromStdString(q.layers[2].fusedActivation), "relu2");
    const Tensor ref = quant::forward(m, test);
    const Tensor got = quant::runInt8(q, test);
    int agree = 0;
    for (int n = 0; n < 300; ++n)
      agree += argmax(ref.data.data() + n * 10, 10) == argmax(got.data.data() + n * 10, 10);
    const double sqnr = sqnrDb(ref, got);
    qInfo("seed %u: SQNR %.1f dB, top-1 agreement %d/300", seed, sqnr, agree);
    QVERIFY2(agree >= 285, qPrintable(QString("top-1 agreement %1/300").arg(agree)));
    QVERIFY2(sqnr > 25.0, qPrintable(QString::number(sqnr)));
  }
}

void TestInt8Model::dynamicAndWeightOnlyOnDag() {
  for (const QString& name : {QString("residual cnn"), QString("skip from input")}) {
    const Model m = modelNamed(name, 71);
    const Tensor test = randomInput(m.inputShape, 40, 72, -1.0f, 1.0f);
    const Tensor ref = quant::forward(m, test);
    const quant::DynamicInt8Model d = quant::quantizeDynamic(m);
    const Tensor dyn = quant::runDynamic(d, test);
    QCOMPARE(dyn.shape, ref.shape);
    const Tensor wo = quant::forward(quant::weightOnlyModel(m), test);
    qInfo("%s: dynamic %.1f dB, weight-only %.1f dB", qPrintable(name), sqnrDb(ref, dyn),
          sqnrDb(ref, wo));
    QVERIFY(sqnrDb(ref, dyn) > 25.0);
    QVERIFY(sqnrDb(ref, wo) > 25.0);
  }
}

void TestInt8Model::inputQuantizationMatchesQuantizeValue_data() {
  QTest::addColumn<float>("scale");
  QTest::addColumn<int>("zero");
  QTest::addRow("scale 0.01 zero 0") << 0.01f << 0;
  QTest::addRow("scale 0.0173 zero -37") << 0.0173f << -37;
  QTest::addRow("scale 1 zero 127") << 1.0f << 127;
  QTest::addRow("scale 0.5 zero -128") << 0.5f << -128;
  QTest::addRow("scale 3e-5 zero 5") << 3e-5f << 5;
}

// runInt8's inlined input quantizer against quantizeValue on exact ties, random values, the
// saturation edges and non-finite inputs.
void TestInt8Model::inputQuantizationMatchesQuantizeValue() {
  QFETCH(float, scale);
  QFETCH(int, zero);
  quant::Int8Model q;
  q.inputScale = scale;
  q.inputZero = zero;
  Tensor x;
  for (int k = -300; k <= 300; ++k) {
    x.data.push_back((float(k) + 0.5f) * scale);
    x.data.push_back(float(k) * scale);
    x.data.push_back(std::nextafter((float(k) + 0.5f) * scale, 1e30f));
    x.data.push_back(std::nextafter((float(k) + 0.5f) * scale, -1e30f));
  }
  std::mt19937 rng(81);
  std::uniform_real_distribution<float> d(-400.0f * scale, 400.0f * scale);
  for (int i = 0; i < 20000; ++i) x.data.push_back(d(rng));
  for (float v : {0.0f, -0.0f, std::numeric_limits<float>::infinity(),
                  -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN(),
                  std::numeric_limits<float>::max(), -std::numeric_limits<float>::max(),
                  std::numeric_limits<float>::denorm_min(), 1e-40f, -1e-40f})
    x.data.push_back(v);
  x.shape = {std::int64_t(x.data.size())};
  const std::vector<std::int8_t> got = quant::quantizeInput(q, x);
  QCOMPARE(got.size(), x.data.size());
  for (std::size_t i = 0; i < got.size(); ++i)
    QVERIFY2(int(got[i]) == quant::quantizeValue(x.data[i], scale, zero, -128, 127),
             qPrintable(QString("x = %1 gives %2").arg(double(x.data[i]), 0, 'g', 9).arg(got[i])));
}

QTEST_GUILESS_MAIN(TestInt8Model)

// threadsFor against the rule written out, over team sizes, unit counts, per-unit estimates
// (including 0, negative, NaN, infinity) and thresholds; run() with an estimate makes exactly that
// many calls, and work below the threshold stays on the calling thread.
void TestInt8Model::threadSplitThreshold() {
  QVERIFY_THROWS_EXCEPTION(quant::Error, quant::detail::setMinSliceNanoseconds(-1.0));
  QVERIFY_THROWS_EXCEPTION(quant::Error, quant::detail::setMinSliceNanoseconds(std::nan("")));
  const double kInf = std::numeric_limits<double>::infinity();
  for (const double minSlice : {0.0, 1000.0, 100e3}) {
    const MinSliceGuard guard(minSlice);
    QCOMPARE(quant::detail::minSliceNanoseconds(), minSlice);
    for (int threads = 1; threads <= 4; ++threads) {
      quant::detail::ThreadTeam team(threads);
      for (std::int64_t units = 0; units <= 9; ++units)
        for (const double ns :
             {0.0, -5.0, 1.0, 333.0, 1000.0, 2500.0, 60e3, 1e9, kInf, std::nan("")}) {
          const std::int64_t cap =
              std::max<std::int64_t>(1, std::min<std::int64_t>(threads, units));
          const double work = double(units) * std::max(ns, 0.0);
          std::int64_t want = cap;
          if (minSlice > 0.0 && !std::isnan(ns) && work < minSlice * double(cap))
            want = std::max<std::int64_t>(1, std::int64_t(work / minSlice));
          if (units <= 1) want = 1;
          QCOMPARE(team.threadsFor(units, ns), int(want));
          std::atomic<int> calls{0}, covered{0};
          team.run(units, ns, [&](std::int64_t b, std::int64_t e) {
            ++calls;
            covered += int(e - b);
          });
          QCOMPARE(covered.load(), int(units));
          QCOMPARE(calls.load(), units == 0 ? 0 : int(want));
        }
    }
  }
  // At the default threshold a small job is one call on the caller's thread.
  quant::detail::ThreadTeam team(2);
  std::thread::id where;
  int calls = 0;
  team.run(64, 1000.0, [&](std::int64_t b, std::int64_t e) {
    QCOMPARE(b, std::int64_t{0});
    QCOMPARE(e, std::int64_t{64});
    where = std::this_thread::get_id();
    ++calls;
  });
  QCOMPARE(calls, 1);
  QVERIFY(where == std::this_thread::get_id());
}

// The float32 forwardTimed with every layer split over 2 and 3 threads (threshold 0) gives the
// bits of forward() on every test model and batch sizes around the Linear 32-sample block.
void TestInt8Model::forwardTimedForcedSplitBitIdentical() {
  const MinSliceGuard guard(0.0);
  for (const QString& name : {QString("mlp"), QString("cnn"), QString("residual cnn")}) {
    const Model m = modelNamed(name, 41);
    for (const std::int64_t batch : {2, 33, 70}) {
      const Tensor x = randomInput(m.inputShape, batch, 42, -1.5f, 1.5f);
      const Tensor ref = quant::forward(m, x);
      for (const int threads : {2, 3}) {
        std::vector<quant::LayerTime> times;
        const Tensor got = quant::forwardTimed(m, x, threads, &times);
        QCOMPARE(got.shape, ref.shape);
        QVERIFY2(
            std::memcmp(got.data.data(), ref.data.data(), ref.data.size() * sizeof(float)) == 0,
            qPrintable(QString("%1, batch %2, %3 threads").arg(name).arg(batch).arg(threads)));
        QCOMPARE(times.size(), m.layers.size());
      }
    }
  }
}

// The int8 MaxPool2d (row max then column max, SSE2 blocks with overlapping tails) against a
// plain loop over each window, on random shapes (widths 1..40 hit the scalar, 8-byte and 16-byte
// paths and their tails), kernels 1..4, strides 1..3, independent pads below the kernel, and codes
// that reach -128 and 127 (inputs beyond the calibrated range saturate).
void TestInt8Model::maxPoolMatchesPlainLoop() {
  std::mt19937 rng(97);
  std::uniform_int_distribution<int> dim(1, 40), kern(1, 4), strd(1, 3), chan(1, 3);
  std::uniform_real_distribution<float> val(-1.0f, 1.0f), pick(0.0f, 1.0f);
  int cases = 0, saturated = 0;
  while (cases < 400) {
    Layer pool = simple(LayerType::MaxPool2d, "pool");
    // Every fourth case is the usual 2x2 stride-2 window (the pairMax path).
    const bool usual = cases % 4 == 0;
    pool.kernelH = usual ? 2 : kern(rng);
    pool.kernelW = usual ? 2 : kern(rng);
    pool.strideH = usual ? 2 : strd(rng);
    pool.strideW = usual ? 2 : strd(rng);
    pool.padTop = std::uniform_int_distribution<int>(0, pool.kernelH - 1)(rng);
    pool.padBottom = std::uniform_int_distribution<int>(0, pool.kernelH - 1)(rng);
    pool.padLeft = std::uniform_int_distribution<int>(0, pool.kernelW - 1)(rng);
    pool.padRight = std::uniform_int_distribution<int>(0, pool.kernelW - 1)(rng);
    const int C = chan(rng), H = dim(rng), W = dim(rng);
    if (H + pool.padTop + pool.padBottom < pool.kernelH ||
        W + pool.padLeft + pool.padRight < pool.kernelW)
      continue;  // the window does not fit: the model would be refused
    const Model m = chain({C, H, W}, {pool});
    Tensor calib = randomInput(m.inputShape, 1, 5, -1.0f, 1.0f);
    calib.data[0] = -1.0f;
    calib.data[1 % calib.data.size()] = 1.0f;
    const quant::Int8Model q = quant::quantizeModel(m, calib, quant::QuantRecipe{});
    Tensor test = randomInput(m.inputShape, 2, 6, 0.0f, 1.0f);
    for (float& v : test.data) {
      const float u = pick(rng);
      v = u < 0.1f ? -4.0f : u < 0.2f ? 4.0f : val(rng);  // 20% saturate to -128 / 127
    }
    quant::Int8Trace trace;
    quant::runInt8(q, test, &trace);
    const std::vector<std::int8_t>& in = trace.input;
    const std::vector<std::int8_t>& out = trace.layers.at(0).q;
    const int OH = int(q.layers[0].outShape[1]), OW = int(q.layers[0].outShape[2]);
    QCOMPARE(out.size(), std::size_t(2 * C * OH * OW));
    for (int p = 0; p < 2 * C; ++p)
      for (int oy = 0; oy < OH; ++oy)
        for (int ox = 0; ox < OW; ++ox) {
          int want = -129;  // below every code: padding never wins
          for (int ky = 0; ky < pool.kernelH; ++ky)
            for (int kx = 0; kx < pool.kernelW; ++kx) {
              const int iy = oy * pool.strideH - pool.padTop + ky;
              const int ix = ox * pool.strideW - pool.padLeft + kx;
              if (iy >= 0 && iy < H && ix >= 0 && ix < W)
                want = std::max(want, int(in[(p * H + iy) * W + ix]));
            }
          const int got = out[(p * OH + oy) * OW + ox];
          saturated += got == 127 || got == -128;
          if (got != want)
            QFAIL(qPrintable(QString("C %1 H %2 W %3 kernel %4x%5 stride %6x%7 pads t%8 l%9 b%10 "
                                     "r%11: plane %12 (%13, %14) got %15, want %16")
                                 .arg(C)
                                 .arg(H)
                                 .arg(W)
                                 .arg(pool.kernelH)
                                 .arg(pool.kernelW)
                                 .arg(pool.strideH)
                                 .arg(pool.strideW)
                                 .arg(pool.padTop)
                                 .arg(pool.padLeft)
                                 .arg(pool.padBottom)
                                 .arg(pool.padRight)
                                 .arg(p)
                                 .arg(oy)
                                 .arg(ox)
                                 .arg(got)
                                 .arg(want)));
        }
    ++cases;
  }
  QVERIFY2(saturated > 1000, qPrintable(QString("only %1 saturated outputs").arg(saturated)));
}

#include "tst_int8model.moc"
