// SPDX-License-Identifier: GPL-3.0-or-later
// The layer graph: forward pass against naive loops and the direct-convolution reference,
// shape/metadata inference, BatchNorm folding, ONNX export -> import round trips (bit-exact),
// onnx::checker on exported models, and the importer's refusals of unsupported or malformed
// graphs.
// Over 700 lines: each refusal of the importer needs its own hand-built malformed graph.
#include <onnx/onnx_pb.h>
#ifdef QUANTLAB_HAVE_ONNX_CHECKER
#include <onnx/checker.h>
#endif

#include <QtTest>
#include <atomic>
#include <bit>
#include <cmath>
#include <limits>
#include <random>

#include "quant/kernels/fp32gemm.h"
#include "quant/nn/model.h"
#include "quanttesting.h"
#include "testsupport.h"

using quant::Layer;
using quant::LayerType;
using quant::Model;
using quant::Tensor;

using quantlab::testing::bitEqual;
using quantlab::testing::errorOf;

namespace {

// Agreement of two float32 computations of the same sums in a different order (Eigen GEMM vs
// double-accumulating loops): relative 1e-4 with an absolute floor for values near zero.
constexpr float kTol = 1e-4f;

bool close(float a, float b, float tol = kTol) {
  return std::abs(a - b) <= tol * std::max(1.0f, std::abs(b));
}

// Index of the first mismatch, or -1.
long long firstMismatch(const Tensor& a, const Tensor& b, float tol = kTol) {
  if (a.shape != b.shape || a.data.size() != b.data.size()) return 0;
  for (std::size_t i = 0; i < a.data.size(); ++i) {
    if (!close(a.data[i], b.data[i], tol)) return static_cast<long long>(i);
  }
  return -1;
}

Tensor randomTensor(std::vector<std::int64_t> shape, std::mt19937& rng, float lo = -1,
                    float hi = 1) {
  Tensor t;
  t.shape = std::move(shape);
  t.data.resize(static_cast<std::size_t>(t.numel()));
  std::uniform_real_distribution<float> d(lo, hi);
  for (float& v : t.data) v = d(rng);
  return t;
}

Eigen::VectorXf randomVector(Eigen::Index n, std::mt19937& rng, float lo = -1, float hi = 1) {
  std::uniform_real_distribution<float> d(lo, hi);
  Eigen::VectorXf v(n);
  for (Eigen::Index i = 0; i < n; ++i) v[i] = d(rng);
  return v;
}

Layer linear(const std::string& name, const std::string& in, const std::string& out, int o, int i,
             std::mt19937& rng) {
  Layer l;
  l.type = LayerType::Linear;
  l.name = name;
  l.inputs = {in};
  l.output = out;
  const float s = 1.0f / std::sqrt(float(i));
  l.weight = quant::RowMatrix(o, i);
  std::uniform_real_distribution<float> d(-s, s);
  for (Eigen::Index k = 0; k < l.weight.size(); ++k) l.weight.data()[k] = d(rng);
  l.bias = randomVector(o, rng, -0.1f, 0.1f);
  return l;
}

Layer conv(const std::string& name, const std::string& in, const std::string& out, int oc, int ic,
           int k, int stride, int pad, int groups, std::mt19937& rng) {
  Layer l;
  l.type = LayerType::Conv2d;
  l.name = name;
  l.inputs = {in};
  l.output = out;
  l.kernelH = l.kernelW = k;
  l.strideH = l.strideW = stride;
  l.padTop = l.padLeft = l.padBottom = l.padRight = pad;
  l.groups = groups;
  const int cols = ic / groups * k * k;
  const float s = 1.0f / std::sqrt(float(cols));
  l.weight = quant::RowMatrix(oc, cols);
  std::uniform_real_distribution<float> d(-s, s);
  for (Eigen::Index j = 0; j < l.weight.size(); ++j) l.weight.data()[j] = d(rng);
  l.bias = randomVector(oc, rng, -0.1f, 0.1f);
  return l;
}

Layer simple(LayerType t, const std::string& name, const std::string& in, const std::string& out) {
  Layer l;
  l.type = t;
  l.name = name;
  l.inputs = {in};
  l.output = out;
  return l;
}

Layer pool(LayerType t, const std::string& name, const std::string& in, const std::string& out,
           int k, int stride, int pad) {
  Layer l = simple(t, name, in, out);
  l.kernelH = l.kernelW = k;
  l.strideH = l.strideW = stride;
  l.padTop = l.padLeft = l.padBottom = l.padRight = pad;
  return l;
}

Layer batchNorm(const std::string& name, const std::string& in, const std::string& out, int c,
                std::mt19937& rng) {
  Layer l = simple(LayerType::BatchNorm, name, in, out);
  l.gamma = randomVector(c, rng, 0.5f, 2.0f);
  l.beta = randomVector(c, rng, -0.5f, 0.5f);
  l.mean = randomVector(c, rng, -0.3f, 0.3f);
  l.var = randomVector(c, rng, 0.2f, 3.0f);
  l.epsilon = 1e-5f;
  return l;
}

Model mlp(std::mt19937& rng) {
  Model m;
  m.inputShape = {784};
  m.layers = {linear("fc1", "input", "h1", 16, 784, rng),
              simple(LayerType::ReLU, "relu1", "h1", "a1"),
              linear("fc2", "a1", "logits", 10, 16, rng)};
  m.finalize();
  return m;
}

// conv(1->4, 3x3, pad 1) + relu + maxpool 2 + conv(4->8, 3x3) + relu + gap + flatten + linear.
Model cnn(std::mt19937& rng) {
  Model m;
  m.inputShape = {1, 12, 12};
  m.layers = {conv("conv1", "input", "c1", 4, 1, 3, 1, 1, 1, rng),
              simple(LayerType::ReLU, "relu1", "c1", "r1"),
              pool(LayerType::MaxPool2d, "pool1", "r1", "p1", 2, 2, 0),
              conv("conv2", "p1", "c2", 8, 4, 3, 1, 0, 1, rng),
              simple(LayerType::ReLU, "relu2", "c2", "r2"),
              simple(LayerType::GlobalAvgPool, "gap", "r2", "g"),
              simple(LayerType::Flatten, "flat", "g", "f"),
              linear("fc", "f", "logits", 10, 8, rng)};
  m.finalize();
  return m;
}

// A residual block with depthwise conv, ReLU6, avg pool and softmax.
Model residual(std::mt19937& rng) {
  Model m;
  m.inputShape = {4, 8, 8};
  Layer relu6 = simple(LayerType::Clip, "relu6", "d", "d6");
  relu6.clipMin = 0;
  relu6.clipMax = 6;
  Layer avg = pool(LayerType::AvgPool2d, "avg", "sum", "av", 3, 2, 1);
  avg.countIncludePad = true;
  m.layers = {conv("dw", "input", "d", 4, 4, 3, 1, 1, 4, rng),
              relu6,
              conv("pw", "d6", "p", 4, 4, 1, 1, 0, 1, rng),
              {},
              avg,
              simple(LayerType::Flatten, "flat", "av", "f"),
              linear("fc", "f", "z", 5, 64, rng),
              simple(LayerType::Softmax, "softmax", "z", "prob")};
  m.layers[3].type = LayerType::Add;
  m.layers[3].name = "add";
  m.layers[3].inputs = {"p", "input"};
  m.layers[3].output = "sum";
  m.finalize();
  return m;
}

std::span<const std::uint8_t> bytesOf(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

onnx::ModelProto protoOf(const Model& m) {
  const std::vector<std::uint8_t> b = quant::exportOnnxModel(m);
  onnx::ModelProto p;
  if (!p.ParseFromArray(b.data(), int(b.size()))) throw std::runtime_error("export unparsable");
  return p;
}

Model importProto(const onnx::ModelProto& p) {
  std::string s;
  p.SerializeToString(&s);
  return quant::importOnnxModel(bytesOf(s), "m.onnx");
}

onnx::NodeProto* findNode(onnx::ModelProto& p, const std::string& name) {
  for (auto& n : *p.mutable_graph()->mutable_node()) {
    if (n.name() == name) return &n;
  }
  throw std::runtime_error("no node " + name);
}

}  // namespace

class TestModel : public QObject {
  Q_OBJECT

 private slots:
  void mlpMatchesNaiveLoops() {
    std::mt19937 rng(1);
    const Model m = mlp(rng);
    const Tensor x = randomTensor({5, 784}, rng);
    const Tensor y = quant::forward(m, x);
    QCOMPARE(y.shape, (std::vector<std::int64_t>{5, 10}));
    QCOMPARE(y.name, std::string("logits"));
    const Layer &f1 = m.layers[0], &f2 = m.layers[2];
    for (int n = 0; n < 5; ++n) {
      std::vector<double> h(16);
      for (int o = 0; o < 16; ++o) {
        double a = f1.bias[o];
        for (int i = 0; i < 784; ++i) a += double(f1.weight(o, i)) * x.data[n * 784 + i];
        h[o] = std::max(a, 0.0);
      }
      for (int o = 0; o < 10; ++o) {
        double a = f2.bias[o];
        for (int i = 0; i < 16; ++i) a += double(f2.weight(o, i)) * h[i];
        QVERIFY2(close(y.data[n * 10 + o], float(a)), qPrintable(QString::number(n * 10 + o)));
      }
    }
    // Metadata for the layer table.
    QCOMPARE(m.layers[0].params, 784 * 16 + 16);
    QCOMPARE(m.layers[0].macs, 784 * 16);
    QCOMPARE(m.parameterCount(), 784 * 16 + 16 + 16 * 10 + 10);
    QCOMPARE(m.macsPerSample(), 784 * 16 + 16 * 10);
    QCOMPARE(m.layers[1].inShape, (std::vector<std::int64_t>{16}));
  }

  void cnnShapesAndReference() {
    std::mt19937 rng(2);
    const Model m = cnn(rng);
    QCOMPARE(m.layers[0].outShape, (std::vector<std::int64_t>{4, 12, 12}));
    QCOMPARE(m.layers[2].outShape, (std::vector<std::int64_t>{4, 6, 6}));
    QCOMPARE(m.layers[3].outShape, (std::vector<std::int64_t>{8, 4, 4}));
    QCOMPARE(m.layers[5].outShape, (std::vector<std::int64_t>{8, 1, 1}));
    QCOMPARE(m.layers[6].outShape, (std::vector<std::int64_t>{8}));
    QCOMPARE(m.layers[0].macs, 4 * 9 * 144);
    QCOMPARE(m.layers[3].macs, 8 * 36 * 16);
    QCOMPARE(m.layers[3].params, 8 * 36 + 8);
    const Tensor x = randomTensor({3, 1, 12, 12}, rng);
    const Tensor a = quant::forward(m, x);
    const Tensor b = quant::forward(m, x, quant::ConvAlgorithm::Direct);
    QCOMPARE(a.shape, (std::vector<std::int64_t>{3, 10}));
    QCOMPARE(firstMismatch(a, b), -1LL);
    // Each sample is computed independently of the others in the batch.
    Tensor x1 = x;
    x1.shape[0] = 1;
    x1.data.resize(144);
    const Tensor a1 = quant::forward(m, x1);
    for (int i = 0; i < 10; ++i) QVERIFY(close(a1.data[i], a.data[i], 1e-6f));
  }

  // Property: im2col + GEMM equals the direct loops for many conv geometries.
  void convAlgorithmsAgree_data() {
    QTest::addColumn<int>("ic");
    QTest::addColumn<int>("oc");
    QTest::addColumn<int>("k");
    QTest::addColumn<int>("stride");
    QTest::addColumn<int>("pad");
    QTest::addColumn<int>("groups");
    QTest::addColumn<int>("hw");
    QTest::addRow("3x3 pad 1") << 3 << 5 << 3 << 1 << 1 << 1 << 9;
    QTest::addRow("depthwise 3x3") << 6 << 6 << 3 << 1 << 1 << 6 << 8;
    QTest::addRow("depthwise multiplier 2") << 3 << 6 << 3 << 2 << 1 << 3 << 7;
    QTest::addRow("grouped 2") << 4 << 6 << 3 << 1 << 0 << 2 << 6;
    QTest::addRow("1x1 pointwise") << 8 << 4 << 1 << 1 << 0 << 1 << 5;
    QTest::addRow("5x5 stride 2 pad 2") << 2 << 3 << 5 << 2 << 2 << 1 << 11;
    QTest::addRow("kernel = input") << 2 << 2 << 4 << 1 << 0 << 1 << 4;
    QTest::addRow("big pad") << 1 << 2 << 3 << 3 << 3 << 1 << 5;
  }
  void convAlgorithmsAgree() {
    QFETCH(int, ic);
    QFETCH(int, oc);
    QFETCH(int, k);
    QFETCH(int, stride);
    QFETCH(int, pad);
    QFETCH(int, groups);
    QFETCH(int, hw);
    std::mt19937 rng(std::uint32_t(ic * 1000 + oc * 100 + k * 10 + groups));
    Model m;
    m.inputShape = {ic, hw, hw};
    m.layers = {conv("c", "input", "y", oc, ic, k, stride, pad, groups, rng)};
    m.layers[0].padBottom = pad > 0 ? pad - 1 : 0;  // asymmetric pads
    m.finalize();
    const std::int64_t o = (hw + pad + m.layers[0].padBottom - k) / stride + 1;
    const std::int64_t ow = (hw + 2 * pad - k) / stride + 1;
    QCOMPARE(m.layers[0].outShape, (std::vector<std::int64_t>{oc, o, ow}));
    QCOMPARE(m.layers[0].macs, std::int64_t{oc} * (ic / groups) * k * k * o * ow);
    QCOMPARE(m.layers[0].params, std::int64_t{oc} * (ic / groups) * k * k + oc);
    const Tensor x = randomTensor({2, ic, hw, hw}, rng);
    const Tensor a = quant::forward(m, x);
    const Tensor b = quant::forward(m, x, quant::ConvAlgorithm::Direct);
    QCOMPARE(firstMismatch(a, b), -1LL);
    // Round trip through ONNX is exact.
    const Model r = quant::importOnnxModel(quant::exportOnnxModel(m), "rt.onnx");
    QVERIFY(bitEqual(quant::forward(r, x), a));
  }

  // The row-wise MaxPool2d of the normal path gives the direct loop's bits on every geometry,
  // with NaN (never wins) and signed zeros in the input.
  void maxPoolMatchesDirect() {
    std::mt19937 rng(37);
    struct Case {
      int k, stride, padTop, padLeft, padBottom, padRight, h, w;
    };
    for (const Case c :
         {Case{2, 2, 0, 0, 0, 0, 8, 8}, Case{2, 2, 0, 0, 0, 0, 7, 9}, Case{2, 2, 0, 0, 1, 1, 7, 7},
          Case{2, 2, 1, 1, 0, 0, 6, 5}, Case{3, 2, 1, 1, 1, 1, 9, 8}, Case{3, 1, 1, 0, 2, 1, 5, 6},
          Case{2, 3, 0, 1, 1, 0, 10, 7}}) {
      Model m;
      m.inputShape = {3, c.h, c.w};
      m.layers = {pool(LayerType::MaxPool2d, "max", "input", "mx", c.k, c.stride, 0)};
      Layer& l = m.layers[0];
      l.padTop = c.padTop;
      l.padLeft = c.padLeft;
      l.padBottom = c.padBottom;
      l.padRight = c.padRight;
      m.finalize();
      Tensor x = randomTensor({2, 3, c.h, c.w}, rng);
      x.data[0] = std::numeric_limits<float>::quiet_NaN();
      x.data[1] = -0.0f;
      x.data[2] = 0.0f;
      QVERIFY2(bitEqual(quant::forward(m, x), quant::forward(m, x, quant::ConvAlgorithm::Direct)),
               qPrintable(
                   QString("k %1 stride %2 size %3x%4").arg(c.k).arg(c.stride).arg(c.h).arg(c.w)));
    }
  }

  void poolingByHand() {
    // One 3x3 plane 1..9, 2x2 windows, stride 1, pad 1 on every side -> 4x4 output.
    Model m;
    m.inputShape = {1, 3, 3};
    m.layers = {pool(LayerType::MaxPool2d, "max", "input", "mx", 2, 1, 1)};
    m.finalize();
    Tensor x;
    x.shape = {1, 1, 3, 3};
    x.data = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    const Tensor y = quant::forward(m, x);
    QCOMPARE(y.data, (std::vector<float>{1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9, 9, 7, 8, 9, 9}));
    m.layers[0].type = LayerType::AvgPool2d;
    m.finalize();
    const Tensor a = quant::forward(m, x);  // padding excluded from the divisor
    QCOMPARE(a.data[0], 1.0f);
    QCOMPARE(a.data[1], 1.5f);
    QCOMPARE(a.data[5], 3.0f);  // (1+2+4+5)/4
    m.layers[0].countIncludePad = true;
    const Tensor c = quant::forward(m, x);
    QCOMPARE(c.data[0], 0.25f);
    QCOMPARE(c.data[1], 0.75f);
    QCOMPARE(c.data[5], 3.0f);
  }

  void residualAndActivations() {
    std::mt19937 rng(3);
    Model m = residual(rng);
    const Tensor x = randomTensor({2, 4, 8, 8}, rng, -3, 3);
    const Tensor y = quant::forward(m, x);
    QCOMPARE(y.shape, (std::vector<std::int64_t>{2, 5}));
    for (int n = 0; n < 2; ++n) {
      float s = 0;
      for (int i = 0; i < 5; ++i) {
        QVERIFY(y.data[n * 5 + i] > 0);
        s += y.data[n * 5 + i];
      }
      QVERIFY(std::abs(s - 1) < 1e-6f);
    }
    QCOMPARE(firstMismatch(y, quant::forward(m, x, quant::ConvAlgorithm::Direct)), -1LL);
    // The Add really is the sum: the model cut at 'sum' equals (model cut at 'p') + input.
    Model upToP = m, upToSum = m;
    upToP.layers.resize(3);
    upToP.output = "";
    upToP.finalize();
    upToSum.layers.resize(4);
    upToSum.output = "";
    upToSum.finalize();
    const Tensor p = quant::forward(upToP, x), s = quant::forward(upToSum, x);
    for (std::size_t i = 0; i < s.data.size(); ++i) QCOMPARE(s.data[i], p.data[i] + x.data[i]);
    // ReLU6 bounds the depthwise output.
    Model upToClip = m;
    upToClip.layers.resize(2);
    upToClip.output = "";
    upToClip.finalize();
    const Tensor c = quant::forward(upToClip, x);
    QVERIFY(*std::min_element(c.data.begin(), c.data.end()) >= 0.0f);
    QVERIFY(*std::max_element(c.data.begin(), c.data.end()) <= 6.0f);
  }

  // forwardTimed splits every layer's batch over a thread team; whatever the thread count and
  // batch size (1, one Linear block, several blocks with a ragged tail) the bits equal forward().
  void forwardTimedBitIdentical_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("threads");
    const QStringList models{"mlp", "cnn", "residual"};
    for (const QString& model : models) {
      for (const int batch : {1, 5, 70}) {
        for (const int threads : {1, 2, 3}) {
          const QString tag = QString("%1 batch %2 threads %3").arg(model).arg(batch).arg(threads);
          QTest::addRow("%s", qPrintable(tag)) << model << batch << threads;
        }
      }
    }
  }
  void forwardTimedBitIdentical() {
    QFETCH(QString, model);
    QFETCH(int, batch);
    QFETCH(int, threads);
    std::mt19937 rng(17);
    const Model m = model == "mlp" ? mlp(rng) : model == "cnn" ? cnn(rng) : residual(rng);
    std::vector<std::int64_t> shape{batch};
    shape.insert(shape.end(), m.inputShape.begin(), m.inputShape.end());
    const Tensor x = randomTensor(shape, rng, -2, 2);
    const Tensor ref = quant::forward(m, x);
    // These test models are small: without forcing, every layer would stay on one thread.
    struct ForceSplit {
      double old = quant::detail::setMinSliceNanoseconds(0);
      ~ForceSplit() { quant::detail::setMinSliceNanoseconds(old); }
    } force;
    std::vector<quant::LayerTime> times;
    const Tensor got = quant::forwardTimed(m, x, threads, &times);
    QCOMPARE(got.shape, ref.shape);
    QCOMPARE(got.name, ref.name);
    QVERIFY(bitEqual(got, ref));
    QCOMPARE(times.size(), m.layers.size());
    for (std::size_t i = 0; i < times.size(); ++i) {
      QCOMPARE(times[i].name, m.layers[i].name);
      QVERIFY(times[i].seconds >= 0.0 && std::isfinite(times[i].seconds));
    }
    // Without a profile, and a second run (the team is rebuilt each call): still the same bits.
    QVERIFY(bitEqual(quant::forwardTimed(m, x, threads), ref));
  }

  // Every fp32 kernel level (reference = Eigen, avx2, avx512vnni; the ones this CPU has) agrees
  // with the double-accumulating direct loops, with ReLUs fused into the GEMM before them; the
  // SIMD levels agree with each other bit for bit (one FMA chain per output, fp32gemm.h).
  void everyIsaAgreesWithDirect() {
    const quantlab::testing::IsaGuard guard;
    std::mt19937 rng(23);
    const Model models[] = {mlp(rng), cnn(rng), residual(rng)};
    for (const Model& m : models) {
      std::vector<std::int64_t> shape{9};
      shape.insert(shape.end(), m.inputShape.begin(), m.inputShape.end());
      const Tensor x = randomTensor(shape, rng, -2, 2);
      const Tensor direct = quant::forward(m, x, quant::ConvAlgorithm::Direct);
      Tensor simd;
      for (const quant::cpu::Isa isa : quant::fp32gemm::kernelIsas()) {
        QCOMPARE(quant::cpu::forceIsa(isa), isa);
        const Tensor got = quant::forward(m, x);
        QVERIFY2(firstMismatch(got, direct) == -1, quant::cpu::isaName(isa));
        if (isa == quant::cpu::Isa::Reference) continue;
        if (simd.data.empty()) simd = got;
        QVERIFY2(bitEqual(got, simd), quant::cpu::isaName(isa));
      }
    }
    if (quant::fp32gemm::kernelIsas().size() < 2) {
      QSKIP("this CPU runs no SIMD fp32 kernel: only the Eigen path was compared");
    }
  }

  // A Flatten of the model input is read in place; as the graph output it is a copy.
  void flattenOfTheInput() {
    std::mt19937 rng(31);
    Model m;
    m.inputShape = {2, 3, 3};
    m.layers = {simple(LayerType::Flatten, "flat", "input", "f"),
                linear("fc", "f", "z", 4, 18, rng),
                simple(LayerType::Flatten, "flat2", "input", "g")};
    m.output = "z";
    m.finalize();
    const Tensor x = randomTensor({3, 2, 3, 3}, rng);
    QCOMPARE(
        firstMismatch(quant::forward(m, x), quant::forward(m, x, quant::ConvAlgorithm::Direct)),
        -1LL);
    m.output = "g";
    const Tensor g = quant::forward(m, x);
    QCOMPARE(g.shape, (std::vector<std::int64_t>{3, 18}));
    QCOMPARE(g.data, x.data);
  }

  // Linear weights are packed once and cached by content: editing them in place (as training
  // does) must reach the next forward pass.
  void packedWeightsFollowEdits() {
    std::mt19937 rng(29);
    Model m = mlp(rng);
    std::vector<std::int64_t> shape{4};
    shape.insert(shape.end(), m.inputShape.begin(), m.inputShape.end());
    const Tensor x = randomTensor(shape, rng, -2, 2);
    const Tensor before = quant::forward(m, x);
    for (Layer& l : m.layers) {
      if (l.type != LayerType::Linear) continue;
      l.weight(0, 0) += 0.25f;
      if (l.bias.size()) l.bias[0] -= 0.5f;
    }
    const Tensor after = quant::forward(m, x);
    QVERIFY(!bitEqual(after, before));
    QCOMPARE(firstMismatch(after, quant::forward(m, x, quant::ConvAlgorithm::Direct)), -1LL);
  }

  // The thread team covers [0, units) exactly once in ascending contiguous slices, reuses its
  // workers across calls and rethrows an exception from any slice.
  void threadTeamSlices() {
    for (int threads = 1; threads <= 5; ++threads) {
      quant::detail::ThreadTeam team(threads);
      QCOMPARE(team.size(), threads);
      for (std::int64_t units = 0; units <= 11; ++units) {
        std::vector<std::atomic<int>> hits(static_cast<std::size_t>(units));
        std::atomic<int> calls{0}, empty{0};
        team.run(units, [&](std::int64_t b, std::int64_t e) {
          empty += b >= e;  // empty slices are skipped
          ++calls;
          for (std::int64_t i = b; i < e; ++i) ++hits[static_cast<std::size_t>(i)];
        });
        QCOMPARE(empty.load(), 0);
        for (const auto& h : hits) QCOMPARE(h.load(), 1);
        QVERIFY(calls.load() <= std::max<int>(1, int(std::min<std::int64_t>(units, threads))));
      }
      const auto throwing = [&] {
        team.run(8, [&](std::int64_t b, std::int64_t) {
          if (b >= 4 || threads == 1) throw quant::Error("slice failed");
        });
      };
      QCOMPARE(errorOf(throwing), QString("slice failed"));
      // Still usable after an exception.
      std::atomic<int> sum{0};
      team.run(4, [&](std::int64_t b, std::int64_t e) { sum += int(e - b); });
      QCOMPARE(sum.load(), 4);
    }
  }

  void forwardTimedRejects() {
    std::mt19937 rng(18);
    const Model m = mlp(rng);
    const Tensor x = randomTensor({2, 784}, rng);
    QVERIFY(errorOf([&] { quant::forwardTimed(m, x, 0); }).contains("threads"));
    QVERIFY(errorOf([&] { quant::forwardTimed(m, x, 257); }).contains("threads"));
    QVERIFY(errorOf([&] {
              quant::forwardTimed(m, randomTensor({2, 783}, rng), 2);
            }).contains("forwardTimed: input"));
  }

  void batchNormFolding_data() {
    QTest::addColumn<bool>("convolutional");
    QTest::addRow("conv + BN") << true;
    QTest::addRow("linear + BN") << false;
  }
  void batchNormFolding() {
    QFETCH(bool, convolutional);
    std::mt19937 rng(convolutional ? 4 : 5);
    Model m;
    Tensor x;
    if (convolutional) {
      m.inputShape = {3, 6, 6};
      m.layers = {conv("c", "input", "y", 5, 3, 3, 1, 1, 1, rng), batchNorm("bn", "y", "b", 5, rng),
                  simple(LayerType::ReLU, "r", "b", "out")};
      x = randomTensor({4, 3, 6, 6}, rng);
    } else {
      m.inputShape = {12};
      m.layers = {linear("fc", "input", "y", 7, 12, rng), batchNorm("bn", "y", "b", 7, rng),
                  simple(LayerType::ReLU, "r", "b", "out")};
      m.layers[0].bias.resize(0);  // folding must create the bias
      x = randomTensor({4, 12}, rng);
    }
    m.finalize();
    QCOMPARE(m.layers[1].params, convolutional ? 20 : 28);
    const Tensor ref = quant::forward(m, x);
    Model folded = m;
    quant::foldBatchNorms(folded);
    QCOMPARE(folded.layers.size(), std::size_t(2));
    QCOMPARE(folded.layers[0].output, std::string("b"));
    QCOMPARE(folded.output, std::string("out"));
    const Tensor y = quant::forward(folded, x);
    QCOMPARE(firstMismatch(y, ref, 1e-5f), -1LL);
    // Through ONNX: the unfolded BN is exported as BatchNormalization and folded on import.
    const Model imported = quant::importOnnxModel(quant::exportOnnxModel(m), "bn.onnx");
    QCOMPARE(imported.layers.size(), std::size_t(2));
    QCOMPARE(firstMismatch(quant::forward(imported, x), ref, 1e-5f), -1LL);
  }

  void batchNormNotFoldable() {
    std::mt19937 rng(6);
    Model m;
    m.inputShape = {8};
    m.layers = {linear("fc", "input", "y", 4, 8, rng), simple(LayerType::ReLU, "r", "y", "a"),
                batchNorm("bn", "a", "b", 4, rng)};
    m.finalize();
    const QString e1 = errorOf([&] { quant::foldBatchNorms(m); });
    QVERIFY2(e1.contains("'bn'") && e1.contains("cannot be folded"), qPrintable(e1));
    // The conv output also feeds a residual: folding would change the other consumer.
    Model r;
    r.inputShape = {4};
    r.layers = {linear("fc", "input", "y", 4, 4, rng), batchNorm("bn", "y", "b", 4, rng), {}};
    r.layers[2].type = LayerType::Add;
    r.layers[2].name = "add";
    r.layers[2].inputs = {"b", "y"};
    r.layers[2].output = "s";
    r.finalize();
    const QString e2 = errorOf([&] { quant::foldBatchNorms(r); });
    QVERIFY2(e2.contains("also used"), qPrintable(e2));
    // The importer keeps such a BatchNorm as a standalone layer.
    const Model back = quant::importOnnxModel(quant::exportOnnxModel(m), "x.onnx");
    QCOMPARE(back.layers.size(), std::size_t(3));
    QCOMPARE(back.layers[2].type, LayerType::BatchNorm);
  }

  void invalidModels() {
    std::mt19937 rng(7);
    Model m = mlp(rng);
    m.layers[2].inputs = {"nope"};
    QVERIFY(errorOf([&] { m.finalize(); }).contains("'nope' is not defined"));
    m = mlp(rng);
    m.layers[0].weight.resize(16, 783);
    QVERIFY(errorOf([&] { m.finalize(); }).contains("layer 'fc1' (Linear)"));
    Model c = cnn(rng);
    c.layers[3].groups = 3;
    QVERIFY(errorOf([&] { c.finalize(); }).contains("groups"));
    c = cnn(rng);
    c.layers[2].kernelH = 40;
    QVERIFY(errorOf([&] { c.finalize(); }).contains("does not fit"));
    c = cnn(rng);
    const Tensor wrong = randomTensor({2, 1, 12, 13}, rng);
    QVERIFY(errorOf([&] { quant::forward(c, wrong); }).contains("does not match"));
  }

  // Export -> import gives the same layers and bit-identical outputs.
  void roundTrip_data() {
    QTest::addColumn<int>("which");
    QTest::addRow("mlp 784-16-10") << 0;
    QTest::addRow("cnn") << 1;
    QTest::addRow("residual depthwise relu6 avgpool softmax") << 2;
  }
  void roundTrip() {
    QFETCH(int, which);
    std::mt19937 rng(8 + which);
    const Model m = which == 0 ? mlp(rng) : which == 1 ? cnn(rng) : residual(rng);
    std::vector<std::int64_t> shape = {3};
    shape.insert(shape.end(), m.inputShape.begin(), m.inputShape.end());
    const Tensor x = randomTensor(shape, rng, -2, 2);
    const std::vector<std::uint8_t> bytes = quant::exportOnnxModel(m);
    const Model r = quant::importOnnxModel(bytes, "rt.onnx");
    QCOMPARE(r.layers.size(), m.layers.size());
    for (std::size_t i = 0; i < m.layers.size(); ++i) {
      QCOMPARE(r.layers[i].type, m.layers[i].type);
      QCOMPARE(r.layers[i].outShape, m.layers[i].outShape);
      QCOMPARE(r.layers[i].params, m.layers[i].params);
      QCOMPARE(r.layers[i].macs, m.layers[i].macs);
    }
    QCOMPARE(r.input, m.input);
    QCOMPARE(r.output, m.output);
    QVERIFY(bitEqual(quant::forward(r, x), quant::forward(m, x)));
    // Exporting again gives the same bytes.
    QVERIFY(quant::exportOnnxModel(r) == bytes);
    // The graph has the symbolic batch dimension and raw_data initializers.
    const onnx::ModelProto p = protoOf(m);
    QCOMPARE(p.graph().input(0).type().tensor_type().shape().dim(0).dim_param(), std::string("N"));
    QCOMPARE(p.graph().output(0).type().tensor_type().shape().dim(0).dim_param(), std::string("N"));
    QCOMPARE(p.opset_import(0).version(), std::int64_t{13});
    for (const auto& t : p.graph().initializer()) {
      QVERIFY(t.has_raw_data());
      QCOMPARE(t.float_data_size(), 0);
    }
    // Through a file as well.
    const QString path = QDir::temp().filePath("tst_model_roundtrip.onnx");
    quant::saveOnnxModel(m, path.toStdString());
    QVERIFY(bitEqual(quant::forward(quant::loadOnnxModel(path.toStdString()), x),
                     quant::forward(m, x)));
    QFile::remove(path);
  }

  void checkerAcceptsExports() {
#ifdef QUANTLAB_HAVE_ONNX_CHECKER
    std::mt19937 rng(11);
    Model bn;
    bn.inputShape = {2, 5, 5};
    bn.layers = {conv("c", "input", "y", 3, 2, 3, 1, 1, 1, rng), batchNorm("bn", "y", "b", 3, rng)};
    bn.finalize();
    for (const Model& m : {mlp(rng), cnn(rng), residual(rng), bn}) {
      const onnx::ModelProto p = protoOf(m);
      try {
        onnx::checker::check_model(p);
      } catch (const std::exception& e) {
        QFAIL(e.what());
      }
    }
    // The checker is really active: it rejects an unknown operator.
    onnx::ModelProto bad = protoOf(mlp(rng));
    bad.mutable_graph()->mutable_node(1)->set_op_type("NoSuchOp");
    bool rejected = false;
    try {
      onnx::checker::check_model(bad);
    } catch (const std::exception&) {
      rejected = true;
    }
    QVERIFY(rejected);
#else
    QSKIP("libonnx (onnx::checker) is not linked");
#endif
  }

  // Graphs in the forms other exporters write: MatMul + Add, Reshape with a Constant shape,
  // Clip with float_data bounds, Gemm with transB = 0, opset 11 Softmax.
  void importOtherForms() {
    std::mt19937 rng(12);
    Model ref;
    ref.inputShape = {2, 3, 3};
    Layer clip = simple(LayerType::Clip, "clip", "f", "cl");
    clip.clipMin = -0.5f;
    clip.clipMax = 0.5f;
    ref.layers = {simple(LayerType::Flatten, "flat", "input", "f"), clip,
                  linear("fc1", "cl", "h", 6, 18, rng), linear("fc2", "h", "z", 4, 6, rng),
                  simple(LayerType::Softmax, "sm", "z", "out")};
    ref.finalize();

    onnx::ModelProto p;
    p.set_ir_version(6);
    p.add_opset_import()->set_version(11);
    auto* g = p.mutable_graph();
    auto* in = g->add_input();
    in->set_name("input");
    in->mutable_type()->mutable_tensor_type()->set_elem_type(1);
    auto* shape = in->mutable_type()->mutable_tensor_type()->mutable_shape();
    shape->add_dim()->set_dim_value(1);  // a fixed batch of 1 is accepted as the batch dim
    for (int d : {2, 3, 3}) shape->add_dim()->set_dim_value(d);
    g->add_output()->set_name("out");
    auto addFloat = [&](const std::string& name, std::vector<std::int64_t> dims, const float* v,
                        int n) {
      auto* t = g->add_initializer();
      t->set_name(name);
      t->set_data_type(1);
      for (auto d : dims) t->add_dims(d);
      for (int i = 0; i < n; ++i) t->add_float_data(v[i]);
    };
    auto node = [&](const std::string& op, std::vector<std::string> ins, const std::string& out) {
      auto* n = g->add_node();
      n->set_op_type(op);
      n->set_name(op + "_" + out);
      for (auto& s : ins) n->add_input(s);
      n->add_output(out);
      return n;
    };
    auto* c = node("Constant", {}, "shape");
    auto* a = c->add_attribute();
    a->set_name("value_ints");
    a->set_type(onnx::AttributeProto::INTS);
    a->add_ints(0);
    a->add_ints(-1);
    node("Reshape", {"input", "shape"}, "f");
    addFloat("lo", {}, &clip.clipMin, 1);
    addFloat("hi", {}, &clip.clipMax, 1);
    node("Clip", {"f", "lo", "hi"}, "cl");
    const quant::RowMatrix w1t = ref.layers[2].weight.transpose();  // [in, out]
    addFloat("w1", {18, 6}, w1t.data(), int(w1t.size()));
    addFloat("b1", {6}, ref.layers[2].bias.data(), 6);
    node("MatMul", {"cl", "w1"}, "mm");
    node("Add", {"b1", "mm"}, "h");
    const quant::RowMatrix w2t = ref.layers[3].weight.transpose();
    addFloat("w2", {6, 4}, w2t.data(), int(w2t.size()));
    addFloat("b2", {4}, ref.layers[3].bias.data(), 4);
    node("Identity", {"h"}, "h_id");
    node("Gemm", {"h_id", "w2", "b2"}, "z");
    addFloat("ratio", {}, &clip.clipMax, 1);
    node("Dropout", {"z", "ratio"}, "zd");
    node("Softmax", {"zd"}, "sm");
    node("Identity", {"sm"}, "out");
    // Nodes out of order: the importer sorts them.
    g->mutable_node()->SwapElements(1, 4);
    const Model r = importProto(p);
    QCOMPARE(r.layers.size(), ref.layers.size());
    QCOMPARE(r.layers[2].type, LayerType::Linear);
    QCOMPARE(r.output, std::string("sm"));  // named after the tensor the Identity passes on
    QCOMPARE(r.layers[3].inputs, std::vector<std::string>{"h"});
    const Tensor x = randomTensor({3, 2, 3, 3}, rng);
    QVERIFY(bitEqual(quant::forward(r, x), quant::forward(ref, x)));
  }

  // Each mutation of a valid exported graph must be refused with a message naming the problem
  // (and, for node problems, the node and its op).
  void importRefusals_data() {
    QTest::addColumn<int>("mutation");
    QTest::addColumn<QString>("expected");
    QTest::addRow("unsupported op")
        << 0 << "node 'relu1' (Einsum): operator 'Einsum' is not supported; supported are Conv";
    QTest::addRow("external data") << 1 << "external data";
    QTest::addRow("dynamic spatial dim") << 2 << "dimension 2 is dynamic";
    QTest::addRow("dilations 2") << 3 << "node 'conv1' (Conv): dilations";
    QTest::addRow("auto_pad SAME") << 4 << "auto_pad SAME is not supported";
    QTest::addRow("missing input") << 5 << "input 'ghost' is not defined";
    QTest::addRow("cycle") << 6 << "cycle";
    QTest::addRow("opset 10") << 7 << "opset 10";
    QTest::addRow("unknown attribute") << 8 << "unsupported attribute 'foo'";
    QTest::addRow("ceil_mode 2") << 9 << "ceil_mode = 2 is not supported";
    QTest::addRow("duplicate output") << 10 << "defined twice";
    QTest::addRow("weight dtype") << 11 << "only float32 weights";
    QTest::addRow("raw_data size") << 12 << "bytes of raw_data";
    QTest::addRow("weight computed") << 13 << "must be a constant";
    QTest::addRow("second graph input") << 14 << "more than one input";
    QTest::addRow("output not computed") << 15 << "not computed";
    QTest::addRow("reshape keeps spatial") << 16 << "node 'fc' (Gemm): input 'f' has shape [8, 1]";
    QTest::addRow("shape mismatch") << 17 << "layer 'conv2' (Conv2d)";
    QTest::addRow("custom domain") << 18 << "domain 'com.microsoft'";
  }
  void importRefusals() {
    QFETCH(int, mutation);
    QFETCH(QString, expected);
    std::mt19937 rng(13);
    onnx::ModelProto p = protoOf(cnn(rng));
    auto* g = p.mutable_graph();
    auto attr = [](onnx::NodeProto* n, const char* name) -> onnx::AttributeProto* {
      for (auto& a : *n->mutable_attribute()) {
        if (a.name() == name) return &a;
      }
      auto* a = n->add_attribute();
      a->set_name(name);
      return a;
    };
    switch (mutation) {
      case 0:
        findNode(p, "relu1")->set_op_type("Einsum");
        break;
      case 1: {
        auto* t = g->mutable_initializer(0);
        t->clear_raw_data();
        t->set_data_location(onnx::TensorProto::EXTERNAL);
        auto* e = t->add_external_data();
        e->set_key("location");
        e->set_value("weights.bin");
        break;
      }
      case 2:
        g->mutable_input(0)
            ->mutable_type()
            ->mutable_tensor_type()
            ->mutable_shape()
            ->mutable_dim(2)
            ->set_dim_param("H");
        break;
      case 3: {
        auto* a = attr(findNode(p, "conv1"), "dilations");
        a->set_ints(0, 2);
        break;
      }
      case 4: {
        auto* a = attr(findNode(p, "conv2"), "auto_pad");
        a->set_type(onnx::AttributeProto::STRING);
        a->set_s("SAME");
        break;
      }
      case 5:
        findNode(p, "relu2")->set_input(0, "ghost");
        break;
      case 6:
        findNode(p, "conv1")->set_input(0, "r2");
        break;
      case 7:
        p.mutable_opset_import(0)->set_version(10);
        break;
      case 8: {
        auto* a = attr(findNode(p, "gap"), "foo");
        a->set_type(onnx::AttributeProto::INT);
        break;
      }
      case 9: {
        auto* a = attr(findNode(p, "pool1"), "ceil_mode");
        a->set_type(onnx::AttributeProto::INT);
        a->set_i(2);
        break;
      }
      case 10:
        findNode(p, "relu2")->set_output(0, "r1");
        break;
      case 11:
        g->mutable_initializer(0)->set_data_type(11);  // double
        break;
      case 12:
        g->mutable_initializer(1)->mutable_raw_data()->pop_back();
        break;
      case 13:
        findNode(p, "conv2")->set_input(1, "r1");
        break;
      case 14: {
        auto* in = g->add_input();
        *in = g->input(0);
        in->set_name("second");
        break;
      }
      case 15:
        g->mutable_output(0)->set_name("elsewhere");
        break;
      case 16: {
        auto* n = findNode(p, "flat");
        n->set_op_type("Reshape");
        n->clear_attribute();
        auto* t = g->add_initializer();
        t->set_name("shape");
        t->set_data_type(7);
        for (std::int64_t v : {0, 8, -1}) t->add_int64_data(v);
        t->add_dims(3);
        n->add_input("shape");
        break;
      }
      case 17:
        findNode(p, "conv2")->set_input(0, "input");  // 1 channel into a 4-channel weight
        break;
      case 18:
        findNode(p, "gap")->set_domain("com.microsoft");
        break;
    }
    const QString e = errorOf([&] { importProto(p); });
    QVERIFY2(e.startsWith("m.onnx: ") && e.contains(expected), qPrintable(e));
  }

  void malformedBytes() {
    QVERIFY(errorOf([] { quant::importOnnxModel({}, "e.onnx"); }).contains("empty"));
    const std::string junk = "\xff\xff\xff\xff not a protobuf";
    QVERIFY(errorOf([&] {
              quant::importOnnxModel(bytesOf(junk), "j.onnx");
            }).contains("protobuf parse failed"));
    // Every truncation of a real model is either refused with quant::Error or (when protobuf
    // happens to parse a prefix) imported as a valid model; never anything else.
    std::mt19937 rng(14);
    const std::vector<std::uint8_t> bytes = quant::exportOnnxModel(cnn(rng));
    int refused = 0;
    for (std::size_t len = 0; len < bytes.size(); len += 7) {
      try {
        quant::importOnnxModel(std::span(bytes.data(), len), "t.onnx");
      } catch (const quant::Error&) {
        ++refused;
      }
    }
    QVERIFY(refused > 0);
    // Random byte flips: quant::Error or success, no other exception.
    std::uniform_int_distribution<std::size_t> pos(0, bytes.size() - 1);
    for (int trial = 0; trial < 300; ++trial) {
      std::vector<std::uint8_t> b = bytes;
      for (int k = 0; k < 3; ++k) b[pos(rng)] ^= std::uint8_t(1u << (rng() % 8));
      const QString e = errorOf([&] {
        const Model m = quant::importOnnxModel(b, "f.onnx");
        Tensor x;
        x.shape = {1};
        x.shape.insert(x.shape.end(), m.inputShape.begin(), m.inputShape.end());
        if (m.macsPerSample() < 10'000'000 && x.numel() < 1'000'000) {
          x.data.assign(std::size_t(x.numel()), 0.5f);
          quant::forward(m, x);
        }
      });
      QVERIFY2(!e.startsWith("<foreign"), qPrintable(e));
    }
  }
};

QTEST_GUILESS_MAIN(TestModel)
#include "tst_model.moc"
