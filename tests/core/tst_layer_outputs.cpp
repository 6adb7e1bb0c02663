// SPDX-License-Identifier: GPL-3.0-or-later
// quant::layerOutput: for every layer of the shipped MLP and CNN, the captured output has the
// layer's shape, the last layer's equals the full forward pass bit for bit, a ReLU's equals
// max(0, its input layer's), a Flatten's holds its input's values, a Linear's matches W x + b
// computed here in double, and bad indices are refused.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <random>
#include <string>

#include "quant/base/resources.h"
#include "quant/nn/capture.h"
#include "quant/nn/model.h"

using quant::LayerType;
using quant::Model;
using quant::Tensor;

namespace {

Tensor randomBatch(const Model& m, std::int64_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  Tensor t;
  t.name = m.input;
  t.dtype = "float32";
  t.shape = {n};
  std::int64_t per = 1;
  for (std::int64_t d : m.inputShape) {
    t.shape.push_back(d);
    per *= d;
  }
  t.data.resize(static_cast<std::size_t>(n * per));
  for (float& v : t.data) v = u(rng);
  return t;
}

// The output of the layer that defines tensor `name` (or the graph input).
const Tensor* producer(const Model& m, const std::vector<Tensor>& outs, const Tensor& input,
                       const std::string& name) {
  if (name == m.input) return &input;
  for (std::size_t i = 0; i < m.layers.size(); ++i)
    if (m.layers[i].output == name) return &outs[i];
  return nullptr;
}

}  // namespace

class TestCapture : public QObject {
  Q_OBJECT
 private slots:
  void everyLayer_data();
  void everyLayer();
  void refusesBadIndex();
};

void TestCapture::everyLayer_data() {
  QTest::addColumn<QString>("model");
  QTest::addColumn<int>("batch");
  QTest::addRow("mlp, 1 image") << "mlp" << 1;
  QTest::addRow("mlp, 5 images") << "mlp" << 5;
  QTest::addRow("cnn, 3 images") << "cnn" << 3;
}

void TestCapture::everyLayer() {
  QFETCH(QString, model);
  QFETCH(int, batch);
  const Model m = quant::loadOnnxModel(quant::resolveModelPath(model.toStdString()));
  const Tensor x = randomBatch(m, batch, 7u + static_cast<std::uint32_t>(batch));
  std::vector<Tensor> outs;
  for (std::size_t i = 0; i < m.layers.size(); ++i) outs.push_back(quant::layerOutput(m, x, i));
  int relus = 0, linears = 0;
  for (std::size_t i = 0; i < m.layers.size(); ++i) {
    const quant::Layer& l = m.layers[i];
    const Tensor& y = outs[i];
    std::vector<std::int64_t> shape{batch};
    shape.insert(shape.end(), l.outShape.begin(), l.outShape.end());
    QCOMPARE(y.shape, shape);
    QCOMPARE(y.name, l.output);
    std::int64_t count = 1;
    for (std::int64_t d : shape) count *= d;
    QCOMPARE(static_cast<std::int64_t>(y.data.size()), count);
    const Tensor* in = producer(m, outs, x, l.inputs.at(0));
    QVERIFY(in);
    if (l.type == LayerType::ReLU) {
      ++relus;
      QCOMPARE(in->data.size(), y.data.size());
      for (std::size_t k = 0; k < y.data.size(); ++k)
        QCOMPARE(y.data[k], std::max(0.0f, in->data[k]));
    } else if (l.type == LayerType::Flatten) {
      QCOMPARE(y.data, in->data);
    } else if (l.type == LayerType::Linear) {
      ++linears;
      const auto K = l.weight.cols(), N = l.weight.rows();
      for (int s = 0; s < batch; ++s)
        for (Eigen::Index o = 0; o < N; ++o) {
          double acc = l.bias.size() ? l.bias[o] : 0.0;
          for (Eigen::Index k = 0; k < K; ++k)
            acc +=
                static_cast<double>(l.weight(o, k)) * in->data[static_cast<std::size_t>(s * K + k)];
          const float got = y.data[static_cast<std::size_t>(s * N + o)];
          QVERIFY2(std::abs(got - acc) <= 1e-4 * std::max(1.0, std::abs(acc)),
                   qPrintable(QStringLiteral("%1[%2,%3] %4 vs %5")
                                  .arg(QString::fromStdString(l.name))
                                  .arg(s)
                                  .arg(o)
                                  .arg(got)
                                  .arg(acc)));
        }
    }
  }
  QVERIFY(relus >= 2);
  QVERIFY(linears >= 2);
  // The last layer's capture is the model's output, bit for bit.
  const Tensor full = quant::forward(m, x);
  QCOMPARE(outs.back().shape, full.shape);
  QCOMPARE(outs.back().data, full.data);
}

void TestCapture::refusesBadIndex() {
  const Model m = quant::loadOnnxModel(quant::resolveModelPath("mlp"));
  const Tensor x = randomBatch(m, 2, 1u);
  QVERIFY_THROWS_EXCEPTION(quant::Error, quant::layerOutput(m, x, m.layers.size()));
  QVERIFY_THROWS_EXCEPTION(quant::Error, quant::layerOutput(m, x, static_cast<std::size_t>(-1)));
  Tensor bad = x;
  bad.shape = {2, 5};
  bad.data.resize(10);
  QVERIFY_THROWS_EXCEPTION(quant::Error, quant::layerOutput(m, bad, 0));
}

QTEST_GUILESS_MAIN(TestCapture)
#include "tst_layer_outputs.moc"
