// SPDX-License-Identifier: GPL-3.0-or-later
// ONNX import of the operators small PyTorch vision models use, against PyTorch itself: the
// fixtures in tests/data/onnx were exported by torch.onnx.export (opset 13, dynamic batch) with
// their inputs and PyTorch's outputs as .npy (generate.py writes them; this test needs no Python).
// Also: export of every imported model reads back as the same model, and malformed variants are
// refused with one line naming the node.
#include <QtTest>
#include <algorithm>
#include <cmath>

#include "quant/io/tensorio.h"
#include "quant/nn/model.h"

using quant::Model;
using quant::Tensor;

namespace {

const std::string kDir = std::string(QUANTLAB_TEST_DATA) + "/onnx/";

const char* const kModels[] = {
    "lenet5_tanh",    "mlp_sigmoid",   "cnn_pad_bn_leaky", "mobilenet_block", "residual_cifar",
    "two_branch_cat", "op_sigmoid",    "op_tanh",          "op_leakyrelu",    "op_elu",
    "op_hardsigmoid", "op_hardswish",  "op_prelu",         "op_clip",         "op_arith_const",
    "op_mul_tensors", "op_pad_value",  "op_maxpool_ceil",  "op_avgpool_ceil", "op_avgpool_incl",
    "op_globalmax",   "op_reducemean", "op_squeeze",       "op_softmax",      "op_logsoftmax",
    "op_gemm_scaled",
};

// The error measure of the issue: |ours - PyTorch| / max(1, |PyTorch|), worst element.
double worstRelative(const Tensor& a, const Tensor& b) {
  double worst = 0;
  for (std::size_t k = 0; k < a.data.size(); ++k) {
    const double d = std::fabs(double(a.data[k]) - double(b.data[k]));
    worst = std::max(worst, d / std::max(1.0, std::fabs(double(b.data[k]))));
  }
  return worst;
}

bool sameLayers(const Model& a, const Model& b) {
  if (a.layers.size() != b.layers.size()) return false;
  for (std::size_t k = 0; k < a.layers.size(); ++k) {
    const quant::Layer &x = a.layers[k], &y = b.layers[k];
    if (x.type != y.type || x.outShape != y.outShape || x.params != y.params ||
        x.weight != y.weight || x.bias != y.bias || x.slope != y.slope || x.scale != y.scale ||
        x.shift != y.shift || x.alpha != y.alpha || x.betaCoeff != y.betaCoeff ||
        x.padValue != y.padValue || x.padTop != y.padTop || x.padRight != y.padRight ||
        x.countIncludePad != y.countIncludePad || x.clipMin != y.clipMin ||
        x.clipMax != y.clipMax) {
      return false;
    }
  }
  return true;
}

}  // namespace

class TestOnnxOps : public QObject {
  Q_OBJECT

 private slots:
  void matchesPyTorch_data() {
    QTest::addColumn<QString>("name");
    for (const char* n : kModels) QTest::addRow("%s", n) << QString(n);
  }

  // fp32 outputs equal PyTorch's within 1e-5 relative (observed worst is printed).
  void matchesPyTorch() {
    QFETCH(QString, name);
    const std::string base = kDir + name.toStdString();
    Model m;
    try {
      m = quant::loadOnnxModel(base + ".onnx");
    } catch (const quant::Error& e) {
      QFAIL(e.what());
    }
    const Tensor x = quant::loadTensor(base + ".in.npy");
    const Tensor want = quant::loadTensor(base + ".out.npy");
    const Tensor got = quant::forward(m, x);
    QCOMPARE(got.shape, want.shape);
    const double worst = worstRelative(got, want);
    qInfo("%s: %zu layers, worst relative difference %.3g", qPrintable(name), m.layers.size(),
          worst);
    QVERIFY2(worst <= 1e-5, qPrintable(QString::number(worst)));
    // The direct reference loops agree as well.
    QVERIFY(worstRelative(quant::forward(m, x, quant::ConvAlgorithm::Direct), want) <= 1e-5);
  }

  void roundTrip_data() { matchesPyTorch_data(); }

  // import(export(m)) is m: same layers, parameters and bit-identical outputs.
  void roundTrip() {
    QFETCH(QString, name);
    const std::string base = kDir + name.toStdString();
    const Model m = quant::loadOnnxModel(base + ".onnx");
    const std::vector<std::uint8_t> bytes = quant::exportOnnxModel(m);
    const Model back = quant::importOnnxModel(bytes, "exported");
    QVERIFY(sameLayers(m, back));
    const Tensor x = quant::loadTensor(base + ".in.npy");
    QCOMPARE(quant::forward(back, x).data, quant::forward(m, x).data);
  }

  // The shape arithmetic of x.view(x.size(0), -1) and F.pad is folded away at load.
  void foldsShapeArithmetic() {
    const Model lenet = quant::loadOnnxModel(kDir + "lenet5_tanh.onnx");
    for (const quant::Layer& l : lenet.layers) QVERIFY(l.type != quant::LayerType::Pad);
    const Model padded = quant::loadOnnxModel(kDir + "cnn_pad_bn_leaky.onnx");
    // Both zero pads went into the convolutions after them, both BatchNorms into those too.
    QCOMPARE(padded.layers.size(), std::size_t(6));
    QCOMPARE(padded.layers[0].padTop, 1);
    QCOMPARE(padded.layers[2].padBottom, 1);
    QCOMPARE(padded.layers[2].padTop, 0);
    const Model value = quant::loadOnnxModel(kDir + "op_pad_value.onnx");
    QCOMPARE(value.layers.back().type, quant::LayerType::Pad);
    QCOMPARE(value.layers.back().padValue, 0.5f);
    const Model hs = quant::loadOnnxModel(kDir + "op_hardswish.onnx");
    QCOMPARE(hs.layers.back().type, quant::LayerType::HardSwish);
  }

  void refusesMalformed_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("message");
    QTest::addRow("unsupported op") << "bad_unsupported_op"
                                    << "(Einsum): operator 'Einsum' is not supported; supported "
                                       "are Conv, Gemm";
    QTest::addRow("missing input") << "bad_missing_input"
                                   << "input 'missing_shape' is not defined";
    QTest::addRow("reflect pad") << "bad_pad_reflect"
                                 << "mode reflect is not supported";
    QTest::addRow("truncated") << "bad_truncated"
                               << "protobuf parse failed";
    QTest::addRow("dilation") << "op_dilated_groups"
                              << "dilations other than 1";
  }

  void refusesMalformed() {
    QFETCH(QString, file);
    QFETCH(QString, message);
    const std::string path = kDir + file.toStdString() + ".onnx";
    try {
      quant::loadOnnxModel(path);
      QFAIL("loaded");
    } catch (const quant::Error& e) {
      const QString what = e.what();
      QVERIFY2(what.startsWith(QString::fromStdString(path) + ": "), e.what());
      QVERIFY2(what.contains(message), e.what());
      QVERIFY2(!what.contains('\n'), e.what());
    }
  }
};

QTEST_APPLESS_MAIN(TestOnnxOps)
#include "tst_onnx_ops.moc"
