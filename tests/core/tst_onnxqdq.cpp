// SPDX-License-Identifier: GPL-3.0-or-later
// Quantized ONNX in and out (onnxqdq.h): QuantLab's QDQ export re-imported runs bit-identically on
// the int8 engine; the export passes onnx::checker with full checks (strict shape and type
// inference); QDQ and QOperator fixtures made by torch.onnx.export and onnx.helper (see
// tests/data/qdq/make_fixtures.py) import with their own scales and agree with the outputs saved
// beside them; hostile files give one-line errors naming the node and op.
#include <onnx/onnx_pb.h>
#ifdef QUANTLAB_HAVE_ONNX_CHECKER
#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>
#endif

#include <QtTest>
#include <cmath>
#include <random>

#include "quant/base/resources.h"
#include "quant/io/tensorio.h"
#include "quant/nn/int8model.h"
#include "quant/nn/onnxqdq.h"
#include "quant/nn/qat.h"
#include "quanttesting.h"
#include "testsupport.h"

using quant::Int8Model;
using quant::Layer;
using quant::LayerType;
using quant::Model;
using quant::Tensor;
using quantlab::testing::bitEqual;
using quantlab::testing::errorOf;

namespace {

Tensor uniformInputs(const std::vector<std::int64_t>& shape, std::int64_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  Tensor t;
  t.shape = {n};
  t.shape.insert(t.shape.end(), shape.begin(), shape.end());
  t.data.resize(static_cast<std::size_t>(quant::checkedNumel(t.shape)));
  for (float& v : t.data) v = u(rng);
  return t;
}

Layer layer(LayerType t, const std::string& name, std::vector<std::string> inputs,
            const std::string& output) {
  Layer l;
  l.type = t;
  l.name = name;
  l.inputs = std::move(inputs);
  l.output = output;
  return l;
}

Layer convLayer(const std::string& name, const std::string& in, const std::string& out, int inC,
                int outC, std::mt19937& rng) {
  Layer l = layer(LayerType::Conv2d, name, {in}, out);
  std::normal_distribution<float> w(0.0f, 0.3f);
  l.kernelH = l.kernelW = 3;
  l.padTop = l.padLeft = l.padBottom = l.padRight = 1;
  l.weight = quant::RowMatrix(outC, inC * 9);
  for (Eigen::Index i = 0; i < l.weight.size(); ++i) l.weight.data()[i] = w(rng);
  l.bias = Eigen::VectorXf(outC);
  for (Eigen::Index i = 0; i < outC; ++i) l.bias[i] = w(rng);
  return l;
}

// Conv-ReLU-Conv with a skip Add into a fused ReLU6, a padded AvgPool counting the padding, a
// MaxPool, GlobalAvgPool, a standalone Clip, Linear and a final Softmax.
Model residual() {
  std::mt19937 rng(5);
  Model m;
  m.inputShape = {2, 8, 8};
  Layer relu6 = layer(LayerType::Clip, "relu6", {"s"}, "s6");
  relu6.clipMin = 0.0f;
  relu6.clipMax = 6.0f;
  Layer avg = layer(LayerType::AvgPool2d, "avg", {"s6"}, "av");
  avg.kernelH = avg.kernelW = 3;
  avg.strideH = avg.strideW = 1;
  avg.padTop = avg.padLeft = avg.padBottom = avg.padRight = 1;
  avg.countIncludePad = true;
  Layer pool = layer(LayerType::MaxPool2d, "pool", {"av"}, "p");
  pool.kernelH = pool.kernelW = pool.strideH = pool.strideW = 2;
  Layer clip = layer(LayerType::Clip, "clip", {"g"}, "gc");
  clip.clipMax = 0.5f;
  Layer fc = layer(LayerType::Linear, "fc", {"f"}, "z");
  std::normal_distribution<float> w(0.0f, 0.5f);
  fc.weight = quant::RowMatrix(5, 4);
  for (Eigen::Index i = 0; i < fc.weight.size(); ++i) fc.weight.data()[i] = w(rng);
  fc.bias = Eigen::VectorXf::Zero(5);
  m.layers = {convLayer("conv1", "input", "c1", 2, 4, rng),
              layer(LayerType::ReLU, "relu1", {"c1"}, "r1"),
              convLayer("conv2", "r1", "c2", 4, 4, rng),
              layer(LayerType::Add, "add", {"c2", "r1"}, "s"),
              relu6,
              avg,
              pool,
              layer(LayerType::GlobalAvgPool, "gap", {"p"}, "g"),
              clip,
              layer(LayerType::Flatten, "flat", {"gc"}, "f"),
              fc,
              layer(LayerType::Softmax, "softmax", {"z"}, "prob")};
  m.finalize();
  return m;
}

Model modelNamed(const QString& name) {
  if (name == "residual") return residual();
  if (name == "residual-logsoftmax") {
    Model m = residual();
    m.layers.back().type = LayerType::LogSoftmax;
    m.finalize();
    return m;
  }
  return quant::loadOnnxModel(quant::resolveModelPath(name.toStdString()));
}

onnx::ModelProto protoOf(const std::vector<std::uint8_t>& bytes) {
  onnx::ModelProto p;
  p.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
  return p;
}

std::vector<std::uint8_t> bytesOf(const onnx::ModelProto& p) {
  std::string s;
  p.SerializeToString(&s);
  return std::vector<std::uint8_t>(s.begin(), s.end());
}

Int8Model quantized(const Model& m, bool perChannel) {
  return quant::quantizeModel(m, uniformInputs(m.inputShape, 64, 1), quant::CalibrationConfig{},
                              perChannel);
}

onnx::TensorProto* initializer(onnx::ModelProto& p, const std::string& name) {
  for (auto& t : *p.mutable_graph()->mutable_initializer())
    if (t.name() == name) return &t;
  return nullptr;
}

const QString kFixtures = QStringLiteral(QUANTLAB_TEST_DATA "/qdq/");

}  // namespace

class TestOnnxQdq : public QObject {
  Q_OBJECT

 private slots:
  void roundTripIsBitIdentical_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<bool>("perChannel");
    QTest::addRow("mlp") << "mlp" << true;
    QTest::addRow("cnn") << "cnn" << true;
    QTest::addRow("residual") << "residual" << true;
    QTest::addRow("residual, final LogSoftmax") << "residual-logsoftmax" << true;
    QTest::addRow("cnn, per-tensor weights") << "cnn" << false;
  }
  void roundTripIsBitIdentical() {
    QFETCH(QString, model);
    QFETCH(bool, perChannel);
    const Model m = modelNamed(model);
    const Int8Model q = quantized(m, perChannel);
    const std::vector<std::uint8_t> bytes = quant::exportQdqOnnx(q);
    QVERIFY(quant::isQuantizedOnnx(bytes));
    const quant::QuantizedOnnxModel back = quant::importQuantizedOnnx(bytes, "qdq");
    QCOMPARE(back.int8.layers.size(), q.layers.size());
    QCOMPARE(back.int8.inputScale, q.inputScale);
    QCOMPARE(back.int8.inputZero, q.inputZero);
    QCOMPARE(back.int8.recipe.weights.perChannel, perChannel);
    QCOMPARE(back.int8.softmax, q.softmax);
    QCOMPARE(back.int8.logSoftmax, q.logSoftmax);
    for (std::size_t i = 0; i < q.layers.size(); ++i) {
      const quant::Int8Layer &a = q.layers[i], &b = back.int8.layers[i];
      QCOMPARE(QString::fromStdString(b.name), QString::fromStdString(a.name));
      QCOMPARE(b.type, a.type);
      QCOMPARE(b.outScale, a.outScale);
      QCOMPARE(b.outZero, a.outZero);
      QVERIFY(b.weights == a.weights);
      QVERIFY(b.weightScales == a.weightScales);
      QVERIFY(b.bias == a.bias);
      QCOMPARE(b.output.actMin, a.output.actMin);
      QCOMPARE(b.output.actMax, a.output.actMax);
      QCOMPARE(b.clipMinQ, a.clipMinQ);
      QCOMPARE(b.clipMaxQ, a.clipMaxQ);
    }
    const Tensor x = uniformInputs(m.inputShape, 200, 2);
    QVERIFY(bitEqual(quant::runInt8(back.int8, x), quant::runInt8(q, x)));
    // The dequantized float model is the int8 weights' reconstruction.
    QCOMPARE(back.fp32.layers.size(), m.layers.size());
  }

  void checkerAcceptsExportsWithFullChecks_data() { roundTripIsBitIdentical_data(); }
  void checkerAcceptsExportsWithFullChecks() {
#ifdef QUANTLAB_HAVE_ONNX_CHECKER
    QFETCH(QString, model);
    QFETCH(bool, perChannel);
    onnx::ModelProto p = protoOf(quant::exportQdqOnnx(quantized(modelNamed(model), perChannel)));
    try {
      onnx::checker::check_model(p);
      // What onnx.checker.check_model(full_check=True) adds: strict shape and type inference.
      onnx::shape_inference::InferShapes(p, onnx::OpSchemaRegistry::Instance(),
                                         onnx::ShapeInferenceOptions(true, 1, false));
    } catch (const std::exception& e) {
      QFAIL(e.what());
    }
    // The strict inference is really active: an int8 scale input is a type error.
    initializer(p, "input.scale")->set_data_type(onnx::TensorProto::INT8);
    initializer(p, "input.scale")->set_raw_data(std::string(1, '\x01'));
    bool rejected = false;
    try {
      onnx::shape_inference::InferShapes(p, onnx::OpSchemaRegistry::Instance(),
                                         onnx::ShapeInferenceOptions(true, 1, false));
    } catch (const std::exception&) {
      rejected = true;
    }
    QVERIFY(rejected);
#else
    QSKIP("libonnx (onnx::checker) is not linked");
#endif
  }

  void hostileFilesGiveOneLineErrors_data() {
    QTest::addColumn<QString>("mutation");
    QTest::addColumn<QString>("expected");
    QTest::addRow("missing scale") << "missing scale"
                                   << "node 'input_quantize' (QuantizeLinear)";
    QTest::addRow("zero scale") << "zero scale"
                                << "is not a positive finite number";
    QTest::addRow("NaN scale") << "nan scale"
                               << "is not a positive finite number";
    QTest::addRow("int32 activation zero point")
        << "int32 zero point"
        << "activation zero point is int32; int8 or uint8 expected";
    QTest::addRow("asymmetric weights") << "asymmetric weights"
                                        << "asymmetric int8 weights";
    QTest::addRow("uint8 weights") << "uint8 weights"
                                   << "uint8 weights are not supported";
    QTest::addRow("weight code -128") << "weight -128"
                                      << "weight code -128";
    QTest::addRow("per-channel activation scale") << "per-channel activation"
                                                  << "per-channel activation scales (2 values)";
    QTest::addRow("scale mismatch between Q and DQ")
        << "dq scale mismatch"
        << "differ from those the tensor was quantized with";
    QTest::addRow("truncated") << "truncated"
                               << "protobuf parse failed";
  }
  void hostileFilesGiveOneLineErrors() {
    QFETCH(QString, mutation);
    QFETCH(QString, expected);
    const Model m = modelNamed("mlp");
    onnx::ModelProto p = protoOf(quant::exportQdqOnnx(quantized(m, true)));
    onnx::GraphProto* g = p.mutable_graph();
    const auto gemm = std::find_if(m.layers.begin(), m.layers.end(),
                                   [](const Layer& l) { return l.type == LayerType::Linear; });
    QVERIFY(gemm != m.layers.end());
    const std::string w = gemm->name + ".weight";
    std::vector<std::uint8_t> bytes;
    if (mutation == "missing scale") {
      g->mutable_node(0)->set_input(1, "");
    } else if (mutation == "zero scale" || mutation == "nan scale") {
      const float v = mutation == "zero scale" ? 0.0f : std::nanf("");
      initializer(p, "input.scale")
          ->set_raw_data(std::string(reinterpret_cast<const char*>(&v), 4));
    } else if (mutation == "int32 zero point") {
      const std::int32_t z = 0;
      initializer(p, "input.zero_point")->set_data_type(onnx::TensorProto::INT32);
      initializer(p, "input.zero_point")
          ->set_raw_data(std::string(reinterpret_cast<const char*>(&z), 4));
    } else if (mutation == "asymmetric weights") {
      std::string raw = initializer(p, w + "_zero_point")->raw_data();
      raw[0] = 3;
      initializer(p, w + "_zero_point")->set_raw_data(raw);
    } else if (mutation == "weight -128") {
      std::string raw = initializer(p, w + "_quantized")->raw_data();
      raw[5] = '\x80';
      initializer(p, w + "_quantized")->set_raw_data(raw);
    } else if (mutation == "uint8 weights") {
      initializer(p, w + "_quantized")->set_data_type(onnx::TensorProto::UINT8);
      initializer(p, w + "_zero_point")->set_data_type(onnx::TensorProto::UINT8);
    } else if (mutation == "per-channel activation") {
      const float v[2] = {0.1f, 0.2f};
      initializer(p, "input.scale")->add_dims(2);
      initializer(p, "input.scale")->set_raw_data(std::string(reinterpret_cast<const char*>(v), 8));
    } else if (mutation == "dq scale mismatch") {
      onnx::TensorProto* s = g->add_initializer();
      *s = *initializer(p, "input.scale");
      s->set_name("other.scale");
      const float v = 0.5f;
      s->set_raw_data(std::string(reinterpret_cast<const char*>(&v), 4));
      g->mutable_node(1)->set_input(1, "other.scale");
    }
    bytes = bytesOf(p);
    if (mutation == "truncated") bytes.resize(bytes.size() / 2);
    const QString e = errorOf([&] { quant::importQuantizedOnnx(bytes, "bad.onnx"); });
    QVERIFY2(e.startsWith("bad.onnx: ") && e.contains(expected), qPrintable(e));
    QVERIFY2(!e.contains('\n'), qPrintable(e));
  }

  // Files from other tools: the int8 engine runs them with the file's scales and lands within
  // `codes` output steps of the producer's own output (torch's fake-quantized forward pass, or
  // the ONNX definitions transcribed in NumPy, which onnxruntime 1.31 reproduces exactly). The
  // engine requantizes in fixed point (a Q0.31 multiply, then round half away from zero), the
  // producers in float (round half to even), so a value on a rounding tie could land one code
  // apart; on these inputs none does, and the outputs are equal.
  void fixturesFromOtherTools_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<float>("inputScale");
    QTest::addColumn<int>("inputZero");
    QTest::addColumn<float>("outputScale");
    QTest::addColumn<int>("outputZero");
    QTest::addColumn<int>("codes");
    // torch: uint8 (scale 1/255, zero 0) becomes int8 zero -128; logits uint8 zero 128 -> 0.
    QTest::addRow("torch QDQ cnn") << "torch_qdq_cnn" << 1.0f / 255 << -128 << 0.05f << 0 << 0;
    QTest::addRow("QLinearConv, uint8 MaxPool, QLinearMatMul")
        << "qoperator" << 1.0f / 255 << -128 << 0.05f << 3 << 0;
    QTest::addRow("ConvInteger, Cast, Mul, GlobalAveragePool")
        << "convinteger" << 1.0f / 255 << -128 << 0.01f << -128 << 0;
    QTest::addRow("MatMulInteger, Cast, Mul")
        << "matmulinteger" << 1.0f / 255 << -128 << 0.004f << -5 << 0;
  }
  void fixturesFromOtherTools() {
    QFETCH(QString, name);
    QFETCH(float, inputScale);
    QFETCH(int, inputZero);
    QFETCH(float, outputScale);
    QFETCH(int, outputZero);
    QFETCH(int, codes);
    const std::string base = (kFixtures + name).toStdString();
    const quant::QuantizedOnnxModel m = quant::loadQuantizedOnnx(base + ".onnx");
    QCOMPARE(m.int8.inputScale, inputScale);
    QCOMPARE(m.int8.inputZero, inputZero);
    QCOMPARE(m.int8.outputScale, outputScale);
    QCOMPARE(m.int8.outputZero, outputZero);
    const Tensor x = quant::loadTensor(base + "_x.npy");
    const Tensor want = quant::loadTensor(base + "_y.npy");
    const Tensor got = quant::runInt8(m.int8, x);
    QCOMPARE(got.shape, want.shape);
    double worst = 0;
    int argmaxAgree = 0;
    const std::size_t F = want.data.size() / static_cast<std::size_t>(want.shape[0]);
    for (std::size_t i = 0; i < want.data.size(); ++i)
      worst = std::max(worst, std::abs(double(got.data[i]) - double(want.data[i])) / outputScale);
    for (std::size_t n = 0; n < static_cast<std::size_t>(want.shape[0]); ++n) {
      const auto row = [&](const Tensor& t) {
        return std::max_element(t.data.begin() + n * F, t.data.begin() + (n + 1) * F) -
               (t.data.begin() + n * F);
      };
      argmaxAgree += row(got) == row(want);
    }
    QVERIFY2(worst <= codes + 1e-3, qPrintable(QString("%1 codes apart").arg(worst)));
    QVERIFY2(argmaxAgree == want.shape[0], qPrintable(QString::number(argmaxAgree)));
  }

  // A W8A8 QAT result on the int8 engine keeps the trained scales and zero points, and its QDQ
  // export re-imports bit-identically.
  void qatResultExportsWithItsScales() {
    const Model m = modelNamed("mlp");
    quant::Dataset data;
    data.images = uniformInputs({1, 28, 28}, 96, 3);
    for (int i = 0; i < 96; ++i) data.labels.push_back(static_cast<std::uint8_t>(i % 10));
    quant::QatConfig cfg;
    cfg.recipe = quant::QuantRecipe{}.withBits(8, 8);
    cfg.epochs = 1;
    cfg.batch = 32;
    const quant::QatResult r = quant::qat(m, data, quant::Dataset{}, cfg);
    const Int8Model q = quant::qatInt8Model(r, data.images);
    QCOMPARE(q.inputScale, r.params.activations.front().scale);
    QCOMPARE(q.inputZero, r.params.activations.front().zeroPoint);
    int matched = 0;
    for (const quant::Int8Layer& l : q.layers) {
      for (const quant::ActivationQuant& a : r.params.activations)
        if (a.enabled && a.tensor == l.outputName && a.layer >= 0) {
          QCOMPARE(l.outScale, a.scale);
          QCOMPARE(l.outZero, a.zeroPoint);
          ++matched;
        }
      for (const quant::WeightQuant& w : r.params.weights)
        if (w.name == l.name) QVERIFY(l.weightScales == w.scales);
    }
    QCOMPARE(matched, 2);  // fc1 and fc2 after their ReLUs; the logits are calibrated
    const Tensor x = uniformInputs({1, 28, 28}, 50, 4);
    const quant::QuantizedOnnxModel back =
        quant::importQuantizedOnnx(quant::exportQdqOnnx(q), "qat");
    QVERIFY(bitEqual(quant::runInt8(back.int8, x), quant::runInt8(q, x)));
    // Other widths are not the engine's.
    cfg.recipe = quant::QuantRecipe{}.withBits(4, 4);
    cfg.epochs = 0;
    const quant::QatResult r4 = quant::qat(m, data, quant::Dataset{}, cfg);
    QVERIFY(errorOf([&] { quant::qatInt8Model(r4, data.images); }).contains("runs W8A8"));
  }

  void refusesDynamicQuantization() {
    onnx::ModelProto p = protoOf(quant::exportQdqOnnx(quantized(modelNamed("mlp"), true)));
    onnx::NodeProto* n = p.mutable_graph()->mutable_node(0);
    n->set_op_type("DynamicQuantizeLinear");
    const QString e = errorOf([&] { quant::importQuantizedOnnx(bytesOf(p), "dyn.onnx"); });
    QVERIFY2(e.contains("node 'input_quantize' (DynamicQuantizeLinear): dynamic quantization"),
             qPrintable(e));
  }
};

QTEST_APPLESS_MAIN(TestOnnxQdq)
#include "tst_onnxqdq.moc"
